"""Routine files and session rows are data: their text never reaches a widget as markup.

A routine named `<img src="/dev/zero">` in a label of Qt's default AutoText format
is rich text, and Qt opens that file to draw it (reading /dev/zero until memory
runs out). Here every text field of a routine, and a session's notes, carry an
image whose source is a FIFO: opening it for reading would wait for a writer, so
a thread watches for a reader (and lets it go) while a real window shows the
routine in the library, the player, the compact window, the summary and History.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt  # QtGui's Qt namespace has mightBeRichText
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel

from app.domain.clock import FakeClock
from app.recorder import LogWriter, SessionRecorder
from app.storage.paths import user_routines_dir
from app.storage.session_log import SessionLog
from app.ui.main_window import HISTORY, MainWindow
from app.ui.widgets.plain_text import LinkLabel
from tests.ui.conftest import WindowFactory, run_for

UI = Path(__file__).resolve().parents[2] / "app" / "ui"
# Made only in app/ui/widgets/plain_text.py, which fixes their text format.
TEXT_WIDGETS = {"QLabel", "QMessageBox", "QTextBrowser", "QTextEdit"}
STATIC_MESSAGE_BOXES = {"information", "question", "warning", "critical", "about"}
# The card's HTML is made by app.domain.routine_card, which escapes every text of
# the routine (tests/test_cli.py test_a_card_escapes_what_a_routine_file_says).
MARKUP_ALLOWED = {("card_pdf.py", "setHtml")}


# Opening a FIFO to write without blocking succeeds only while a reader waits;
# the watcher then closes it, and the reader reads an empty file and goes on. It
# is a process of its own: a reader blocked inside a Qt call may hold Python's lock.
WATCHER = """
import errno, os, select, sys
readers = 0
while not select.select([sys.stdin], [], [], 0.005)[0]:
    try:
        os.close(os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK))
        readers += 1
    except OSError:
        pass
print(readers)
"""


class ReaderWatch:
    """Counts who opens a FIFO to read, letting each go at once."""

    def __init__(self, fifo: Path) -> None:
        self.readers = 0
        self._process = subprocess.Popen(
            [sys.executable, "-c", WATCHER, str(fifo)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __enter__(self) -> ReaderWatch:
        return self

    def __exit__(self, *_: object) -> None:
        out, _ = self._process.communicate("stop\n", timeout=30)
        self.readers = int(out)


def hostile(marker: str, fifo: Path) -> str:
    return f'<img src="{fifo}"><b>{marker}</b>'


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sentinel"
    os.mkfifo(path)
    return path


@pytest.fixture
def hostile_routine(data_dir: Path, fifo: Path) -> str:
    folder = user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.json").write_text(
        json.dumps(
            {
                "format": "limber-routine",
                "version": 1,
                "id": "hostile",
                "name": hostile("Name", fifo),
                "description": hostile("Description", fifo),
                "notes": hostile("Notes", fifo),
                "tags": ["<b>tag</b>"],  # at most 40 characters: no room for the path
                "source": {
                    "title": hostile("Title", fifo),
                    "author": hostile("Author", fifo),
                    "url": "https://example.org/routine",
                    "note": hostile("Note", fifo),
                },
                "exercises": [
                    {
                        "name": hostile("Exercise", fifo),
                        "kind": "reps",
                        "reps": 2,
                        "tempo": 1,
                        "sides": "each",
                        "switch_seconds": 1,
                        "instructions": [hostile("Instruction", fifo)],
                    }
                ],
            }
        )
    )
    return "hostile"


def shown_texts() -> Iterator[tuple[str, str, bool]]:
    """Every text on screen: (where, text, whether Qt will take it as rich text)."""
    for widget in QApplication.allWidgets():
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QLabel):
            rich = widget.textFormat() == Qt.TextFormat.RichText or (
                widget.textFormat() == Qt.TextFormat.AutoText
                and GuiQt.mightBeRichText(widget.text())
            )
            yield where, widget.text(), rich
        if widget.toolTip():
            yield f"{where} tooltip", widget.toolTip(), GuiQt.mightBeRichText(widget.toolTip())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            root = QModelIndex()
            try:
                columns = model.columnCount(root)
            except TypeError:  # a list widget's model keeps it private: one column
                columns = 1
            for row in range(model.rowCount(root)):
                for column in range(columns):
                    tip = model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)
                    if tip:
                        yield f"{where} item tooltip", str(tip), GuiQt.mightBeRichText(str(tip))


def test_hostile_routine_text_shows_as_text_everywhere_and_opens_no_file(
    make_window: WindowFactory,
    clock: FakeClock,
    data_dir: Path,
    fifo: Path,
    hostile_routine: str,
) -> None:
    log = SessionLog(data_dir / "log")
    log.open()
    with ReaderWatch(fifo) as watch:
        window: MainWindow = make_window(SessionRecorder(log, LogWriter()))
        window.library.select(hostile_routine)
        window.library.start_button.click()
        run_for(window, clock, 3)
        window.toggle_compact()
        run_for(window, clock, 1)
        window.toggle_compact()
        run_for(window, clock, 30)  # to the end: the summary
        assert window.sessions.recorder is not None and window.sessions.recorder.writer.flush()
        QApplication.processEvents()
        (session,) = log.sessions()
        window.history.add_session(session.with_changes(notes=hostile("Session notes", fifo)))
        window.tabs.setCurrentIndex(HISTORY)
        QApplication.processEvents()
        texts = list(shown_texts())
        for widget in QApplication.allWidgets():
            widget.repaint()  # what a label shows is drawn, not only set
    assert watch.readers == 0, "Qt opened a file named in a routine"
    shown = [(where, text) for where, text, _ in texts if "Name" in text or "Exercise" in text]
    assert len(shown) >= 4, shown  # library, player, compact, summary at least
    rich = [(where, text) for where, text, is_rich in texts if is_rich and "<img" in text]
    assert rich == []
    links = [w for w in QApplication.allWidgets() if isinstance(w, LinkLabel)]
    assert links and all("&lt;img" in link.text() for link in links if "img" in link.text())


def test_only_the_plain_text_module_makes_text_widgets() -> None:
    made_elsewhere = []
    for path in UI.rglob("*.py"):
        if path.name == "plain_text.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else (func.attr if isinstance(func, ast.Attribute) else "")
            )
            owner = (
                func.value.id
                if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name))
                else ""
            )
            if name in TEXT_WIDGETS or (owner == "QMessageBox" and name in STATIC_MESSAGE_BOXES):
                made_elsewhere.append(f"{path.relative_to(UI)}:{node.lineno} {name}")
            if name in ("setTextFormat", "setHtml") and (path.name, name) not in MARKUP_ALLOWED:
                made_elsewhere.append(f"{path.relative_to(UI)}:{node.lineno} {name}")
            if name == "set_by_name" and any(
                isinstance(arg, ast.Constant) and arg.value == "textFormat" for arg in node.args
            ):  # the format set by its name (app/ui/widgets/by_name.py)
                made_elsewhere.append(f"{path.relative_to(UI)}:{node.lineno} textFormat")
            if (
                name == "setToolTip"
                and node.args
                and not (
                    isinstance(node.args[0], ast.Constant)
                    or (
                        isinstance(node.args[0], ast.Call)
                        and getattr(node.args[0].func, "id", "") == "plain_tooltip"
                    )
                )
            ):
                made_elsewhere.append(f"{path.relative_to(UI)}:{node.lineno} setToolTip")
    assert made_elsewhere == []
