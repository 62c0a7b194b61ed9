"""The window's player, the compact window and the terminal show the same thing at
every step of a routine with a step done at one's own pace: one screen model."""

from __future__ import annotations

import io

from PySide6.QtTest import QTest

from app.domain.clock import FakeClock
from app.domain.plan import PlanSettings, build_plan
from app.domain.routine import Exercise, Kind, Routine, Side, Sides
from app.terminal_player import play_in_terminal
from app.ui.main_window import MainWindow
from tests.ui.conftest import RecordingCuePlayer

ROUTINE = Routine(
    "faces",
    "Faces",
    (
        Exercise("Squat", Kind.REPS, reps=6),  # at your own pace
        Exercise("Lunge", Kind.HOLD, seconds=8, sides=Sides.EACH),
        Exercise("Rock", Kind.REPS, reps=2, tempo=2.0, sides=Sides.EACH),
    ),
)
SETTINGS = PlanSettings(weak_side=Side.LEFT)


def faced(window: MainWindow) -> dict[str, str]:
    """The texts the player's floor face paints, by part."""
    face = window.player_view.face
    face.grab()
    return {part: drawn.text for part, drawn in face.drawn.items()}


def test_window_compact_and_terminal_show_the_same_at_every_step(
    window: MainWindow, clock: FakeClock
) -> None:
    plan = build_plan(ROUTINE, SETTINGS)
    # The terminal plays the routine on a clock of its own; Enter when it waits.
    terminal_clock, out = FakeClock(), io.StringIO()
    status = play_in_terminal(
        plan,
        terminal_clock,
        RecordingCuePlayer(),
        out,  # type: ignore[arg-type]
        sleep=terminal_clock.advance,
        wait_for_enter=lambda: terminal_clock.advance(20),  # 20 s on the floor
    )
    assert status == 0
    printed = [line for line in out.getvalue().splitlines() if line.startswith("  ")]
    step_lines = [line for line in printed if not line.strip().startswith("At your pace")]

    window.load_routine(ROUTINE, SETTINGS)
    window.toggle_compact()  # the compact window up, the player behind it
    compact, view, controller = window.compact, window.player_view, window.controller
    controller.primary()
    seen: list[str] = []
    for index, step in enumerate(plan.steps):
        snapshot = controller.snapshot()
        assert snapshot is not None and snapshot.step_index == index
        screen = controller.screen
        side = step.side.value.upper() if step.side else ""
        # The same title, side and big number in the player and the compact window...
        painted = faced(window)
        assert painted["title"] == compact.exercise.text() == screen.title
        assert painted.get("band", "") == (f"{side} SIDE" if side else "")
        assert compact.badge.text() == side
        assert painted["number"] == compact.countdown.text() == screen.big
        # ... and the terminal printed the same title and side as the step began.
        assert step_lines[index].split(None, 2)[1:] != []
        assert f"  {side:<5}  {screen.title}: {screen.asks}" in step_lines[index]
        seen.append(screen.big_counts)
        if screen.waiting:
            assert screen.big == "6" and painted["caption"] == compact.caption.text()
            assert compact.caption.text() == "reps, at your pace"
            assert painted["status"] == compact.next.text()
            assert compact.next.text() == "At your pace: press Enter when done"
            assert "       At your pace: press Enter when done." in out.getvalue()
            progress = view.shown.progress
            for _ in range(200):  # 20 s past the estimate: nothing counts down
                clock.advance(0.1)
                controller.poll()
            assert faced(window)["number"] == compact.countdown.text() == "6"
            assert view.shown.progress == progress < 1
            controller.continue_step()
        else:
            while (
                not controller.screen.over
                and controller.screen.title == screen.title
                and (controller.snapshot().step_index == index)
            ):
                clock.advance(0.1)
                controller.poll()
    assert "reps" in seen and "seconds" in seen and "rep" in seen
    assert view.summary.heading.text() == compact.exercise.text() == "Done! Well moved."
    assert out.getvalue().splitlines()[-1] == "Done! Well moved."
    window.toggle_compact()
    QTest.qWait(0)
