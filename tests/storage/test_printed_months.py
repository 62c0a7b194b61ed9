"""`limber history` prints the months it printed before from the cache: the same
lines as reading the whole log, however the log or the cache changed since."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from app.cli import main
from app.storage.printed_months import PrintedMonth, PrintedMonths, in_order
from app.storage.session_log import SessionLog
from tests.storage.log_helpers import record


def history(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str]:
    assert main(["history", *argv]) == 0
    return capsys.readouterr()


def full_read(data_dir: Path, form: str) -> str:
    """The lines as printed from every row of the log, sorted: what the cache must equal."""
    from app.cli import _history_line

    return "".join(map(_history_line(form), SessionLog(data_dir / "log").sessions()))


def months_logged(data_dir: Path) -> SessionLog:
    log = SessionLog(data_dir / "log")
    log.open()
    for month in (9, 10, 11):
        for day in (3, 17):
            log.finish(record(f"2026-{month:02d}-{day:02d}T07:00:00+01:00", notes=f"{month}/{day}"))
    return log


@pytest.mark.parametrize("form", ["json", "text"])
def test_printed_from_the_cache_as_from_the_log(
    capsys: pytest.CaptureFixture[str], data_dir: Path, form: str
) -> None:
    months_logged(data_dir)
    argv = ["--json"] if form == "json" else []
    first, _ = history(capsys, *argv)
    kept = sorted(p.name for p in (data_dir / "cache" / "history").iterdir())
    assert kept == [f"sessions-2026-{m}.{form}" for m in ("09", "10", "11")]
    again, err = history(capsys, *argv)
    assert again == first == full_read(data_dir, form) and err == ""


def test_a_month_changed_since_is_read_again(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    log = months_logged(data_dir)
    history(capsys, "--json")
    september = log.sessions()[0]
    log.finish(september.with_changes(notes="changed later"))  # an old month's note
    log.finish(record("2026-11-20T07:00:00+01:00"))  # and today's session
    out, _ = history(capsys, "--json")
    assert out == full_read(data_dir, "json")
    assert json.loads(out.splitlines()[0])["notes"] == "changed later"
    assert len(out.splitlines()) == 7


def test_a_deleted_session_is_gone_from_the_next_listing(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    log = months_logged(data_dir)
    history(capsys)
    log.delete(log.sessions()[2])
    out, _ = history(capsys)
    assert out == full_read(data_dir, "text") and len(out.splitlines()) == 5


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json\n",
        b'{"key": "0"}\n',
        b"[1, 2]\nline\n",
        b'{"key": KEY, "bytes": 999, "first": null, "last": null, "unreadable": 0}\nshort\n',
        b'{"key": KEY, "bytes": 6, "first": "x", "last": null, "unreadable": 0}\nshort\n',
    ],
)
def test_a_damaged_cache_file_is_made_again(
    capsys: pytest.CaptureFixture[str], data_dir: Path, damage: bytes
) -> None:
    months_logged(data_dir)
    first, _ = history(capsys, "--json")
    kept = data_dir / "cache" / "history" / "sessions-2026-10.json"
    key = json.loads(kept.read_bytes().partition(b"\n")[0])["key"]
    kept.write_bytes(damage.replace(b"KEY", json.dumps(key).encode()))
    out, err = history(capsys, "--json")
    assert (out, err) == (first, "")
    assert json.loads(kept.read_bytes().partition(b"\n")[0])["key"] == key


def test_a_cache_that_cannot_be_written_is_left_out(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    months_logged(data_dir)
    (data_dir / "cache").mkdir()
    (data_dir / "cache" / "history").write_text("a file where the folder would be")
    out, err = history(capsys, "--json")
    assert (out, err) == (full_read(data_dir, "json"), "")


def test_unreadable_rows_are_counted_from_the_cache_too(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    months_logged(data_dir)
    october = data_dir / "log" / "sessions-2026-10.json"
    document = json.loads(october.read_text())
    next(iter(document["sessions"].values()))["active_seconds"] = "forty"
    october.write_text(json.dumps(document))
    said = "limber: could not read 1 session in the log (left unchanged)\n"
    for _ in range(2):
        out, err = history(capsys, "--json")
        assert err == said and len(out.splitlines()) == 5


def test_months_whose_sessions_overlap_are_sorted_as_one_list(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    # The last of October at 23:30 in UTC+0 starts after the first of November
    # at 00:10 in UTC+2 (22:10 UTC): the months cannot simply follow one another.
    log = SessionLog(data_dir / "log")
    log.open()
    late = record("2026-10-31T23:30:00+00:00")
    early = record("2026-11-01T00:10:00+02:00")
    for session in (late, early):
        log.finish(session)
    for _ in range(2):
        out, _ = history(capsys, "--json")
        assert [row["id"] for row in map(json.loads, out.splitlines())] == [early.id, late.id]


def test_in_order_skips_empty_months_and_allows_a_shared_start() -> None:
    def month(first: int | None, last: int | None) -> PrintedMonth:
        return PrintedMonth(b"", first, last, 0)

    assert in_order([month(1, 5), month(None, None), month(5, 9)])
    assert not in_order([month(1, 5), month(None, None), month(4, 9)])
    assert not in_order([month(1, 9), month(3, 4), month(5, 6)])


def test_the_key_is_of_the_bytes_and_the_form(tmp_path: Path) -> None:
    json_months, text_months = PrintedMonths(tmp_path, "json"), PrintedMonths(tmp_path, "text")
    assert json_months.key(b"{}") == json_months.key(b"{}")
    assert json_months.key(b"{}") != json_months.key(b"{ }")
    assert json_months.key(b"{}") != text_months.key(b"{}")


def test_the_installed_limber_keeps_and_uses_the_cache(limber: Path, data_dir: Path) -> None:
    months_logged(data_dir)
    outputs = []
    for _ in range(2):
        done = subprocess.run(
            [str(limber), "history", "--json"],
            capture_output=True,
            timeout=60,
            check=False,
            env={**os.environ, "LIMBER_DATA_DIR": str(data_dir)},
        )
        assert (done.returncode, done.stderr) == (0, b"")
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == full_read(data_dir, "json").encode("utf-8")
    assert len(list((data_dir / "cache" / "history").glob("*.json"))) == 3
