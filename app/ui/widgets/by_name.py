"""Setting Qt's enum properties by the names of their values, as a .ui file does.

PySide6 makes the Python enums of Qt's namespace (`Qt.TextFormat`, `Qt.Orientation`
and 91 more) all at once, the first time any of them is named: some 45 ms of the
window's first frame on a slow machine (tests/bench/perceived.py part a). The few
widgets of that frame set their properties through Qt's meta-object system
instead, which takes a value's name ("PlainText") and never makes the enums.
"""

from __future__ import annotations

from PySide6.QtCore import QObject


def set_by_name(target: QObject, prop: str, value: str) -> None:
    """Sets `target`'s enum (or flags) property `prop` to the value named `value`.

    Raises:
        ValueError: `target` has no such enum property, or it has no value of
            that name.
    """
    meta = target.metaObject()
    index = meta.indexOfProperty(prop)
    if index < 0 or not meta.property(index).isEnumType() or not target.setProperty(prop, value):
        raise ValueError(f"{type(target).__name__} has no property {prop} = {value}")
