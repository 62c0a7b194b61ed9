"""`limber play --no-window`: a routine in the terminal, with audio cues only."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from app.audio.cue_player import CuePlayer
from app.domain import display
from app.domain.clock import Clock
from app.domain.plan import Plan
from app.domain.player import Player, PlayerState
from app.recorder import SessionRecorder

# The longest sleep between looks at the clock, so a suspend is noticed soon after.
MAX_SLEEP = 0.5
INTERRUPTED = 130


def play_in_terminal(
    plan: Plan,
    clock: Clock,
    cues: CuePlayer,
    out: TextIO,
    *,
    sleep: Callable[[float], None] = time.sleep,
    wait_for_enter: Callable[[], object] = input,
    recorder: SessionRecorder | None = None,
) -> int:
    """Runs `plan` to its end, printing each step as it starts; returns the exit status.

    Ctrl+C stops the routine cleanly (status 130). A step that waits for the user,
    and a pause after the computer slept, go on when Enter is pressed. With
    `recorder`, the session is logged: a checkpoint after each step, then the end.
    """
    player = Player(plan, clock)
    starts = plan.starts()
    shown = -1
    try:
        print(
            f"{plan.routine_name}: {len(plan.steps)} steps, "
            f"{display.clock_text(plan.total_seconds)}. Ctrl+C stops.",
            file=out,
            flush=True,
        )
        if not cues.status.available:
            print(f"{cues.status.message}; the routine runs without cues.", file=out, flush=True)
        player.start()
        if recorder is not None:
            recorder.started(player)
        while True:
            for due in player.tick(lead=cues.lead):
                cues.play(due.cue.kind, due.due_at)
            snapshot = player.snapshot()
            if snapshot.state is PlayerState.FINISHED:
                if recorder is not None:
                    recorder.ended(player)
                print("Done! Well moved.", file=out, flush=True)
                cues.drain(timeout=3.0)
                return 0
            if snapshot.step_index != shown:
                if recorder is not None and shown >= 0:
                    recorder.progressed(player)
                shown = snapshot.step_index
                step = snapshot.step
                print(
                    f"{display.clock_text(starts[shown]):>6}  {display.side_text(step):<5}  "
                    f"{display.step_title(step)}: {display.step_summary(step)}",
                    file=out,
                    flush=True,
                )
            if snapshot.state is PlayerState.PAUSED:
                print(
                    f"{display.status_line(snapshot).replace('Space', 'Enter')}.",
                    file=out,
                    flush=True,
                )
                wait_for_enter()
                player.resume()
                continue
            if snapshot.waiting:
                print("       Press Enter when done.", file=out, flush=True)
                wait_for_enter()
                player.continue_step()
                continue
            due_at = player.next_due(lead=cues.lead)
            if due_at is not None:
                sleep(min(MAX_SLEEP, max(0.0, due_at - clock.now())))
    except (KeyboardInterrupt, EOFError):
        if player.state in (PlayerState.RUNNING, PlayerState.PAUSED):
            player.stop()
            if recorder is not None:
                recorder.ended(player)
        cues.cancel()
        print("\nStopped.", file=out, flush=True)
        return INTERRUPTED
