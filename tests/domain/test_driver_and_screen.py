"""The session driver and the screen model: one run, as data, and what every face shows."""

from __future__ import annotations

import pytest

from app.domain.clock import FakeClock
from app.domain.driver import Control, RunEvent, SessionDriver
from app.domain.plan import Cue, CueKind, PlanSettings, build_plan
from app.domain.player import PlayerState
from app.domain.routine import Exercise, Kind, Routine, Side, Sides
from app.domain.screen import EMPTY, screen_of, terminal_line

PACED = Routine(
    "paced",
    "Paced",
    (
        Exercise("Squat", Kind.REPS, reps=8),  # no tempo: at your own pace
        Exercise("Lunge", Kind.HOLD, seconds=10, sides=Sides.EACH),
    ),
)


def run_until(driver: SessionDriver, clock: FakeClock, seconds: float) -> list[RunEvent]:
    events: list[RunEvent] = []
    for _ in range(round(seconds / 0.1)):
        clock.advance(0.1)
        events += driver.update().events
    return events


def test_the_driver_reports_start_progress_and_end_once_each() -> None:
    clock = FakeClock()
    driver = SessionDriver(build_plan(PACED), clock)
    assert driver.update().events == ()  # ready: nothing happened yet
    assert driver.control(Control.PRIMARY) is False  # start: no cues to drop
    assert driver.update().events == (RunEvent.STARTED,)
    assert run_until(driver, clock, 5.5) == [RunEvent.PROGRESSED]  # get ready ended
    update = driver.update()
    assert update.snapshot.waiting and update.next_due is None  # waits for the person
    assert run_until(driver, clock, 30) == []  # no estimate runs out
    assert driver.control(Control.DONE) is False
    assert driver.update().events == (RunEvent.PROGRESSED,)
    assert driver.control(Control.SKIP) is True  # cues handed out must go
    assert driver.control(Control.STOP) is True
    assert driver.update().events == (RunEvent.ENDED,)
    assert driver.ended and driver.control(Control.PRIMARY) is False


def test_space_pauses_even_at_a_waiting_step_and_only_done_ends_it() -> None:
    clock = FakeClock()
    driver = SessionDriver(build_plan(PACED), clock)
    driver.control(Control.PRIMARY)
    assert driver.control(Control.PRIMARY) is True  # pause: the cues ahead are dropped
    assert driver.player.state is PlayerState.PAUSED
    driver.control(Control.PRIMARY)
    run_until(driver, clock, 5.5)
    assert driver.player.snapshot().waiting
    assert driver.control(Control.PRIMARY) is True  # a pause, not done
    paused = screen_of(driver.update().snapshot)
    assert paused.paused and not paused.waiting and paused.status == "Paused. Press Space to go on"
    assert driver.control(Control.DONE) is False  # Done while paused does nothing
    assert driver.player.state is PlayerState.PAUSED and driver.player.step_index == 1
    driver.control(Control.PRIMARY)
    assert driver.player.snapshot().waiting  # back to waiting for the person
    assert driver.control(Control.DONE) is False
    assert driver.player.state is PlayerState.RUNNING and driver.player.step_index == 2
    assert not driver.player.snapshot().waiting


def test_at_a_step_done_at_ones_own_pace_the_screen_shows_reps_and_the_bar_waits() -> None:
    clock = FakeClock()
    driver = SessionDriver(build_plan(PACED), clock)
    driver.control(Control.PRIMARY)
    run_until(driver, clock, 6)
    first = screen_of(driver.update().snapshot)
    run_until(driver, clock, 600)  # ten minutes on the floor, far past the estimate
    later = screen_of(driver.update().snapshot)
    assert later.big == "8" and later.big_counts == "reps" and later.reps == "8 reps"
    assert later.caption == "reps, at your pace" and later.beat is None
    assert later.waiting and later.status == "At your pace: press Enter when done"
    assert later.progress == first.progress < 0.5  # where the step began
    terminal = screen_of(driver.update().snapshot, go_key="Enter")
    assert terminal.status == "At your pace: press Enter when done"


