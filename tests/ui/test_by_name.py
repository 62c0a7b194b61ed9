"""Qt's enum properties set by the names of their values (app/ui/widgets/by_name.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter
from pytestqt.qtbot import QtBot

from app.ui.widgets.by_name import set_by_name
from app.ui.widgets.plain_text import LinkLabel, PlainLabel


def test_a_value_named_is_the_value_set(qtbot: QtBot) -> None:
    splitter = QSplitter()
    qtbot.addWidget(splitter)
    set_by_name(splitter, "orientation", "Vertical")
    assert splitter.orientation() is Qt.Orientation.Vertical
    plain, link = PlainLabel("<b>bold?</b>"), LinkLabel()
    qtbot.addWidget(plain)
    qtbot.addWidget(link)
    assert plain.textFormat() is Qt.TextFormat.PlainText
    assert link.textFormat() is Qt.TextFormat.RichText
    assert link.textInteractionFlags() == Qt.TextInteractionFlag.TextBrowserInteraction


def test_a_name_qt_does_not_know_is_an_error_not_a_silent_default(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    with pytest.raises(ValueError, match="textFormat = PlainTxt"):
        set_by_name(label, "textFormat", "PlainTxt")
    with pytest.raises(ValueError, match="textFromat"):
        set_by_name(label, "textFromat", "PlainText")
    with pytest.raises(ValueError, match="wordWrap"):  # a property, but no enum's
        set_by_name(label, "wordWrap", "true")
    assert label.textFormat() is Qt.TextFormat.AutoText
