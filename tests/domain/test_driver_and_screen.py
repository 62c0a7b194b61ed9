"""The session driver and the screen model: one run, as data, and what every face shows."""

from __future__ import annotations

from app.domain.clock import FakeClock
from app.domain.driver import Control, RunEvent, SessionDriver
from app.domain.plan import PlanSettings, build_plan
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


def test_space_pauses_a_running_step_and_is_done_at_a_waiting_one() -> None:
    clock = FakeClock()
    driver = SessionDriver(build_plan(PACED), clock)
    driver.control(Control.PRIMARY)
    assert driver.control(Control.PRIMARY) is True  # pause: the cues ahead are dropped
    assert driver.player.state is PlayerState.PAUSED
    driver.control(Control.PRIMARY)
    run_until(driver, clock, 5.5)
    assert driver.player.snapshot().waiting
    assert driver.control(Control.PRIMARY) is False  # done, not a pause
    assert driver.player.state is PlayerState.RUNNING
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
    assert later.waiting and later.status == "Press Space or Enter when done"
    assert later.progress == first.progress < 0.5  # where the step began
    terminal = screen_of(driver.update().snapshot, go_key="Enter")
    assert terminal.status == "Press Enter when done"


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
