"""The log writer: jobs in order on a thread of their own, held until started,
skipped once the log is refused, errors reported without stopping the rest."""

from __future__ import annotations

import threading

from app.recorder import LogWriter


def test_jobs_run_in_order_and_an_error_does_not_stop_the_next() -> None:
    done: list[int] = []
    errors: list[Exception] = []
    writer = LogWriter(on_error=errors.append)

    def fail() -> None:
        raise OSError("disk full")

    for job in (lambda: done.append(1), fail, lambda: done.append(2)):
        writer.submit(job)
    assert writer.flush()
    assert done == [1, 2] and [str(e) for e in errors] == ["disk full"]
    writer.close()


def test_a_writer_not_started_holds_its_jobs_until_started() -> None:
    ran = threading.Event()
    writer = LogWriter(start=False)
    writer.submit(ran.set)
    assert not ran.wait(0.05)
    writer.start()
    writer.start()  # once is enough; a second start does nothing
    assert ran.wait(5)
    writer.close()


def test_closing_a_writer_never_started_still_does_its_jobs() -> None:
    done: list[str] = []
    writer = LogWriter(start=False)
    writer.submit(lambda: done.append("written"))
    writer.close()
    assert done == ["written"]


def test_after_a_refusal_jobs_are_skipped_but_a_flush_returns() -> None:
    done: list[str] = []
    writer = LogWriter()
    writer.submit(writer.refuse)
    writer.submit(lambda: done.append("written"))
    assert writer.flush(timeout=5)
    assert done == []
    writer.close()