def test_the_screen_of_a_timed_step_counts_seconds_and_names_the_side() -> None:
    clock = FakeClock()
    plan = build_plan(PACED, PlanSettings(weak_side=Side.LEFT))
    driver = SessionDriver(plan, clock)
    driver.control(Control.PRIMARY)
    run_until(driver, clock, 5.5)
    driver.control(Control.DONE)
    run_until(driver, clock, 5.5)  # the lunge's get ready
    screen = screen_of(driver.update().snapshot)
    assert screen.side is Side.RIGHT and screen.big_counts == "seconds"
    assert screen.title == "Lunge" and screen.big == "10"
    assert terminal_line(screen, 12.0) == "  0:12  RIGHT  Lunge: hold 10 s right"


def test_get_ready_is_said_once_and_the_end_fills_the_bar() -> None:
    clock = FakeClock()
    driver = SessionDriver(build_plan(PACED), clock)
    screen = screen_of(driver.update().snapshot)
    assert terminal_line(screen, 0) == "  0:00         Get ready: Squat: 5 s"
    driver.control(Control.PRIMARY)
    for _ in range(3):
        run_until(driver, clock, 20)
        driver.control(Control.DONE)
    end = screen_of(driver.update().snapshot)
    assert end.over and end.title == "Done! Well moved." and end.progress == 1.0
    assert end.big == "" and end.side is None
    assert screen_of(None) is EMPTY and not EMPTY.loaded


def test_on_paced_reps_the_big_number_is_the_rep_and_the_beat_fills_each_rep() -> None:
    clock = FakeClock()
    routine = Routine("r", "R", (Exercise("Cat cow", Kind.REPS, reps=5, tempo=3.0),))
    driver = SessionDriver(build_plan(routine), clock)
    driver.control(Control.PRIMARY)
    run_until(driver, clock, 5.0)  # get ready
    seen = []
    for _ in range(15 * 4):  # 15 s of reps, looked at four times a second
        screen = screen_of(driver.update().snapshot)
        if screen.big_counts == "rep":
            seen.append((screen.big, screen.beat))
            assert screen.caption == "of 5 reps" and screen.title == "Cat cow"
        clock.advance(0.25)
    assert [big for big, _ in seen[::12]] == ["1", "2", "3", "4", "5"]
    beats = [beat for big, beat in seen if big == "2"]
    assert beats[0] == 0.0 and beats == sorted(beats) and max(beats) == 11 / 12
    assert len(set(beats)) == 12  # twelve parts a rep, each shown


def test_the_end_summary_rounds_leaves_out_what_was_never_reached_and_asks_both_sides() -> None:
    from app.domain import display
    from app.domain.session import SessionRecord, SessionStatus, work_done

    clock = FakeClock()
    routine = Routine(
        "r",
        "R",
        (
            Exercise("Lunge", Kind.HOLD, seconds=30, sides=Sides.EACH),
            Exercise("Bridge", Kind.HOLD, seconds=20, sides=Sides.EACH),
            Exercise("Plank", Kind.HOLD, seconds=20),
        ),
    )
    plan = build_plan(routine)
    driver = SessionDriver(plan, clock)
    driver.control(Control.PRIMARY)
    # Through the lunge on both sides, 8.7 s into the bridge's first side, 0.6 s into
    # its second (skipped at once), then stop.
    lunge_and_switch = sum(s.seconds for s in plan.steps if s.exercise == "Lunge")
    run_until(driver, clock, lunge_and_switch + 5.0 + 8.7)
    driver.control(Control.SKIP)  # to the switch
    driver.control(Control.SKIP)  # to the bridge's second side
    run_until(driver, clock, 0.6)
    driver.control(Control.STOP)
    player = driver.player
    record = SessionRecord(
        "id",
        "r",
        "R",
        "p",
        "2026-11-22T10:00:00+00:00",
        SessionStatus.STOPPED,
        active_seconds=player.active_seconds(),
        work=work_done(plan, player.outcomes),
    )
    lines = display.session_summary(record)
    assert lines[1:] == ["Lunge: left 30 s, right 30 s", "Bridge: left 8 of 20 s"]
    assert display.per_side_exercises(record) == [(0, "Lunge")]


