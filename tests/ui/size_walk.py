"""Walks the installed window through every view and player state at the sizes a
screen allows, and prints what is wrong as JSON lines (nothing: all fits).

Run by tests/ui/test_sizes.py in a process of its own per screen and scale:

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json QT_SCALE_FACTOR=2 \\
        python3 -P tests/ui/size_walk.py

Checked at each stop: the window is no larger than the screen's available area
and never grew by itself; every visible control lies inside its window and is
no smaller than its smallest size (a button's text would be cut); the floor
face cut no text; a table with room to spare cuts no column.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSpinBox,
    QTableView,
    QWidget,
)

from app.audio.cue_player import AudioStatus, NullCuePlayer
from app.domain.clock import FakeClock
from app.domain.plan import PlanSettings, build_plan
from app.domain.routine import Exercise, Kind, Routine, Side, Sides
from app.domain.session import SessionRecord, SessionStatus, local_iso, work_done
from app.main import assemble_window, open_library
from app.storage.settings import Settings
from app.ui.main_window import HISTORY, LIBRARY, PLAYER, MainWindow

CONTROLS = (QAbstractButton, QAbstractSlider, QComboBox, QLineEdit, QSpinBox, QLabel)
PROBLEMS: list[dict[str, object]] = []


def problem(where: str, what: str, **details: object) -> None:
    PROBLEMS.append({"where": where, "what": what, **details})


def name_of(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") else ""
    return f"{type(widget).__name__}({widget.objectName() or str(text)[:30]!r})"


def check(window: QMainWindow, where: str, expected: QSize) -> None:
    """The checks at one stop of the walk."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for _ in range(3):
        app.processEvents()
    available = window.screen().availableGeometry()
    size = window.size()
    if size.width() > available.width() or size.height() > available.height() - 40:
        problem(where, "window larger than the screen", size=[size.width(), size.height()])
    if size != expected:
        problem(where, "window changed size by itself", size=[size.width(), size.height()])
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not isinstance(widget, CONTROLS):
            continue
        if widget.objectName().startswith("qt_"):
            continue  # a part of a control (a spin box's line edit), checked with it
        top_left = widget.mapTo(window, QPoint(0, 0))
        rect = QRect(top_left, widget.size())
        scrolls = in_scroll_area(widget, window)
        if not window.rect().contains(rect) and not scrolls:
            problem(where, "outside the window", widget=name_of(widget))
            continue
        if not scrolls and widget.visibleRegion().boundingRect() != widget.rect():
            problem(where, "cut off by what holds it", widget=name_of(widget))
            continue
        if isinstance(widget, QLabel):
            if widget.wordWrap() or not widget.text():
                continue
            smallest = widget.sizeHint()  # a label's text needs its full hint
        elif isinstance(widget, QAbstractButton) and widget.text():
            # Its text and a little margin (a style's 80 px least width aside).
            metrics = widget.fontMetrics()
            smallest = QSize(
                metrics.horizontalAdvance(widget.text().replace("&", "")) + 10,
                metrics.height(),
            )
        else:
            smallest = widget.minimumSizeHint()
        if widget.width() < smallest.width() - 1 or widget.height() < smallest.height() - 1:
            problem(
                where,
                "clipped",
                widget=name_of(widget),
                size=[widget.width(), widget.height()],
                needs=[smallest.width(), smallest.height()],
            )
    face = getattr(getattr(window, "player_view", None), "face", None)
    if face is not None and face.isVisibleTo(window):
        face.grab()
        for part, drawn in face.drawn.items():
            if drawn.cut:
                problem(where, "face text cut", part=part, text=drawn.text)
    for table in window.findChildren(QTableView):
        if table.isVisibleTo(window):
            check_columns(table, where)


