"""What the media controls show of a routine, from the player's snapshot."""

from __future__ import annotations

from app.domain.clock import FakeClock
from app.domain.media import NOTHING, Playback, media_state
from app.domain.plan import PlanSettings, build_plan
from app.domain.player import Player
from app.domain.routine import Exercise, Kind, Routine, Side, Sides

HIPS = Routine(
    "hips",
    "Hips",
    (
        Exercise("Spinal rotation in heel sitting", Kind.HOLD, seconds=30, sides=Sides.EACH),
        Exercise("Squat", Kind.REPS, reps=5),
    ),
)


def test_each_step_is_a_track_titled_with_its_side() -> None:
    clock = FakeClock()
    # The weaker side last: right, then left.
    player = Player(build_plan(HIPS, PlanSettings(weak_side=Side.LEFT)), clock)
    assert media_state(None, "") == NOTHING
    ready = media_state(player.snapshot(), "Hips")
    assert (ready.playback, ready.track, ready.album) == (Playback.STOPPED, 0, "Hips")
    assert ready.title == "Get ready: Spinal rotation in heel sitting — right side"
    player.start()
    player.skip()
    clock.advance(2.0)
    hold = media_state(player.snapshot(), "Hips")
    assert hold.title == "Spinal rotation in heel sitting — right side"
    assert (hold.playback, hold.position, hold.length, hold.advancing) == (
        Playback.PLAYING, 2.0, 30, True,
    )  # fmt: skip
    player.skip()
    assert media_state(player.snapshot(), "Hips").title == "Switch to the left side"
    player.pause()
    assert not media_state(player.snapshot(), "Hips").advancing


def test_a_step_at_one_s_own_pace_has_no_length_and_the_end_is_no_track() -> None:
    player = Player(build_plan(HIPS, PlanSettings()), FakeClock())
    player.start()
    for _ in range(5):
        player.skip()
    squat = media_state(player.snapshot(), "Hips")
    assert (squat.title, squat.length, squat.playback) == ("Squat", None, Playback.PLAYING)
    player.continue_step()
    done = media_state(player.snapshot(), "Hips")
    assert (done.track, done.title, done.under_way) == (None, "Done! Well moved.", False)
    assert done.playback is Playback.STOPPED and done.loaded