def test_a_single_rep_at_ones_own_pace_reads_one_rep() -> None:
    clock = FakeClock()
    one = Routine("one", "One", (Exercise("Deep squat", Kind.REPS, reps=1),))
    driver = SessionDriver(build_plan(one), clock)
    driver.control(Control.PRIMARY)
    run_until(driver, clock, 6)
    screen = screen_of(driver.update().snapshot)
    assert screen.big == "1" and screen.reps == "1 rep"
    assert screen.caption == "rep, at your pace"


def test_the_last_second_reads_as_one_second() -> None:
    clock = FakeClock()
    driver = SessionDriver(build_plan(PACED), clock)
    driver.control(Control.PRIMARY)
    run_until(driver, clock, 4.5)
    screen = screen_of(driver.update().snapshot)
    assert (screen.big, screen.caption) == ("1", "second to get ready")


def test_a_face_that_looks_only_when_next_change_says_misses_no_change() -> None:
    from app.domain.screen import LOOK_AFTER, next_change

    routine = Routine(
        "r",
        "R",
        (
            Exercise("Cat cow", Kind.REPS, reps=4, tempo=3.0, sides=Sides.EACH),
            Exercise("Squat", Kind.REPS, reps=3),  # at your own pace
            Exercise("Plank", Kind.HOLD, seconds=20),
        ),
    )
    clock = FakeClock()
    driver = SessionDriver(build_plan(routine), clock)
    driver.control(Control.PRIMARY)
    looks, start = 0, clock.now()
    while not driver.ended and clock.now() - start < 200:
        update = driver.update()
        shown = screen_of(update.snapshot)
        if update.snapshot.waiting and clock.now() - start > 60:
            driver.control(Control.DONE)
            continue
        wait = next_change(update.snapshot)
        due = update.next_due
        step = 0.25 if wait is None else wait
        if due is not None:
            step = min(step, due - clock.now())
        # Every 10 ms up to the change, short of it (the look comes just after
        # it, by LOOK_AFTER): the screen stays as it was shown.
        samples = int((step - LOOK_AFTER - 1e-6) / 0.01)
        for _ in range(samples):
            clock.advance(0.01)
            assert screen_of(driver.player.snapshot()) == shown
        clock.advance(step - samples * 0.01)
        looks += 1
    assert driver.ended
    assert looks / (clock.now() - start) < 12  # not a poll: a look when it changes


def test_the_terminal_says_the_set_and_a_rest_once() -> None:
    routine = Routine(
        "sets", "Sets", (Exercise("Roll", Kind.REPS, reps=2, tempo=1, sets=2, rest_seconds=5),)
    )
    plan = build_plan(routine)
    clock = FakeClock()
    driver = SessionDriver(plan, clock)
    driver.control(Control.PRIMARY)
    began, lines = clock.now(), []
    for index, start in enumerate(plan.starts()):
        run_until(driver, clock, start + 0.1 - (clock.now() - began))
        snapshot = driver.update().snapshot
        assert snapshot.step_index == index
        lines.append(terminal_line(screen_of(snapshot), start).split("  ", 2)[-1].strip())
    assert lines == [
        "Get ready: Roll: 5 s",
        "Roll: 2 reps, set 1 of 2",
        "Rest 5 s, set 1 of 2",
        "Roll: 2 reps, set 2 of 2",
    ]


def test_the_bar_moves_with_the_seconds_not_between_them() -> None:
    from app.domain.screen import bar_steps, next_change

    assert (bar_steps(34.0), bar_steps(34.9), bar_steps(1000.0), bar_steps(0.5)) == (34, 34, 400, 1)
    # A 25 s routine: its face looks twice a second (the countdown's second and the
    # elapsed time's half), not at each of 400 steps of its bar.
    clock = FakeClock()
    driver = SessionDriver(
        build_plan(Routine("h", "H", (Exercise("Hold", Kind.HOLD, seconds=20),))), clock
    )
    driver.control(Control.PRIMARY)
    looks, start = 0, clock.now()
    while not driver.ended:
        update = driver.update()
        wait = next_change(update.snapshot)
        due = update.next_due
        step = 0.25 if wait is None else wait
        if due is not None:
            step = min(step, due - clock.now())
        clock.advance(max(step, 0.001))
        looks += 1
    assert looks / (clock.now() - start) <= 2.2


