"""The history view on a real log: table, filters, notes, delete and undo, charts."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.domain.session import SessionRecord
from app.recorder import LogWriter, SessionRecorder
from app.storage.session_log import SessionLog
from app.ui.history.charts import HistoryCharts, heat_levels
from app.ui.history.history_view import HistoryView
from app.ui.history.session_table import NOTES
from app.ui.main_window import HISTORY, LIBRARY, MainWindow
from tests.bench.synthetic import sessions, write_log
from tests.storage.log_helpers import record
from tests.ui.conftest import WindowFactory

TODAY = date(2026, 11, 21)


@pytest.fixture
def log(data_dir: Path) -> SessionLog:
    records, plans = sessions(120, 1, TODAY)
    write_log(data_dir / "log", records, plans)
    opened = SessionLog(data_dir / "log")
    assert opened.open() == []
    return opened


@pytest.fixture
def window(make_window: WindowFactory, qtbot: QtBot, log: SessionLog) -> MainWindow:
    main = make_window(SessionRecorder(log, LogWriter()))
    qtbot.waitUntil(lambda: bool(main.history.sessions))  # read on the writer's thread
    main.history.set_sessions(main.history.sessions, TODAY)
    return main


def open_history(window: MainWindow, qtbot: QtBot) -> HistoryCharts:
    """Shows History and waits for its charts (drawn on the next turn of the loop)."""
    window.tabs.setCurrentIndex(HISTORY)
    qtbot.waitUntil(lambda: window.history.charts is not None)
    assert window.history.charts is not None
    return window.history.charts


def test_every_session_is_listed_newest_first(window: MainWindow, log: SessionLog) -> None:
    history = window.history
    window.tabs.setCurrentIndex(HISTORY)
    total = len(log.sessions())
    assert history.model.rowCount() == total > 90
    first = history.model.index(0, 0).data()
    last = history.model.index(total - 1, 0).data()
    assert first > last and first.startswith("2026-11-")


def test_filters_narrow_the_table_and_the_charts(window: MainWindow, qtbot: QtBot) -> None:
    history = window.history
    charts = open_history(window, qtbot)
    everything = history.model.rowCount()
    history.routine_filter.setCurrentIndex(
        history.routine_filter.findText("Spinal Rotation in Heel Sitting")
    )
    rows = history.model.rowCount()
    assert 0 < rows < everything
    assert {history.model.index(r, 1).data() for r in range(rows)} == {
        "Spinal Rotation in Heel Sitting"
    }
    history.routine_filter.setCurrentIndex(0)
    history.tag_filter.setCurrentIndex(history.tag_filter.findText("foam roller"))
    assert history.model.rowCount() < everything
    history.tag_filter.setCurrentIndex(0)
    history.first_day.setDate(QDate(2026, 11, 15))
    history.last_day.setDate(QDate(2026, 11, 21))
    week = history.model.rowCount()
    assert 0 < week <= 7
    bars = charts.week_bars.opts["height"]
    assert sum(bars) <= week and len(bars) == 12


def test_the_charts_show_the_goal_weeks_and_the_year(window: MainWindow, qtbot: QtBot) -> None:
    history = window.history
    charts = open_history(window, qtbot)
    history.goal.setValue(6)
    assert charts.goal_line.value() == 6 and window.settings.weekly_goal == 6
    history.weeks.setCurrentIndex(1)
    assert len(charts.week_bars.opts["height"]) == 52
    assert charts.heat_image.image.shape == (53, 7)
    assert len(charts.minute_bars.opts["height"]) == 52
    assert "Streak:" in history.streak.text()


def stacked(charts: HistoryCharts, weeks: int) -> list[tuple[int, int, int]]:
    """Each week's (left, right, same) as the stacked bars draw them, checking that
    each part sits on the one below."""
    drawn = [[0, 0, 0] for _ in range(weeks)]
    for part, key in enumerate(("left", "right", "same")):
        bars = charts.tighter_bars[key].opts
        for x, y0, height in zip(bars["x"], bars["y0"], bars["height"], strict=True):
            assert y0 == sum(drawn[int(x)][:part])
            drawn[int(x)][part] = int(height)
    return [(left, right, same) for left, right, same in drawn]


def test_the_tighter_chart_stacks_what_was_felt_per_week_and_follows_the_filters(
    window: MainWindow, qtbot: QtBot
) -> None:
    history = window.history
    charts = open_history(window, qtbot)
    history.weeks.setCurrentIndex(1)
    expected = [(w.left, w.right, w.same) for w in history.overview().tighter]
    assert len(expected) == 52 and sum(map(sum, expected)) > 100
    assert stacked(charts, 52) == expected
    # The made-up weaker side catches up: the left felt tighter less often lately.
    answered = [w for w in expected if sum(w)]
    early, late = (
        sum(w[0] for w in half) / sum(map(sum, half))
        for half in (answered[: len(answered) // 2], answered[len(answered) // 2 :])
    )
    assert late < early - 0.15, (early, late)
    assert not charts.tighter_empty.isVisible()
    # One routine: just its answers, on the scale of every routine's.
    top = charts.tighter.viewRange()[1][1]
    history.routine_filter.setCurrentIndex(
        history.routine_filter.findText("Spinal Rotation in Heel Sitting")
    )
    heel = [s for s in history.sessions if s.routine_id == "spinal-rotation-heel-sitting"]
    one = stacked(charts, 52)
    assert sum(map(sum, one)) == sum(len(s.tighter) for s in heel) < sum(map(sum, expected))
    assert charts.tighter.viewRange()[1][1] == top
    # A day off: no answers, and the chart says so rather than stay blank.
    days = {s.started_at.date() for s in history.sessions}
    off = next(d for n in range(1, 60) if (d := TODAY - timedelta(days=n)) not in days)
    for edit in (history.first_day, history.last_day):
        edit.setDate(QDate(off.year, off.month, off.day))
    assert stacked(charts, 52) == [(0, 0, 0)] * 52
    assert charts.tighter_empty.isVisible()


def test_the_tighter_chart_has_a_legend_in_words_and_shades_apart() -> None:
    from PySide6.QtGui import QColor

    from app.ui.history.charts import TIGHTER_SERIES

    assert [label for _key, label, _colour in TIGHTER_SERIES] == [
        "Left tighter",
        "Right tighter",
        "Same",
    ]
    # Told apart without colour: dark, middle and light.
    shades = [QColor(colour).lightness() for _key, _label, colour in TIGHTER_SERIES]
    assert shades[0] + 40 < shades[1] < shades[2] - 40


def test_more_minutes_stand_out_more_on_light_and_dark_backgrounds() -> None:
    from PySide6.QtGui import QColor

    from app.ui.history.charts import heat_colours

    def lightness(rgba: object) -> int:
        red, green, blue, _ = (int(v) for v in rgba)  # type: ignore[attr-defined]
        return QColor(red, green, blue).lightness()

    for background in (QColor("#ffffff"), QColor("#1e1e1e")):
        table = heat_colours(background)
        away = [abs(lightness(table[i]) - background.lightness()) for i in (1, 2, 128, 255)]
        assert away[1] < away[2] < away[3], background.name()  # more minutes, more contrast
        assert away[0] > 10  # a day without a warm-up is not mistaken for the background


def test_without_answers_the_tighter_chart_says_so(qtbot: QtBot) -> None:
    from app.domain.history_stats import TighterWeek
    from app.ui.history.charts import ChartData, HistoryCharts
    from app.ui.widgets.plain_text import PlainLabel
    from tests.domain.reference_stats import heatmap

    charts = HistoryCharts()
    qtbot.addWidget(charts)
    weeks = [date(2026, 11, 9), date(2026, 11, 16)]

    def show(*answers: tuple[int, int, int]) -> None:
        charts.show_data(
            ChartData(
                per_week=[(d, 0) for d in weeks],
                goal=4,
                minutes=[(d, 0.0) for d in weeks],
                heat=heatmap([], TODAY),
                tighter=[TighterWeek(d, *a) for d, a in zip(weeks, answers, strict=True)],
            )
        )

    charts.show()
    show((0, 0, 0), (0, 0, 0))
    assert charts.tighter_empty.isVisible()
    assert charts.tighter_empty.textItem.toPlainText().startswith("No answers")
    show((0, 0, 0), (2, 0, 3))
    assert not charts.tighter_empty.isVisible()
    assert stacked(charts, 2) == [(0, 0, 0), (2, 0, 3)]
    # The legend is words in plain labels, each beside its swatch.
    words = [label.text() for label in charts.findChildren(PlainLabel) if label.text()]
    assert words == ["Left tighter", "Right tighter", "Same"]
    assert all(label.isVisible() for label in charts.findChildren(PlainLabel))


def test_heat_levels_tell_apart_days_to_come_rest_days_and_work() -> None:
    from app.domain.history_stats import Heatmap

    grid = heat_levels(Heatmap(TODAY, [[0.0, 5.0, 40.0, None, None, None, None]]))
    assert list(grid[0][:4]) == [1, pytest.approx(2 + 253 / 4), 255, 0]


def test_notes_edited_in_the_table_are_saved(
    window: MainWindow, log: SessionLog, qtbot: QtBot
) -> None:
    history = window.history
    window.tabs.setCurrentIndex(HISTORY)
    index = history.model.index(0, NOTES)
    assert history.model.setData(index, "  left hip tight  ")
    assert window.sessions.recorder is not None and window.sessions.recorder.writer.flush()
    newest = max(log.sessions(), key=lambda s: s.started_at)
    assert newest.notes == "left hip tight"


def test_delete_then_undo(window: MainWindow, log: SessionLog, qtbot: QtBot) -> None:
    history = window.history
    window.tabs.setCurrentIndex(HISTORY)
    before = len(log.sessions())
    history.table.selectRow(0)
    doomed = history.selected()
    assert doomed is not None
    history.table.setFocus()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(history.table, Qt.Key.Key_Delete)
    assert window.sessions.recorder is not None and window.sessions.recorder.writer.flush()
    assert len(log.sessions()) == before - 1 and history.model.rowCount() == before - 1
    assert "Ctrl+Z brings it back" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert window.sessions.recorder.writer.flush()
    assert doomed in log.sessions() and history.model.rowCount() == before
    assert not window.undo_action.isEnabled()


def test_the_library_suggests_from_the_answers_in_the_log(window: MainWindow) -> None:
    # The log's answers, then three sessions with the left tighter, then three
    # where it felt the same as the right: whatever the log said before.
    library = window.library
    window.tabs.setCurrentIndex(LIBRARY)
    library.select("spinal-rotation-heel-sitting")
    library.set_weak_side(None)

    def answered(day: int, side: str) -> list[SessionRecord]:
        return [
            record(f"2026-11-{day}T{hour}:00:00+01:00").with_changes(tighter={"0": side})
            for hour in (18, 19, 20)
        ]

    window.sessions.arrived([*window.sessions.sessions, *answered(21, "left")])
    assert library.suggestion.text().startswith("Suggested weaker side: left (")
    assert library.take_suggestion.text() == "Mark left weaker"
    library.take_suggestion.click()
    window.sessions.arrived([*window.sessions.sessions, *answered(22, "same")])
    assert library.suggestion.text() == (
        "Both sides felt the same in 3 of your last 5 sessions of this routine:"
        " try it without a weaker side"
    )
    assert library.take_suggestion.text() == "No weaker side"


def test_pyqtgraph_loads_only_with_the_charts_which_follow_the_table(
    window: MainWindow, qtbot: QtBot
) -> None:
    # The fixture's window has not shown History yet (other tests may have loaded
    # pyqtgraph into this process, so look at the view, not sys.modules).
    assert window.history.charts is None
    window.tabs.setCurrentIndex(HISTORY)
    assert window.history.model.rowCount() > 0  # the table at once
    assert window.history.charts is None and not window.history.charts_waiting.isHidden()
    open_history(window, qtbot)
    assert "pyqtgraph" in sys.modules and window.history.charts_waiting.isHidden()


def test_the_table_and_the_streak_fit_the_window_as_it_opens(window: MainWindow) -> None:
    # A horizontal scroll bar for a few pixels, or a streak label that resizes
    # with its text, re-lays out and repaints the view on every filter change.
    history = window.history
    window.tabs.setCurrentIndex(HISTORY)
    QTest.qWait(0)
    table = history.table
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    widest = "Streak: 9999 days · longest 9999"
    assert history.streak.fontMetrics().horizontalAdvance(widest) <= history.streak.width()
    assert history.streak.minimumSize() == history.streak.maximumSize()


def test_one_session_added_changed_or_removed_shows_as_all_of_them_read_afresh(
    qtbot: QtBot,
) -> None:
    # Sessions are added, changed and removed one at a time (not read again): the
    # view must then show just what it would show of the same sessions read anew.

    records, _ = sessions(60, 1, TODAY)
    view = new_history_view(qtbot)
    qtbot.addWidget(view)
    view.set_sessions(records[:-3], TODAY)
    assert view.tag_filter.findText("hips") > 0
    view.tag_filter.setCurrentIndex(view.tag_filter.findText("hips"))  # a mask made early
    view.add_session(records[-1])  # out of order with what is there: read anew
    view.add_session(records[-3])
    view.add_session(records[-2])
    view.add_session(records[10].with_changes(notes="stiff today"))
    view.remove_session(records[20])
    view.add_session(record("2026-11-21T21:00:00+01:00", routine="a-new-one"))  # newest

    fresh = new_history_view(qtbot)
    qtbot.addWidget(fresh)
    fresh.set_sessions(list(view.sessions), TODAY)
    fresh.tag_filter.setCurrentIndex(fresh.tag_filter.findText("hips"))
    for routine in ("", "a-new-one", records[0].routine_id):
        for shown in (view, fresh):
            shown.routine_filter.setCurrentIndex(shown.routine_filter.findData(routine))
        assert view.filtered() == fresh.filtered()
        assert view.overview() == fresh.overview()
        assert view.streak.text() == fresh.streak.text()
        assert view.model.records == fresh.model.records
    for combo in ("routine_filter", "tag_filter"):
        items = [
            [getattr(shown, combo).itemText(i) for i in range(getattr(shown, combo).count())]
            for shown in (view, fresh)
        ]
        assert items[0] == items[1]
    assert "a-new-one" in [
        view.routine_filter.itemData(i) for i in range(view.routine_filter.count())
    ]
    starts = [s.started_at for s in view.sessions]
    assert starts == sorted(starts)


def test_a_session_ending_while_history_is_hidden_shows_when_it_is_opened(
    window: MainWindow,
) -> None:
    # Hidden, the view only takes note (a session's end then costs it nothing);
    # shown, it is up to date.

    history = window.history
    window.tabs.setCurrentIndex(HISTORY)
    before = history.model.rowCount()
    window.tabs.setCurrentIndex(LIBRARY)
    new = record("2026-11-21T21:00:00+01:00")
    history.add_session(new)
    assert history.model.rowCount() == before  # not yet
    window.tabs.setCurrentIndex(HISTORY)
    assert history.model.rowCount() == before + 1
    assert history.model.records[0].id == new.id


def test_the_charts_come_even_when_no_table_is_painted(window: MainWindow, qtbot: QtBot) -> None:
    # Charts wait for the table's first paint; a table squeezed away by the
    # splitter never paints, and the charts come a moment later all the same.
    window.history.table.hide()
    open_history(window, qtbot)
    assert window.history.charts_waiting.isHidden()


def new_history_view(qtbot: QtBot) -> HistoryView:
    """A History view of its own, on no log, with settings of its own."""
    import tempfile

    from app.application.history import SessionHistory
    from app.application.to_main import ToMain
    from app.application.undo import UndoHistory
    from app.storage.settings import Settings

    history = SessionHistory(lambda _report: (None, ""), UndoHistory(), ToMain())
    view = HistoryView(history, Settings(Path(tempfile.mkdtemp())))
    history.setParent(view)
    return view


def test_the_table_answers_its_roles_and_turns_the_others_away(qtbot: QtBot) -> None:
    from app.ui.history.session_table import RECORD_ROLE, SessionTableModel

    model = SessionTableModel()
    session = record("2026-11-20T07:00:00+01:00", notes="tight")
    model.set_records([session])
    done, notes = model.index(0, 5), model.index(0, NOTES)
    assert model.data(model.index(0, 1)) == "Spinal Rotation in Heel Sitting"
    assert model.data(notes, Qt.ItemDataRole.EditRole) == "tight"
    assert model.data(model.index(0, 2), RECORD_ROLE) is session
    assert model.data(notes, Qt.ItemDataRole.ToolTipRole) and model.data(
        done, Qt.ItemDataRole.ToolTipRole
    )
    assert model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole) is None
    for role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole, 0x0100 + 7):
        assert model.data(notes, role) is None
