"""What a media player's controls show of a routine (the desktop's media widget,
a phone through KDE Connect, the lock screen): each step is a track of the
routine, as plain data that any face can hand to its media interface."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain import display
from app.domain.plan import StepKind
from app.domain.player import PlayerState, Snapshot


class Playback(StrEnum):
    """Whether the routine plays, as a media player says it (MPRIS's words)."""

    PLAYING = "Playing"
    PAUSED = "Paused"
    STOPPED = "Stopped"


@dataclass(frozen=True)
class MediaState:
    """A routine as a media player: the step under way is the track.

    Attributes:
        playback: Playing (a step waiting for the person too), paused, or stopped
            (ready to start, ended, or nothing loaded).
        loaded: Whether a routine is loaded, so that play and pause do something.
        under_way: Whether the routine has not ended, so that next and previous
            move through its steps.
        track: The step's index in the plan; None once the routine has ended.
        title: The step, with the side it works ("Cat cow — left side"); how the
            routine ended, once it has.
        album: The routine's name.
        position: Seconds into the step.
        length: Seconds the step lasts, where a clock ends it; None for a step
            the person says is done.
    """

    playback: Playback
    loaded: bool
    under_way: bool
    track: int | None
    title: str
    album: str
    position: float
    length: float | None

    @property
    def advancing(self) -> bool:
        """Whether the position moves on with the clock."""
        return self.playback is Playback.PLAYING and (
            self.length is None or self.position < self.length
        )


NOTHING = MediaState(
    playback=Playback.STOPPED,
    loaded=False,
    under_way=False,
    track=None,
    title="",
    album="",
    position=0.0,
    length=None,
)


def media_state(snapshot: Snapshot | None, routine_name: str) -> MediaState:
    """What the media controls show for `snapshot` of the routine `routine_name`
    (None: nothing loaded)."""
    if snapshot is None:
        return NOTHING
    over = snapshot.state in (PlayerState.FINISHED, PlayerState.STOPPED)
    playback = {
        PlayerState.RUNNING: Playback.PLAYING,
        PlayerState.PAUSED: Playback.PAUSED,
    }.get(snapshot.state, Playback.STOPPED)
    step = snapshot.step
    return MediaState(
        playback=playback,
        loaded=True,
        under_way=not over,
        track=None if over else snapshot.step_index,
        title=display.status_line(snapshot) if over else track_title(snapshot),
        album=routine_name,
        position=0.0 if over else snapshot.step_elapsed,
        # A step done at one's own pace has an estimate, not an end.
        length=None if over or step.waits else step.seconds,
    )


def track_title(snapshot: Snapshot) -> str:
    """The step as a track's title: the exercise and the side it works."""
    step = snapshot.step
    if step.side is None:
        return display.step_title(step)
    if step.kind is StepKind.SWITCH:
        return f"Switch to the {step.side.value} side"
    return f"{display.step_title(step)} — {step.side.value} side"
