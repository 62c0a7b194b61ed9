"""`limber play --no-window`: a routine in the terminal, with audio cues only."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from app.audio.cue_player import AudioStatus, CuePlayer
from app.domain import text
from app.domain.clock import Clock
from app.domain.driver import Control, SessionDriver
from app.domain.plan import Plan
from app.domain.player import PlayerState
from app.domain.screen import screen_of, terminal_line
from app.recorder import SessionRecorder

# The longest sleep between looks at the clock, so a suspend is noticed soon after.
MAX_SLEEP = 0.5
INTERRUPTED = 130


def sound_news(status: AudioStatus, before: AudioStatus | None = None) -> list[str]:
    """What the terminal says of sound going or coming back, and of words that
    cannot be spoken, since `before` (the first status: only what is wrong)."""
    news = []
    changed = status.available != before.available if before else not status.available
    if changed and status.available:
        news.append(f"Cues are back ({status.message}).")
    elif changed:
        message = status.message[:1].upper() + status.message[1:]
        news.append(f"{message}; the routine goes on without cues.")
    if status.voice and (before is None or status.voice != before.voice):
        news.append(f"{status.voice[:1].upper()}{status.voice[1:]}.")
    return news


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

    The terminal is a face over the same driver and screen model as the window:
    it prints the title and what each step asks for as the window shows them.
    Ctrl+C stops the routine cleanly (status 130). A step that waits for the user,
    and a pause after the computer slept, go on when Enter is pressed. With
    `recorder`, the session is logged: a checkpoint after each step, then the end;
    stopped during the opening get-ready countdown, it is not logged at all.
    When sound fails or comes back, it says so.
    """
    driver = SessionDriver(plan, clock)
    starts = plan.starts()
    shown = -1
    news: list[AudioStatus] = []  # appended to from the cue player's thread
    cues.on_status(news.append)
    heard = cues.status

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    def catch_up() -> None:
        """Plays what came due, logs what happened, and says what became of sound."""
        nonlocal heard
        update = driver.update(cues.lead)
        for due in update.cues:
            cues.play(due.cue, due.due_at)
        if recorder is not None:
            for event in update.events:
                recorder.follow(event, driver.player)
        while news:
            status = news.pop(0)
            for line in sound_news(status, heard):
                say(line)
            heard = status

    try:
        say(
            f"{plan.routine_name}: {text.counted(len(plan.steps), 'step')}, "
            f"{text.clock_text(plan.total_seconds)}. Ctrl+C stops."
        )
        for line in sound_news(heard):
            say(line)
        driver.control(Control.PRIMARY)
        while True:
            catch_up()
            snapshot = driver.player.snapshot()
            screen = screen_of(snapshot, go_key="Enter")
            if screen.state is PlayerState.FINISHED:
                say(screen.title)
                cues.drain(timeout=3.0)
                return 0
            if snapshot.step_index != shown:
                shown = snapshot.step_index
                say(terminal_line(screen, starts[shown]))
            if screen.paused or screen.waiting:
                say(f"{'       ' if screen.waiting else ''}{screen.status}.")
                wait_for_enter()
                driver.control(Control.DONE if screen.waiting else Control.PRIMARY)
                continue
            due_at = driver.player.next_due(lead=cues.lead)
            if due_at is not None:
                sleep(min(MAX_SLEEP, max(0.0, due_at - clock.now())))
    except (KeyboardInterrupt, EOFError):
        if driver.control(Control.STOP):
            cues.cancel()
        catch_up()
        unlogged = recorder is not None and not driver.player.work_began
        say("\nStopped before the first exercise: not logged." if unlogged else "\nStopped.")
        return INTERRUPTED
