"""A thread that runs calls one after another, for calls that wait for their
reply (typed D-Bus calls): whoever submits them never waits."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

Job = Callable[[], None]


class CallThread:
    """Runs submitted calls in order on a daemon thread, started with the first.

    Args:
        name: The thread's name.
    """

    def __init__(self, name: str) -> None:
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        # A blocking call stuck past its time-out must not keep Limber from exiting.
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def submit(self, job: Job) -> None:
        """Runs `job` after those submitted before it; returns at once."""
        if self._thread.ident is None:
            self._thread.start()
        self._jobs.put(job)

    def close(self, last: Job | None = None, timeout: float = 2.0) -> None:
        """Runs `last` (if given) after the rest, then ends the thread, waiting up
        to `timeout` seconds."""
        if self._thread.ident is None:
            return
        if last is not None:
            self._jobs.put(last)
        self._jobs.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            job()
