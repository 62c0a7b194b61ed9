"""`limber play --no-window`: a routine in the terminal, with audio cues only."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import TextIO

from app.audio.cue_player import AudioStatus, CuePlayer
from app.domain import display, text
from app.domain.clock import Clock
from app.domain.driver import Control, SessionDriver
from app.domain.plan import CueKind, Plan, audible
from app.domain.player import PlayerState, Snapshot
from app.domain.screen import screen_of, terminal_line
from app.domain.spoken import END_ROOM
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


class Requests:
    """What the person asks of the terminal's loop: Enter in the terminal (read on
    a thread of its own) and a media control's buttons (`put`, from any thread).
    `sleep` and `wait_for_enter` are `play_in_terminal`'s: each returns as soon as
    a button is pressed, with it."""

    _ENTER = "enter"
    _END = "end"  # the terminal's input is closed
    _INTERRUPT = "interrupt"

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._ended = threading.Event()
        self._stream: TextIO | None = None
        # Whether media controls can press buttons (MPRIS is on the bus).
        self.buttons = False

    def put(self, control: Control) -> None:
        """A media control's button."""
        self._queue.put(control)

    def interrupt(self) -> None:
        """Ctrl+C (or SIGTERM) caught by another thread: the wait under way, or the
        next, raises KeyboardInterrupt."""
        self._queue.put(self._INTERRUPT)

    def read(self, stream: TextIO) -> None:
        """Reads Enter from `stream`, on a daemon thread started at the first wait
        for it: a routine with none runs as a background job (reading the terminal
        from the start would have the shell stop it)."""
        self._stream = stream

    def _start_reading(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return

        def run() -> None:
            for _line in stream:
                self._queue.put(self._ENTER)
            self._ended.set()
            self._queue.put(self._END)

        threading.Thread(target=run, name="limber-terminal-input", daemon=True).start()

    def sleep(self, seconds: float) -> object:
        """Waits `seconds`, or until a button; returns the button, if any."""
        try:
            request = self._queue.get(timeout=seconds)
        except queue.Empty:
            return None
        if request == self._INTERRUPT:
            raise KeyboardInterrupt
        return request

    def wait_for_enter(self) -> object:
        """Waits for Enter or a button; returns the button (anything else is Enter).
        With the terminal's input closed (a script, `< /dev/null`), only a button
        can go on, where there are buttons (`buttons`).

        Raises:
            EOFError: when the terminal's input is closed and there are no buttons.
        """
        self._start_reading()
        while True:
            if self._ended.is_set() and self._queue.empty() and not self.buttons:
                raise EOFError
            request = self._queue.get()
            if request == self._INTERRUPT:
                raise KeyboardInterrupt
            if request != self._END:
                return request


def play_in_terminal(
    plan: Plan,
    clock: Clock,
    cues: CuePlayer,
    out: TextIO,
    *,
    sleep: Callable[[float], object] = time.sleep,
    wait_for_enter: Callable[[], object] = input,
    recorder: SessionRecorder | None = None,
    on_change: Callable[[Snapshot], None] | None = None,
    silent: frozenset[CueKind] = frozenset(),
) -> int:
    """Runs `plan` to its end, printing each step as it starts; returns the exit status.

    The terminal is a face over the same driver and screen model as the window:
    it prints the title and what each step asks for as the window shows them.
    Ctrl+C stops the routine cleanly (status 130). A step that waits for the user,
    and a pause after the computer slept, go on when Enter is pressed. With
    `recorder`, the session is logged: a checkpoint after each step, then the end;
    stopped during the opening get-ready countdown, it is not logged at all.
    When sound fails or comes back, it says so.

    Media controls (MPRIS) reach it through `sleep` and `wait_for_enter`: either
    may return a `Control`, which is applied at once (so both return as
    soon as a button is pressed); anything else `wait_for_enter` returns is Enter.
    `on_change` hears of every new state or step (to show it to those controls).
    The chimes in `silent` are left out (the person's preference).
    """
    run = _TerminalRun(
        plan, clock, cues, out, recorder=recorder, on_change=on_change, silent=silent
    )
    return run.run(sleep, wait_for_enter)


class _TerminalRun:
    """One routine in the terminal (see `play_in_terminal`)."""

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        cues: CuePlayer,
        out: TextIO,
        *,
        recorder: SessionRecorder | None,
        on_change: Callable[[Snapshot], None] | None,
        silent: frozenset[CueKind],
    ) -> None:
        self.plan = plan
        self.clock = clock
        self.cues = cues
        self.out = out
        self.recorder = recorder
        self.on_change = on_change
        self.driver = SessionDriver(plan, clock)
        self.news: list[AudioStatus] = []  # appended to from the cue player's thread
        cues.on_status(self.news.append)
        self.heard = cues.status
        self.seen: tuple[PlayerState, int, bool] | None = None
        self.silent = silent
        # The session the recorder logged last before this run (not this one's).
        self.logged_before = recorder.latest if recorder is not None else None

    def run(self, sleep: Callable[[float], object], wait_for_enter: Callable[[], object]) -> int:
        plan, driver, cues = self.plan, self.driver, self.cues
        starts = plan.starts()
        shown = -1
        try:
            self.say(
                f"{plan.routine_name}: {text.counted(len(plan.steps), 'step')}, "
                f"{text.clock_text(plan.total_seconds)}. Ctrl+C stops."
            )
            for line in sound_news(self.heard):
                self.say(line)
            driver.control(Control.PRIMARY)
            while True:
                self.catch_up()
                snapshot = driver.player.snapshot()
                screen = screen_of(snapshot, go_key="Enter")
                if screen.state is PlayerState.FINISHED:
                    self.say(screen.title)
                    self.say_summary()
                    cues.drain(timeout=END_ROOM + 1.0)  # the last words, said in full
                    return 0
                if screen.state is PlayerState.STOPPED:  # a media control's Stop
                    self.say("Stopped.")
                    self.say_summary()
                    return 0
                if snapshot.step_index != shown:
                    shown = snapshot.step_index
                    self.say(terminal_line(screen, starts[shown]))
                if screen.paused or screen.waiting:
                    self.say(f"{'       ' if screen.waiting else ''}{screen.status}.")
                    enter = Control.DONE if screen.waiting else Control.PRIMARY
                    self.press(wait_for_enter(), enter=enter)
                    if screen.paused and driver.player.snapshot().state is PlayerState.RUNNING:
                        self.say("Going on.")  # by Enter, or by a media control
                    continue
                due_at = driver.player.next_due(lead=cues.lead)
                if due_at is not None:
                    self.press(sleep(min(MAX_SLEEP, max(0.0, due_at - self.clock.now()))))
        except (KeyboardInterrupt, EOFError) as stopped:
            if driver.control(Control.STOP):
                cues.cancel()
            self.catch_up()
            if isinstance(stopped, EOFError):
                self.say("The terminal's input is closed: Enter cannot be pressed to go on.")
            unlogged = self.recorder is not None and not driver.player.work_began
            self.say(
                "\nStopped before the first exercise: not logged." if unlogged else "\nStopped."
            )
            self.say_summary()
            return INTERRUPTED

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def say_summary(self) -> None:
        """The logged session's summary, as the window's end screen gives it: the
        time in all and how it ended, then what each side did."""
        record = self.recorder.latest if self.recorder is not None else None
        if record is not None and record is not self.logged_before:
            for line in display.session_summary(record):
                self.say(f"  {line}")

    def press(self, request: object, *, enter: Control | None = None) -> None:
        """Applies a media control's button, or Enter (as `enter`)."""
        control = request if isinstance(request, Control) else enter
        if control is not None and self.driver.control(control):
            self.driver.words_cut_by(self.cues.cancel())

    def catch_up(self) -> None:
        """Plays what came due, logs what happened, says what became of sound, and
        tells `on_change` of a new state or step."""
        driver = self.driver
        update = driver.update(self.cues.lead)
        for due in update.cues:
            if audible(due.cue, self.silent):
                self.cues.play(due.cue, due.due_at)
        if self.recorder is not None:
            for event in update.events:
                self.recorder.follow(event, driver.player)
        while self.news:
            status = self.news.pop(0)
            for line in sound_news(status, self.heard):
                self.say(line)
            self.heard = status
        snapshot = update.snapshot
        now = (snapshot.state, snapshot.step_index, snapshot.waiting)
        if self.on_change is not None and now != self.seen:
            self.seen = now
            self.on_change(snapshot)
