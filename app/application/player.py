"""The Qt side of the player: timers, cues to the CuePlayer, snapshots to the views."""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app.audio.cue_player import AudioStatus, CuePlayer
from app.domain.clock import Clock
from app.domain.plan import Plan
from app.domain.player import Player, PlayerState, Snapshot

# How often the countdown on screen is redrawn; cues do not wait for this.
REFRESH_MS = 100


class PlayerController(QObject):
    """Runs a `Player` on Qt timers and hands its cues to a `CuePlayer`.

    A precise single-shot timer fires at the next boundary the engine names
    (less the cue player's lead); a coarse refresh timer redraws the countdown.
    Neither counts ticks: every time comes from the engine and its clock.

    Signals:
        snapshot_changed(Snapshot): what the views show, after every change.
        cue_played(DueCue): a cue handed to the cue player.
        audio_status_changed(AudioStatus): sound became (un)available.
        started(Player): the routine started.
        progressed(Player): a step ended, or the player moved to another step.
        finished(Player): the routine ended, FINISHED or STOPPED.
    """

    snapshot_changed = Signal(object)
    cue_played = Signal(object)
    audio_status_changed = Signal(object)
    started = Signal(object)
    progressed = Signal(object)
    finished = Signal(object)

    def __init__(self, clock: Clock, cues: CuePlayer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.cues = cues
        self.player: Player | None = None
        self._seen: tuple[PlayerState, int, int] | None = None
        self._audio_status = cues.status
        self._boundary = QTimer(self)
        self._boundary.setSingleShot(True)
        self._boundary.setTimerType(Qt.TimerType.PreciseTimer)
        self._boundary.timeout.connect(self.poll)
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.poll)
        # Sound can fail or come back while nothing plays (a device unplugged).
        self._audio_watch = QTimer(self)
        self._audio_watch.setInterval(1000)
        self._audio_watch.timeout.connect(self._check_audio)
        self._audio_watch.start()

    @property
    def audio_status(self) -> AudioStatus:
        """The cue player's status as last seen."""
        return self._audio_status

    def load(self, plan: Plan) -> None:
        """Makes `plan` the routine to play, ready to start."""
        self._halt_timers()
        self.cues.cancel()
        self.player = Player(plan, self._clock)
        self._seen = None
        self._emit()

    def primary(self) -> None:
        """The Space key: continue a step that waits, else start, pause or resume."""
        player = self.player
        if player is None or player.state in (PlayerState.FINISHED, PlayerState.STOPPED):
            return
        if player.snapshot().waiting:
            player.continue_step()
        else:
            if player.state is PlayerState.RUNNING:
                self.cues.cancel()
            player.toggle()
        self.poll()

    def continue_step(self) -> None:
        """The Enter key: a step that waits for the user is done."""
        player = self.player
        if player is not None and player.snapshot().waiting:
            player.continue_step()
            self.poll()

    def skip(self) -> None:
        """Ends the current step now."""
        self._act("skip")

    def back(self) -> None:
        """Restarts the step, or goes to the one before."""
        self._act("back")

    def stop(self) -> None:
        """Ends the routine early."""
        self._act("stop")

    def poll(self) -> None:
        """Advances the engine, plays the cues that came due, and reschedules."""
        player = self.player
        if player is None:
            return
        for due in player.tick(lead=self.cues.lead):
            self.cues.play(due.cue.kind, due.due_at)
            self.cue_played.emit(due)
        self._check_audio()
        self._schedule(player)
        self._emit()
        self._report_progress(player)

    def snapshot(self) -> Snapshot | None:
        """What the player shows now, if a routine is loaded."""
        return self.player.snapshot() if self.player else None

    def _report_progress(self, player: Player) -> None:
        """Emits started, progressed and finished as the player moves on."""
        seen = (player.state, player.step_index, len(player.outcomes))
        before, self._seen = self._seen, seen
        if before == seen or player.state is PlayerState.READY:
            return
        if before is None or before[0] is PlayerState.READY:
            self.started.emit(player)
        if player.state in (PlayerState.FINISHED, PlayerState.STOPPED):
            self.finished.emit(player)
        elif before is not None and before[1:] != seen[1:]:
            self.progressed.emit(player)

    def _act(self, action: str) -> None:
        player = self.player
        if player is None or player.state not in (PlayerState.RUNNING, PlayerState.PAUSED):
            return
        self.cues.cancel()
        getattr(player, action)()
        self.poll()

    def _schedule(self, player: Player) -> None:
        due = player.next_due(lead=self.cues.lead)
        if player.state is PlayerState.RUNNING or player.state is PlayerState.PAUSED:
            if not self._refresh.isActive():
                self._refresh.start()
        else:
            self._halt_timers()
        if due is None:
            self._boundary.stop()
            return
        wait_ms = max(0, math.ceil((due - self._clock.now()) * 1000))
        self._boundary.start(wait_ms)

    def _halt_timers(self) -> None:
        self._boundary.stop()
        self._refresh.stop()

    def _check_audio(self) -> None:
        status = self.cues.status
        if status != self._audio_status:
            self._audio_status = status
            self.audio_status_changed.emit(status)

    def _emit(self) -> None:
        snapshot = self.snapshot()
        if snapshot is not None:
            self.snapshot_changed.emit(snapshot)
