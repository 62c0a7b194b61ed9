"""Playing a routine in the window: a `SessionDriver` on Qt timers, its cues to a
`CuePlayer`, its runs to the log, and what to show to every face of the player."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app.audio.cue_player import AudioStatus, CuePlayer
from app.domain.clock import Clock
from app.domain.driver import Control, RunEvent, SessionDriver
from app.domain.plan import CueKind, Plan, PlanSettings, audible, build_plan
from app.domain.player import Player, PlayerState, Snapshot
from app.domain.routine import Routine
from app.domain.screen import EMPTY, Screen, next_change, screen_of
from app.domain.spoken import Phrase, script
from app.recorder import SessionRecorder


class PlayerController(QObject):
    """Runs a routine's `SessionDriver` on Qt timers and hands its cues to a `CuePlayer`.

    A precise single-shot timer fires at the next boundary the driver names (less
    the cue player's lead); another fires when what the faces show next changes
    (the next second, twelfth of a rep or thousandth of the bar), so the screen is
    looked at only when it moves. Neither counts ticks: every time comes from the
    driver's clock. Idle (nothing loaded, ready, paused, waiting or ended), no
    timer runs.

    Args:
        clock: Where time comes from.
        cues: Plays the cues; it reports sound failing or coming back.
        recorder: Logs each run, when the log can be used.

    Signals:
        screen_changed(Screen): what the faces show, whenever it changed.
        cue_played(DueCue): a cue handed to the cue player.
        audio_status_changed(AudioStatus): sound became (un)available.
        started(Player), progressed(Player), finished(Player): the run's events.
        loaded(str): a routine was loaded ("name, weaker side left").
    """

    screen_changed = Signal(object)
    cue_played = Signal(object)
    audio_status_changed = Signal(object)
    started = Signal(object)
    progressed = Signal(object)
    finished = Signal(object)
    loaded = Signal(str)
    _status_arrived = Signal(object)

    def __init__(
        self,
        clock: Clock,
        cues: CuePlayer,
        recorder: SessionRecorder | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.cues = cues
        self.recorder = recorder
        self.driver: SessionDriver | None = None
        self._loaded: tuple[Routine, PlanSettings] | None = None  # to play it again
        self._phrases: frozenset[Phrase] = frozenset()
        self.silent_chimes: frozenset[CueKind] = frozenset()  # the chimes left out
        self.screen: Screen = EMPTY
        self._boundary = QTimer(self)
        self._boundary.setSingleShot(True)
        self._boundary.setTimerType(Qt.TimerType.PreciseTimer)
        self._boundary.timeout.connect(self.poll)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setTimerType(Qt.TimerType.PreciseTimer)
        self._refresh.timeout.connect(self.poll)
        # Sound can fail or come back while nothing plays (a device unplugged): the
        # cue player says so from its thread, and this signal brings it here.
        self._status_arrived.connect(self._audio_changed, Qt.ConnectionType.QueuedConnection)
        cues.on_status(self._status_arrived.emit)
        self._audio_status = cues.status  # read after listening: no change is missed

    @property
    def clock(self) -> Clock:
        """Where the player's time comes from."""
        return self._clock

    @property
    def player(self) -> Player | None:
        return self.driver.player if self.driver else None

    @property
    def mid_routine(self) -> bool:
        """Whether a routine is under way: started and not ended, playing or paused."""
        return self.driver is not None and self.driver.player.state in (
            PlayerState.RUNNING,
            PlayerState.PAUSED,
        )

    @property
    def audio_status(self) -> AudioStatus:
        """The cue player's status as last seen."""
        return self._audio_status

    @property
    def phrases(self) -> frozenset[Phrase]:
        """The phrases spoken (where the cue player speaks)."""
        return self._phrases

    def set_phrases(self, phrases: frozenset[Phrase]) -> None:
        """Speaks `phrases` from the next routine loaded, or the one ready to start."""
        if phrases == self._phrases:
            return
        self._phrases = phrases
        if not phrases:
            self.cues.quiet_words()
        if self._loaded is not None and self._ready_to_start:
            self.load_routine(*self._loaded)

    def renew_speech(self) -> None:
        """The speech engine, voice or pace changed: the cue player finds its engine
        again and renders the words of the routine loaded with it."""
        self.cues.renew_speech()
        if self.driver is not None:
            self.cues.prepare(self.driver.plan.cues())

    def load_routine(self, routine: Routine, settings: PlanSettings) -> None:
        """Makes `routine` the one to play, ready to start; one playing is stopped
        (and logged as stopped) first. Its words are rendered in the background."""
        if self.mid_routine:
            self.stop()
        plan = build_plan(routine, settings)
        if self.cues.speaks and self._phrases:
            plan = script(plan, self._phrases)
            self.cues.prepare(plan.cues())
        if self.recorder is not None:
            self.recorder.prepare(routine, plan, settings.weak_side)
        self.load(plan)
        self._loaded = (routine, settings)
        weak = f", weaker side {settings.weak_side.value}" if settings.weak_side else ""
        self.loaded.emit(f"{routine.name}{weak}")

    def load(self, plan: Plan) -> None:
        """Makes `plan` the routine to play, ready to start (to play it again after
        the end, load it by `load_routine`)."""
        self._loaded = None
        self._halt_timers()
        self.cues.cancel()
        self.driver = SessionDriver(plan, self._clock)
        self.poll()

    @property
    def _ready_to_start(self) -> bool:
        """Whether a routine is loaded and not started: it can be made again."""
        return self.driver is not None and self.driver.player.state is PlayerState.READY

    @property
    def can_again(self) -> bool:
        """Whether the routine has ended and can be played again from the start."""
        return self._loaded is not None and self.driver is not None and self.driver.ended

    def renew(
        self,
        find: Callable[[str], Routine | None],
        replan: Callable[[PlanSettings], PlanSettings] | None = None,
    ) -> None:
        """Keeps Again, and a routine loaded but not started, to the routine as the
        library now has it and to the preferences now: an edited routine is played
        as edited, and one deleted is not played again.

        Args:
            find: The routine with this id now, or None when it is gone.
            replan: The plan settings now for those it was loaded with (the
                preferences may have changed).
        """
        if self._loaded is None:
            return
        routine, settings = self._loaded
        now = find(routine.id)
        self._loaded = None if now is None else (now, replan(settings) if replan else settings)
        if (
            self._ready_to_start
            and self._loaded is not None
            and self._loaded != (routine, settings)
        ):
            self.load_routine(*self._loaded)  # not started: it starts as it is now
            return
        self.screen_changed.emit(self.screen)  # the faces' Again follows

    def primary(self) -> None:
        """The Space key: start, pause or resume; once the routine has ended, play
        it again from the start."""
        if self.can_again and self._loaded is not None:
            self.load_routine(*self._loaded)
        self._control(Control.PRIMARY)

    def continue_step(self) -> None:
        """The Enter key: a step that waits for the user is done."""
        self._control(Control.DONE)

    def skip(self) -> None:
        """Ends the current step now."""
        self._control(Control.SKIP)

    def next_step(self) -> None:
        """A clicker's or headset's Next: a step that waits for the person is done,
        any other is skipped."""
        self._control(Control.NEXT)

    def back(self) -> None:
        """Restarts the step, or goes to the one before."""
        self._control(Control.BACK)

    def stop(self) -> None:
        """Ends the routine early."""
        self._control(Control.STOP)

    def poll(self) -> None:
        """Advances the driver, plays the cues that came due, and reschedules."""
        driver = self.driver
        if driver is None:
            return
        update = driver.update(lead=self.cues.lead)
        for due in update.cues:
            # Speech turned off mid-routine silences the words of the plan loaded
            # with them; the chimes they replace sound instead.
            cue = due.cue if self._phrases or not due.cue.words else replace(due.cue, words=())
            if audible(cue, self.silent_chimes):
                self.cues.play(cue, due.due_at)
            self.cue_played.emit(due)
        self._schedule(update.next_due, next_change(update.snapshot))
        screen = screen_of(update.snapshot)
        if screen != self.screen:
            self.screen = screen
            self.screen_changed.emit(screen)
        for event in update.events:
            if self.recorder is not None:
                self.recorder.follow(event, driver.player)
            signal = {
                RunEvent.STARTED: self.started,
                RunEvent.PROGRESSED: self.progressed,
                RunEvent.ENDED: self.finished,
            }[event]
            signal.emit(driver.player)

    def snapshot(self) -> Snapshot | None:
        """What the player is at now, if a routine is loaded."""
        return self.driver.player.snapshot() if self.driver else None

    def _control(self, control: Control) -> None:
        if self.driver is None:
            return
        if self.driver.control(control):
            self.driver.words_cut_by(self.cues.cancel())
        self.poll()

    def _schedule(self, due: float | None, change: float | None) -> None:
        """Looks again at the next boundary (`due`, monotonic) and when the screen
        next changes (`change`, seconds from now); neither, when nothing moves."""
        if change is None:
            self._refresh.stop()
        else:
            self._refresh.start(max(1, math.ceil(change * 1000)))
        if due is None:
            self._boundary.stop()
            return
        wait_ms = max(0, math.ceil((due - self._clock.now()) * 1000))
        self._boundary.start(wait_ms)

    def _halt_timers(self) -> None:
        self._boundary.stop()
        self._refresh.stop()

    def _audio_changed(self, status: AudioStatus) -> None:
        if status != self._audio_status:
            self._audio_status = status
            self.audio_status_changed.emit(status)