def words_said(driver: SessionDriver, clock: FakeClock, seconds: float) -> list[Cue]:
    """The cues with words that come due over the next `seconds`."""
    said = [due.cue for due in driver.update().cues if due.cue.words]
    began = clock.now()
    while clock.now() - began < seconds - 1e-9:
        clock.advance(0.05)
        said += [due.cue for due in driver.update().cues if due.cue.words]
    return said


def spoken_heel_sitting() -> tuple[SessionDriver, FakeClock]:
    from app.domain.spoken import DEFAULT_PHRASES, script
    from tests.domain.test_plan import builtin

    plan = script(build_plan(builtin("spinal-rotation-heel-sitting")), DEFAULT_PHRASES)
    clock = FakeClock()
    return SessionDriver(plan, clock), clock


def pause_as_a_face_does(driver: SessionDriver, cut: Cue | None) -> None:
    """Space, and the cue player's answer to `cancel`: the words it cut, if any."""
    assert driver.control(Control.PRIMARY) is True
    driver.words_cut_by(cut)


def test_words_a_pause_cut_are_said_again_on_going_on_in_the_room_left() -> None:
    # Paused while told what comes next (the get-ready phrase, said from 0.5 s), a
    # person hears it again on going on: as words only, in what is left of their
    # room, which the cue player fits the longest version into.
    driver, clock = spoken_heel_sitting()
    driver.control(Control.PRIMARY)
    (said,) = words_said(driver, clock, 1.0)
    pause_as_a_face_does(driver, said)  # at 1.0 s, the words cut short
    clock.advance(60.0)
    assert driver.control(Control.PRIMARY) is False  # going on
    (again,) = driver.update().cues
    assert again.due_at == clock.now() and again.step_index == 0
    assert again.cue.words == said.words and again.cue.kind is CueKind.SPEECH
    assert again.cue.room == pytest.approx(said.at + said.room - 1.0)
    # Said once: nothing more with words before the step's go.
    assert words_said(driver, clock, 3.5) == []


def test_words_are_said_again_only_when_a_pause_cut_them() -> None:
    def going_on(seconds: float, cut: str = "said", then: Control | None = None) -> list[Cue]:
        """Paused at `seconds`, the cue player cutting the words said (or none),
        maybe another control while paused, then going on."""
        driver, clock = spoken_heel_sitting()
        driver.control(Control.PRIMARY)
        said = words_said(driver, clock, seconds)
        pause_as_a_face_does(driver, said[-1] if said and cut == "said" else None)
        if then is not None and driver.control(then):
            driver.words_cut_by(None)
        if then is not Control.STOP:
            driver.control(Control.PRIMARY)
        return words_said(driver, clock, 1.0)

    assert len(going_on(1.0)) == 1
    assert going_on(1.0, cut="") == []  # the words had ended: nothing cut
    # Back to the step's start: its words come anew, once, on their own cue.
    assert [cue.kind for cue in going_on(1.0, then=Control.BACK)] == [CueKind.ANNOUNCE]
    assert going_on(1.0, then=Control.STOP) == []
    assert going_on(4.8) == []  # past the room of the words (to 4.7 s)


def test_counts_and_words_cut_by_anything_but_a_pause_are_not_said_again() -> None:
    driver, clock = spoken_heel_sitting()
    driver.control(Control.PRIMARY)
    words_said(driver, clock, 7.0)  # into the reps
    count = Cue(6.5, CueKind.SPEECH, words=("two",), room=0.8)
    pause_as_a_face_does(driver, count)
    driver.control(Control.PRIMARY)
    assert words_said(driver, clock, 0.5) == []
    # Cut by a skip, words are not said again at a later pause.
    driver, clock = spoken_heel_sitting()
    driver.control(Control.PRIMARY)
    (said,) = words_said(driver, clock, 1.0)
    assert driver.control(Control.SKIP) is True
    driver.words_cut_by(said)
    pause_as_a_face_does(driver, None)
    driver.control(Control.PRIMARY)
    assert words_said(driver, clock, 0.5) == []
