"""Importing and exporting routines in the window: menu, drag and drop, clashes, cards."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from app.domain import routine_format
from app.storage.routine_store import OnClash
from app.ui.main_window import MainWindow
from tests.storage.test_routine_store import routine_file


def listed(window: MainWindow) -> list[str]:
    routines = window.library.list
    return [routines.item(i).text() for i in range(routines.count())]


def test_files_are_imported_each_on_its_own(window: MainWindow, tmp_path: Path) -> None:
    good = routine_file(tmp_path, "hips", "Hips")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "limber-routine", "version": 1}')
    problems = window.library_actions.import_files([broken, good])
    assert problems == [
        'broken.json: missing required key "id"; broken.json: missing '
        'required key "name"; broken.json: missing required key "exercises"'
    ]
    assert any(name.startswith("Hips") for name in listed(window))
    assert window.library.selected_id() == "hips"
    boxes = [b for b in window.findChildren(QMessageBox) if "broken.json" in b.text()]
    assert boxes


@pytest.mark.parametrize(
    ("choice", "ids"),
    [
        (OnClash.KEEP_BOTH, {"hips", "hips-2"}),
        (OnClash.REPLACE, {"hips"}),
        (None, {"hips"}),
    ],
)
def test_a_taken_id_asks_replace_keep_both_or_cancel(
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    choice: OnClash | None,
    ids: set[str],
) -> None:
    window.library_actions.import_files([routine_file(tmp_path, "hips", "Hips")])
    other = tmp_path / "other"
    other.mkdir()
    asked = []
    monkeypatch.setattr(
        window.library_actions,
        "ask_clash",
        lambda routine, existing: asked.append(existing.routine.name) or choice,
    )
    problems = window.library_actions.import_files([routine_file(other, "hips", "Hips, harder")])
    assert asked == ["Hips"]
    user_ids = {s.routine.id for s in window.routines.store.all() if not s.builtin}
    assert user_ids == ids
    if choice is OnClash.REPLACE:
        assert window.routines.store.find("hips").routine.name == "Hips, harder"
    if choice is None:
        assert problems == ["hips.json: not imported (cancelled)"]


def test_routine_files_dropped_on_the_library_are_imported(
    window: MainWindow, tmp_path: Path
) -> None:
    files = [routine_file(tmp_path, "hips", "Hips"), routine_file(tmp_path, "neck", "Neck")]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in files])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.library.dropEvent(drop)
    assert drop.isAccepted()
    assert {"hips", "neck"} <= {s.routine.id for s in window.routines.store.all()}


def test_export_writes_the_selected_routine_and_its_card(
    window: MainWindow, tmp_path: Path
) -> None:
    window.library.select("five-movements-healthy-back")
    target = tmp_path / "back.json"
    window.library_actions.export_selected(target)
    routine = window.routines.store.find("five-movements-healthy-back").routine
    assert routine_format.loads(target.read_bytes()) == routine
    window.library_actions.export_card(tmp_path / "back.pdf")
    window.library_actions.export_card(tmp_path / "back.html")
    assert (tmp_path / "back.pdf").read_bytes().startswith(b"%PDF-")
    assert "Kristal Hayek" in (tmp_path / "back.html").read_text(encoding="utf-8")
    window.library_actions.export_selected(tmp_path / "no" / "such" / "dir.json")
    assert "Cannot write" in window.statusBar().currentMessage()
