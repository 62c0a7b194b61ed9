"""Logging sessions as they are played: a checkpoint after every step, the record
at the end. Used by the window and by `limber play --no-window`.

A session is logged from the moment its work begins, when the opening get-ready
countdown gives way to the first exercise (or is skipped): a run stopped or cut
off before that did nothing, and leaves no row, neither stopped nor interrupted.

The records are built on the caller's thread (they read the player); the writes
run in order on a thread of their own, so the GUI never waits on the disk.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from app.domain.driver import RunEvent
from app.domain.plan import Plan
from app.domain.player import Player, PlayerState
from app.domain.routine import Routine, Side
from app.domain.session import SessionRecord, SessionStatus, local_iso, plan_id, work_done
from app.storage.session_log import SessionLog

Job = Callable[[], None]


class LogWriter:
    """Runs log writes one after another on a thread of its own.

    Jobs must hold no Qt object: one released on this thread would be deleted off
    its own thread. They report back through plain data (see MainWindow.inbox).

    Args:
        on_error: Called (on the writer's thread) with any error a write raised.
        start: Whether to start the thread now; otherwise jobs wait for `start()`.
    """

    def __init__(
        self, on_error: Callable[[Exception], None] | None = None, *, start: bool = True
    ) -> None:
        self._jobs: queue.Queue[Job | threading.Event | None] = queue.Queue()
        self._on_error = on_error
        self._refused = False
        self._thread = threading.Thread(target=self._run, name="limber-log", daemon=True)
        if start:
            self.start()

    def start(self) -> None:
        """Starts running the jobs (once)."""
        if not self._thread.is_alive() and self._thread.ident is None:
            self._thread.start()

    def submit(self, job: Job) -> None:
        """Queues a write; returns at once."""
        self._jobs.put(job)

    def refuse(self) -> None:
        """Skips every job from now on: called by a job that found the log unusable
        (written by a newer Limber, held by another), so nothing writes to it."""
        self._refused = True

    def flush(self, timeout: float = 10.0) -> bool:
        """Waits until every write queued so far is done; False on time-out."""
        done = threading.Event()
        self._jobs.put(done)
        return done.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Finishes the queued writes and stops the thread."""
        self.start()  # the jobs queued are still done
        self._jobs.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if isinstance(job, threading.Event):
                job.set()  # a flush: everything before it is done
                continue
            if self._refused:
                continue
            try:
                job()
            except Exception as exc:  # a failed write is reported, and the next goes on
                if self._on_error is not None:
                    self._on_error(exc)
            # Let go of the job now, not when the next one comes.
            job = None


class SessionRecorder:
    """Turns a player's progress into session records in the log.

    Args:
        log: Where sessions go.
        writer: Runs the writes.
    """

    def __init__(self, log: SessionLog, writer: LogWriter) -> None:
        self.log = log
        self.writer = writer
        self.latest: SessionRecord | None = None
        self._record: SessionRecord | None = None
        self._logged = False  # whether the log has a row of `_record` yet
        self._routine: Routine | None = None
        self._weak_side: Side | None = None
        self._plan: Plan | None = None
        self._listeners: list[Callable[[SessionRecord], None]] = []

    def on_finished(self, listener: Callable[[SessionRecord], None]) -> None:
        """Calls `listener` with each record once its session has ended."""
        self._listeners.append(listener)

    def prepare(self, routine: Routine, plan: Plan, weak_side: Side | None) -> None:
        """Notes what is about to be played; nothing is logged before it starts."""
        self._routine, self._plan, self._weak_side = routine, plan, weak_side
        self._record = None
        self._logged = False

    def follow(self, event: RunEvent, player: Player) -> None:
        """Logs what a run's driver reported: started, progressed or ended."""
        if event is RunEvent.STARTED:
            self.started(player)
        elif event is RunEvent.PROGRESSED:
            self.progressed(player)
        else:
            self.ended(player)

    def started(self, player: Player) -> None:
        """The player has started: the session is logged, in progress, once its work
        begins (at once for a plan with no get-ready countdown first)."""
        if self._routine is None or self._plan is None or player.plan is not self._plan:
            self.prepare(_bare_routine(player.plan), player.plan, None)
        assert self._routine is not None and self._plan is not None
        import uuid  # 4 ms with the platform module, not before the first frame

        plan = self._plan
        record = SessionRecord(
            id=uuid.uuid4().hex,
            routine_id=plan.routine_id,
            routine=plan.routine_name,
            plan_id=plan_id(plan),
            started=local_iso(),
            status=SessionStatus.IN_PROGRESS,
            weak_side=self._weak_side.value if self._weak_side else None,
            tags=self._routine.tags,
            work=work_done(plan, {}),
        )
        self._record = record
        self._logged = False
        self.progressed(player)

    def progressed(self, player: Player) -> None:
        """A step has ended: the session so far is checkpointed, once work began."""
        if self._record is None or player.state is PlayerState.READY or not player.work_began:
            return
        self._record = self._current(player, SessionStatus.IN_PROGRESS)
        record, log, plan, first = self._record, self.log, player.plan, not self._logged
        self._logged = True

        def write() -> None:
            if first:
                log.save_plan(plan)
            log.checkpoint(record)

        self.writer.submit(write)

    def ended(self, player: Player) -> SessionRecord | None:
        """The session is over, completed or stopped: its record is logged, unless it
        ended before its work began (then nothing is, and None is returned)."""
        if self._record is None:
            return None
        if not player.work_began:
            self._record = None  # nothing was written: nothing to take back
            return None
        status = (
            SessionStatus.COMPLETED
            if player.state is PlayerState.FINISHED
            else SessionStatus.STOPPED
        )
        record = self._current(player, status).with_changes(ended=local_iso())
        self._record = None
        self.latest = record
        log, plan, first = self.log, player.plan, not self._logged

        def write() -> None:
            if first:  # work began and ended between two updates
                log.save_plan(plan)
            log.finish(record)

        self.writer.submit(write)
        for listener in self._listeners:
            listener(record)
        return record

    def annotate(self, record: SessionRecord) -> None:
        """Saves a finished session's notes or answers."""
        if self.latest is not None and self.latest.id == record.id:
            self.latest = record
        log = self.log
        self.writer.submit(lambda: log.update(record))

    def _current(self, player: Player, status: SessionStatus) -> SessionRecord:
        assert self._record is not None
        return self._record.with_changes(
            status=status,
            work=work_done(player.plan, player.outcomes),
            active_seconds=player.active_seconds(),
            paused_seconds=player.paused_seconds(),
        )


def _bare_routine(plan: Plan) -> Routine:
    """A stand-in for a routine nobody prepared: its plan's name, no tags."""
    return Routine(plan.routine_id, plan.routine_name, ())
