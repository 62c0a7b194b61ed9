"""The library view: search, tags, the plan with the weak side, Start."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.domain.routine import Side
from app.storage.settings import Settings
from app.ui.library.library_view import ROUTINE_ID
from app.ui.main_window import MainWindow
from tests.storage.log_helpers import record
from tests.ui.conftest import WindowFactory


def visible(window: MainWindow) -> list[str]:
    routines = window.library.list
    return [
        routines.item(i).data(ROUTINE_ID)
        for i in range(routines.count())
        if not routines.item(i).isHidden()
    ]


def test_search_matches_names_exercises_and_authors(window: MainWindow) -> None:
    library = window.library
    library.search.setText("scorpion")
    assert visible(window) == ["scorpion-stretch-progressions"]
    library.search.setText("kneeling lat")  # an exercise of the mini-routine
    assert visible(window) == ["thoracic-spine-mini-routine"]
    library.search.setText("holt")
    assert visible(window) == ["spinal-rotation-heel-sitting"]
    library.search.setText("no such thing")
    assert visible(window) == [] and library.name.text() == "No routine matches"
    assert not library.start_button.isEnabled()
    library.search.clear()
    assert len(visible(window)) == 5


def test_the_tag_filter_lists_every_tag(window: MainWindow) -> None:
    tags = window.library.tags
    names = [tags.itemText(i) for i in range(tags.count())]
    assert names[0] == "All tags" and "foam roller" in names and "low back" in names
    tags.setCurrentText("foam roller")
    assert visible(window) == ["thoracic-spine-mini-routine", "thoracic-spine-roller-twisters"]


def test_the_weak_side_shows_in_the_plan_at_once(window: MainWindow) -> None:
    library = window.library
    library.select("spinal-rotation-heel-sitting")
    row = library.plan.topLevelItem(0)
    assert row.text(2) == "left 3 reps, right 3 reps @ 4 s"
    assert library.total.text() == "Total 0:34"
    library.side_buttons.button(1).click()  # Left
    row = library.plan.topLevelItem(0)
    assert row.text(2) == "right 3 reps, left 5 reps @ 4 s"
    assert library.total.text() == "Total 0:42"
    assert window.settings.weak_side("spinal-rotation-heel-sitting") is Side.LEFT


def listed_text(window: MainWindow, routine_id: str) -> str:
    routines = window.library.list
    (item,) = [
        routines.item(i)
        for i in range(routines.count())
        if routines.item(i).data(ROUTINE_ID) == routine_id
    ]
    return item.text()


def test_the_list_total_follows_the_weak_side(window: MainWindow) -> None:
    library = window.library
    library.select("spinal-rotation-heel-sitting")
    assert listed_text(window, "spinal-rotation-heel-sitting").endswith("(0:34)")
    library.side_buttons.button(1).click()  # Left: the weaker side gets 5 reps, not 3
    assert listed_text(window, "spinal-rotation-heel-sitting").endswith("(0:42)")
    assert library.total.text() == "Total 0:42"
    library.select("thoracic-spine-mini-routine")  # another routine keeps its own
    assert listed_text(window, "spinal-rotation-heel-sitting").endswith("(0:42)")
    library.select("spinal-rotation-heel-sitting")
    library.side_buttons.button(0).click()  # None
    assert listed_text(window, "spinal-rotation-heel-sitting").endswith("(0:34)")


def test_the_list_total_starts_with_the_weak_side_saved(
    make_window: WindowFactory, settings: Settings
) -> None:
    settings.set_weak_side("spinal-rotation-heel-sitting", Side.LEFT)
    window = make_window(None)
    assert listed_text(window, "spinal-rotation-heel-sitting").endswith("(0:42)")
    window.routines.load()  # listed again after a change to the library
    assert listed_text(window, "spinal-rotation-heel-sitting").endswith("(0:42)")


def test_the_details_show_source_and_exercises(window: MainWindow) -> None:
    library = window.library
    library.select("thoracic-spine-mini-routine")
    assert library.name.text() == "Thoracic Spine Mini-Routine"
    assert "Trivo, physiotherapist" in library.source.text()
    rows = [library.plan.topLevelItem(i).text(0) for i in range(library.plan.topLevelItemCount())]
    assert rows == [
        "Foam roller PA mobilisation",
        "Child's pose on the roller",
        "Kneeling lat stretch",
        "Seated rotation with bar: Seated rotation",
        "Seated rotation with bar: Rotation with lateral bend",
    ]
    assert library.plan.topLevelItem(0).text(1) == "4"


def test_enter_on_a_routine_starts_it(window: MainWindow, qtbot: QtBot) -> None:
    library = window.library
    library.select("five-movements-healthy-back")
    with qtbot.waitSignal(library.start_requested) as started:
        library.list.itemActivated.emit(library.list.currentItem())
    routine, settings = started.args
    assert routine.id == "five-movements-healthy-back" and settings.weak_side is None
    assert window.controller.player is not None
    assert window.controller.player.plan.routine_id == "five-movements-healthy-back"


def test_the_suggested_side_counts_sessions_in_words_that_read_right(
    window: MainWindow,
) -> None:
    library = window.library
    library.select("spinal-rotation-heel-sitting")
    once = record().with_changes(tighter={"0": "left"})
    library.set_sessions([once])
    assert library.suggestion.text() == (
        "Suggested weaker side: left (felt tighter in your last session of this routine)"
    )
    earlier = [
        record(f"2026-11-{day}T08:00:00+01:00").with_changes(tighter={"0": side})
        for day, side in ((18, "left"), (19, "right"))
    ]
    library.set_sessions([once, *earlier])
    assert library.suggestion.text() == (
        "Suggested weaker side: left (felt tighter in 2 of your last 3 sessions of this routine)"
    )


def test_when_both_sides_felt_the_same_the_library_offers_no_weaker_side(
    window: MainWindow,
) -> None:
    library = window.library
    library.select("spinal-rotation-heel-sitting")
    library.set_weak_side(Side.LEFT)
    assert not library.take_suggestion.isVisible()  # no answers, no suggestion
    felt = [
        record(f"2026-11-{day}T08:00:00+01:00").with_changes(tighter={"0": side})
        for day, side in ((14, "left"), (16, "same"), (17, "left"), (18, "same"), (19, "same"))
    ]
    window.sessions.arrived(felt)
    assert library.suggestion.text() == (
        "Both sides felt the same in 3 of your last 5 sessions of this routine:"
        " try it without a weaker side"
    )
    assert library.take_suggestion.isVisible()
    assert library.take_suggestion.text() == "No weaker side"
    library.take_suggestion.click()
    assert library.side_buttons.checkedId() == 0  # None
    assert window.settings.weak_side("spinal-rotation-heel-sitting") is None
    assert library.plan_settings().weak_side is None
    assert library.suggestion.text() == (
        "Both sides felt the same in 3 of your last 5 sessions of this routine"
    )
    assert not library.take_suggestion.isVisible()
    # Two more sessions with the left tighter: the left is suggested again.
    tighter_left = [
        record(f"2026-11-{day}T08:00:00+01:00").with_changes(tighter={"0": "left"})
        for day in (20, 21)
    ]
    window.sessions.arrived([*felt, *tighter_left])
    assert library.suggestion.text() == (
        "Suggested weaker side: left (felt tighter in 3 of your last 5 sessions of this routine)"
    )
    assert library.take_suggestion.text() == "Mark left weaker"
    library.take_suggestion.click()
    assert window.settings.weak_side("spinal-rotation-heel-sitting") is Side.LEFT
    assert not library.take_suggestion.isVisible()