def in_scroll_area(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def check_columns(table: QTableView, where: str) -> None:
    """No column is cut while the table has room to spare."""
    model = table.model()
    if model is None or model.rowCount() == 0:
        return
    header = table.horizontalHeader()
    columns = [c for c in range(model.columnCount()) if not table.isColumnHidden(c)]
    used = sum(header.sectionSize(c) for c in columns)
    spare = table.viewport().width() - used
    for column in columns:
        wanted = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
        if header.sectionSize(column) < wanted - 2 and spare > 8:
            problem(
                where,
                "column cut with room to spare",
                table=table.objectName() or type(table.parentWidget()).__name__,
                column=str(model.headerData(column, header.orientation())),
                width=header.sectionSize(column),
                needs=wanted,
                spare=spare,
            )


def sessions() -> list[SessionRecord]:
    """Thirty sessions of a per-side routine, one every other day."""
    routine = Routine(
        "walk",
        "Seated rotation with bar: a long name that tables must show",
        (
            Exercise("Seated rotation with bar", Kind.REPS, reps=6, tempo=2.0, sides=Sides.EACH),
            Exercise("Hip rock", Kind.HOLD, seconds=20, sides=Sides.EACH),
        ),
    )
    plan = build_plan(routine, PlanSettings(weak_side=Side.LEFT))
    clock = FakeClock()
    from app.domain.driver import Control, SessionDriver

    driver = SessionDriver(plan, clock)
    driver.control(Control.PRIMARY)
    while not driver.ended:
        clock.advance(1.0)
        driver.update()
    work = work_done(plan, driver.player.outcomes)
    start = datetime.now().astimezone() - timedelta(days=60)
    return [
        SessionRecord(
            id=f"s{day}",
            routine_id=routine.id,
            routine=routine.name,
            plan_id="p",
            started=local_iso(start + timedelta(days=day)),
            ended=local_iso(start + timedelta(days=day, minutes=3)),
            status=SessionStatus.COMPLETED,
            active_seconds=plan.total_seconds,
            weak_side="left",
            work=work,
            tighter={"0": "left"},
        )
        for day in range(0, 60, 2)
    ]


def stops(window: MainWindow, clock: FakeClock) -> Iterator[str]:
    """Takes the window through each view and player state; yields a name at each."""
    controller = window.controller
    window.tabs.setCurrentIndex(LIBRARY)
    yield "library"
    window.library.select("five-movements-healthy-back")
    yield "library, a routine selected"
    window.tabs.setCurrentIndex(PLAYER)
    yield "player, nothing loaded"
    window.load_routine(
        window.routines.store.find("spinal-rotation-heel-sitting").routine,
        PlanSettings(weak_side=Side.LEFT),
    )
    yield "player, ready"
    controller.primary()
    yield "player, get ready"
    for _ in range(12):
        clock.advance(0.5)
        controller.poll()
    yield "player, paced reps on a side"
    controller.primary()
    yield "player, paused"
    controller.primary()
    waiting = Routine(
        "waits",
        "Waits",
        (
            Exercise(
                "Quadruped hip rock with one leg out to the side",
                Kind.REPS,
                reps=8,
                sides=Sides.EACH,
            ),
        ),
    )
    window.load_routine(waiting, PlanSettings())
    controller.primary()
    for _ in range(12):
        clock.advance(0.5)
        controller.poll()
    yield "player, waiting for the person"
    window.load_routine(
        window.routines.store.find("five-movements-healthy-back").routine,
        PlanSettings(weak_side=Side.RIGHT),
    )
    controller.primary()
    for _ in range(2000):
        clock.advance(0.5)
        controller.poll()
        if controller.screen.waiting:
            controller.continue_step()
        if controller.screen.over:
            break
    window.sessions.arrived(sessions())
    window.sessions.finished.emit(window.sessions.sessions[-1])
    yield "player, done with the summary"
    window.tabs.setCurrentIndex(HISTORY)
    history = window.history
    if history.charts is None:
        from PySide6.QtCore import QEventLoop, QTimer

        drawn = QEventLoop()
        history.charts_drawn.connect(drawn.quit)
        QTimer.singleShot(20_000, drawn.quit)
        drawn.exec()
    yield "history"


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as scratch:
        clock = FakeClock()
        window = assemble_window(
            Settings(Path(scratch)),
            clock,
            NullCuePlayer(AudioStatus(True, "")),
            open_library(),
            None,
        )
        window.routines.load()
        window.sessions.arrived([])
        window.show()
        window.add_extras()  # as start-up does once the first frame is painted
        app.processEvents()
        available = window.screen().availableGeometry().size()
        opened = window.size()
        sizes = {"as opened": opened, "the whole screen": available - QSize(0, 40)}
        smallest = window.minimumSize().expandedTo(window.minimumSizeHint())
        if smallest.width() <= available.width() and smallest.height() <= available.height():
            sizes["its smallest"] = smallest
        for label, size in sizes.items():
            window.resize(size)
            app.processEvents()
            expected = window.size()
            for stop in stops(window, clock):
                check(window, f"{stop} at {label} {size.width()}x{size.height()}", expected)
        window.controller.stop()
        window.close()
    for found in PROBLEMS:
        print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
