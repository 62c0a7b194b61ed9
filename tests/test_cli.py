"""The `limber` command as a user types it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.storage.log_helpers import record
from tests.storage.test_routine_store import SEED_IDS, routine_file


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exc:  # argparse's own exits (--help, usage errors)
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_routines_list_json_has_id_name_and_tags(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "routines", "list", "--json")
    assert status == 0 and err == ""
    rows = json_lines(out)
    assert {r["id"] for r in rows} == SEED_IDS
    for row in rows:
        assert isinstance(row["name"], str) and isinstance(row["tags"], list) and row["tags"]


def test_routines_list_text_shows_name_and_time(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "routines", "list")
    assert status == 0
    assert "Spinal Rotation in Heel Sitting" in out and "0:34" in out


def test_plan_json_heel_sitting_weak_left(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "plan", "Spinal Rotation in Heel Sitting", "--weak-side", "left", "--json"
    )
    assert status == 0
    *steps, total = json_lines(out)
    for step in steps:
        assert {"exercise", "side", "kind", "reps", "seconds"} <= step.keys()
    reps = [(s["side"], s["reps"]) for s in steps if s["kind"] == "reps"]
    assert reps == [("right", 3), ("left", 5)]
    assert total == {"total_seconds": sum(float(s["seconds"]) for s in steps)}  # type: ignore[arg-type]


def test_plan_takes_a_name_in_any_case(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "plan", "spinal rotation in heel sitting")
    assert status == 0 and err == ""
    assert out.startswith("Spinal Rotation in Heel Sitting")


def test_plan_text_rounds_every_time_the_same_way(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    routine = {
        "format": "limber-routine",
        "version": 1,
        "id": "halves",
        "name": "Halves",
        "exercises": [
            {"name": "Circles", "kind": "timed", "seconds": 147.5},
            {"name": "Hold", "kind": "hold", "seconds": 5},
        ],
    }
    path = tmp_path / "halves.json"
    path.write_text(json.dumps(routine))
    assert run(capsys, "routines", "import", str(path))[0] == 0
    status, out, _ = run(capsys, "plan", "halves")
    assert status == 0
    starts = [line.split()[0] for line in out.splitlines()[2:-2]]
    # Steps at 152.5 s and 157.5 s: both halves go up (round() gives 2:32 and 2:38).
    assert starts == ["0:00", "0:05", "2:33", "2:38"]
    assert out.splitlines()[-1] == "Total 2:43"


def test_plan_text_is_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "plan", "thoracic-spine-roller-twisters", "--weak-side", "right")
    assert status == 0
    assert "(weaker side: right)" in out
    assert "LEFT   Thoracic spine roller twister  10 reps @ 3s  set 1/2" in out
    assert "RIGHT  Thoracic spine roller twister  12 reps @ 3s  set 1/2" in out
    assert out.rstrip().endswith("Total 2:57")


def test_the_weaker_side_saved_in_the_window_is_the_clis_too(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    from app.domain.routine import Side
    from app.storage.settings import Settings

    settings = Settings(data_dir)
    settings.set_weak_side("spinal-rotation-heel-sitting", Side.LEFT)
    settings.save()
    status, out, _ = run(capsys, "plan", "spinal-rotation-heel-sitting")
    assert status == 0 and "(weaker side: left)" in out
    status, out, _ = run(capsys, "plan", "spinal-rotation-heel-sitting", "--weak-side", "none")
    assert status == 0 and "weaker side" not in out
    status, out, _ = run(capsys, "plan", "spinal-rotation-heel-sitting", "--json")
    reps = [(s["side"], s["reps"]) for s in json_lines(out)[:-1] if s["kind"] == "reps"]
    assert reps == [("right", 3), ("left", 5)]
    status, out, _ = run(capsys, "routines", "list", "--json")
    totals = {r["id"]: r["total_seconds"] for r in json_lines(out)}
    assert totals["spinal-rotation-heel-sitting"] == 42  # 34 without a weaker side
    status, out, _ = run(capsys, "routines", "list")
    assert "0:42" in out and "0:34" not in out


def test_an_imported_routine_lists_and_plans_like_a_builtin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, _ = run(capsys, "routines", "import", str(routine_file(tmp_path)))
    assert status == 0 and 'Imported "Hips" as hips' in out
    _, out, _ = run(capsys, "routines", "list", "--json")
    assert "hips" in {r["id"] for r in json_lines(out)}
    status, out, _ = run(capsys, "plan", "hips", "--json")
    assert status == 0 and json_lines(out)[-1] == {"total_seconds": 5 + 10 + 5 + 10}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plan", "nope"], 'limber: no routine with the id or name "nope"'),
        (
            ["plan", "spinal rotation"],
            'limber: no routine with the id or name "spinal rotation"; '
            'did you mean "Spinal Rotation in Heel Sitting"?',
        ),
        (
            ["plan", "hips", "--weak-side", "up"],
            "limber plan: argument --weak-side: invalid choice: 'up'",
        ),
        (["plan"], "limber plan: the following arguments are required: ROUTINE"),
        (["routines"], "limber routines: the following arguments are required: ACTION"),
        (
            ["routines", "import", "/no/such.json"],
            "limber: cannot import /no/such.json: no such file",
        ),
        (["routines", "export", "nope", "x.json"], 'no routine with the id or name "nope"'),
        (
            ["routines", "export", "five-movements-healthy-back", "/no/such/dir/x.json"],
            "limber: cannot write /no/such/dir/x.json: No such file or directory",
        ),
        (["fly"], "limber: argument COMMAND: invalid choice: 'fly'"),
    ],
)
def test_bad_input_is_one_line_and_exit_two(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err
    assert "Traceback" not in err


def test_a_broken_routine_file_is_refused_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    run(capsys, "routines", "import", str(routine_file(tmp_path)))
    before = sorted(p.name for p in (data_dir / "routines").iterdir())
    bad = tmp_path / "twisters.json"
    document = json.loads(routine_file(tmp_path, "tw").read_text())
    document["exercises"].append({"name": "x", "kind": "reps", "reps": "ten"})
    bad.write_text(json.dumps(document))
    status, out, err = run(capsys, "routines", "import", str(bad))
    assert status == 2 and out == ""
    assert err == (
        "limber: twisters.json: exercises[1].reps: expected a whole number from "
        '1 to 500, got "ten"\n'
    )
    assert sorted(p.name for p in (data_dir / "routines").iterdir()) == before


def test_importing_a_folder_or_a_clashing_id_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _, err = run(capsys, "routines", "import", str(tmp_path))
    assert status == 2 and "it is a folder, not a file" in err
    clash = routine_file(tmp_path, "scorpion-stretch-progressions", "Mine")
    status, _, err = run(capsys, "routines", "import", str(clash))
    assert (
        status == 2
        and '"Mine" is already used by a built-in routine, "Scorpion Stretch Progressions"' in err
    )


def test_export_then_import_elsewhere_gives_the_same_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "scorpion.json"
    status, out, _ = run(capsys, "routines", "export", "scorpion-stretch-progressions", str(target))
    assert status == 0 and "Exported" in out
    _, original_plan, _ = run(capsys, "plan", "scorpion-stretch-progressions", "--json")
    document = json.loads(target.read_text())
    document["id"] = "my-scorpion"
    target.write_text(json.dumps(document))
    assert run(capsys, "routines", "import", str(target))[0] == 0
    _, copy_plan, _ = run(capsys, "plan", "my-scorpion", "--json")
    assert copy_plan == original_plan


def test_a_broken_file_in_the_library_is_reported_by_list(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    (data_dir / "routines").mkdir(parents=True)
    (data_dir / "routines" / "bad.json").write_text("[]")
    status, out, err = run(capsys, "routines", "list", "--json")
    assert status == 0 and len(json_lines(out)) == 5
    assert "skipped" in err and "bad.json: expected an object, got a list" in err


@pytest.mark.parametrize("how", ["limber", "python -m app"])
def test_the_installed_command_and_python_m_app_both_run(
    how: str, limber: Path, tmp_path: Path, data_dir: Path
) -> None:
    command = [str(limber)] if how == "limber" else [sys.executable, "-m", "app"]
    env = {**os.environ, "LIMBER_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [*command, "routines", "list", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert {json.loads(line)["id"] for line in done.stdout.splitlines()} == SEED_IDS
    done = subprocess.run(
        [*command, "plan", "nope"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


SCREENSHOT = [sys.executable, "-m", "app", "screenshot"]


@pytest.mark.parametrize(
    ("view", "theme"),
    [
        ("library", "light"),
        ("player", "light"),
        ("waiting", "dark"),
        ("paused", "light"),
        ("done", "dark"),
        ("history", "light"),
    ],
)
def test_screenshot_renders_each_view_and_player_state_offscreen(
    view: str, theme: str, tmp_path: Path, data_dir: Path
) -> None:
    from PySide6.QtGui import QImage

    target = tmp_path / f"{view}.png"
    env = {**os.environ, "LIMBER_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [*SCREENSHOT, view, str(target), "--size", "900x600", "--theme", theme],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and f"Saved the {view} view" in done.stdout
    assert png_size(target) == (900, 600)
    for name in ("settings.ini", "settings.json"):
        assert not (data_dir / name).exists()  # a screenshot changes no setting
    status_bar = QImage(str(target)).pixelColor(450, 595)
    assert (status_bar.lightness() < 100) is (theme == "dark")


def test_the_history_screenshot_shows_the_charts_drawn(tmp_path: Path, data_dir: Path) -> None:
    from PySide6.QtGui import QImage

    target = tmp_path / "history.png"
    env = {**os.environ, "LIMBER_DATA_DIR": str(data_dir)}
    subprocess.run(
        [sys.executable, "-m", "app", "screenshot", "history", str(target)],
        capture_output=True,
        env=env,
        check=True,
        timeout=60,
    )
    image = QImage(str(target))
    # The lower half is the charts: axes, titles and the year's heat map fill much
    # of it; "Drawing the charts…" alone would leave it nearly all background.
    background = image.pixel(image.width() - 2, image.height() // 2)
    lower = [
        image.pixel(x, y)
        for y in range(image.height() // 2, image.height() - 30, 4)
        for x in range(0, image.width(), 4)
    ]
    drawn = sum(pixel != background for pixel in lower) / len(lower)
    assert drawn > 0.1, f"only {drawn:.0%} of the charts' half is drawn"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["screenshot", "charts", "x.png"], "argument VIEW: invalid choice: 'charts'"),
        (["screenshot", "player", "x.png", "--size", "big"], "expected WIDTHxHEIGHT"),
        (["screenshot", "player", "x.jpg"], "the screenshot is a PNG"),
        (["screenshot", "player", "/no/such/dir/x.png"], "no folder /no/such/dir"),
        (["play", "nope", "--no-window"], 'no routine with the id or name "nope"'),
    ],
)
def test_screenshot_and_play_refuse_bad_arguments(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err


def test_play_with_a_window_opens_the_player_with_the_routine(
    tmp_path: Path, data_dir: Path
) -> None:
    env = {
        **os.environ,
        "LIMBER_DATA_DIR": str(data_dir),
        "LIMBER_QUIT_WHEN_SHOWN": "1",
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "play",
            "scorpion-stretch-progressions",
            "--weak-side",
            "left",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["painted", "library", "sessions"]


def logged(data_dir: Path, count: int = 3) -> list[str]:
    from app.storage.session_log import SessionLog
    from tests.storage.log_helpers import record

    log = SessionLog(data_dir / "log")
    log.open()
    sessions = [
        record(f"2026-11-{10 + n}T07:{n:02d}:00+01:00", notes='tight, "left"') for n in range(count)
    ]
    for session in sessions:
        log.finish(session)
    return [s.id for s in sessions]


def test_history_json_has_the_promised_fields(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    ids = logged(data_dir)
    status, out, err = run(capsys, "history", "--json")
    assert status == 0 and err == ""
    rows = json_lines(out)
    assert [r["id"] for r in rows] == ids
    for row in rows:
        assert {"routine", "routine_id", "started", "seconds", "status"} <= row.keys()
        assert str(row["started"]).endswith("+01:00") and row["status"] == "completed"
        assert row["seconds"] == 42.0


def test_history_csv_opens_in_a_spreadsheet(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    import csv

    logged(data_dir)
    target = tmp_path / "sessions.csv"
    status, out, _ = run(capsys, "history", "--csv", str(target))
    assert status == 0 and "Wrote 3 sessions" in out
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 3 and rows[0]["notes"] == 'tight, "left"'
    assert rows[0]["done"] == "Spinal rotation: right 3 reps, left 5 reps"


def test_history_export_then_import_on_another_machine(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = logged(data_dir)
    export = tmp_path / "all.json"
    assert run(capsys, "history", "--export", str(export))[0] == 0
    monkeypatch.setenv("LIMBER_DATA_DIR", str(tmp_path / "elsewhere"))
    status, out, _ = run(capsys, "history", "--import-backup", str(export))
    assert status == 0 and "Imported 3 sessions" in out
    _, out, _ = run(capsys, "history", "--json")
    assert [r["id"] for r in json_lines(out)] == ids


def test_history_json_lines_are_each_session_as_stored_and_its_seconds(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    from app.storage.session_log import SessionLog

    logged(data_dir)
    named = record("2026-11-20T07:00:00+01:00", notes="Dehnung — links «zäh»")
    SessionLog(data_dir / "log").finish(named.with_changes(active_seconds=61.123456))
    status, out, _ = run(capsys, "history", "--json")
    assert status == 0
    stored = SessionLog(data_dir / "log").sessions()[-1]
    assert out.splitlines()[-1] == json.dumps(
        {**stored.to_dict(), "seconds": stored.active_seconds}, ensure_ascii=False
    )
    assert "«zäh»" in out and out.endswith('"pid": null, "seconds": 61.123}\n')


def test_history_lists_a_table_a_person_reads(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    logged(data_dir, count=1)
    status, out, err = run(capsys, "history")
    assert (status, err) == (0, "")
    assert (
        out
        == "2026-11-10 07:00    0:42  completed    Spinal Rotation in Heel Sitting  weaker left\n"
    )


# One bad row of each kind: each is skipped and counted, the others listed.
BAD_ROWS: list[dict[str, object]] = [
    {"active_seconds": float("nan")},
    {"active_seconds": 1e308},
    {"paused_seconds": -1},
    {"started": "1999-12-31T23:00:00+01:00"},
    {"started": "2026-11-10T07:00:00"},
    {"status": ["completed"]},
    {"weak_side": "middle"},
    {"tags": ["x" * 41]},
    {"work": [["Spinal rotation", 0, "right", "reps", 3.0, float("inf"), 0]]},
    {"work": [["Spinal rotation", 100, "right", "reps", 3.0, 3.0, 0]]},
    {"work": [["Spinal rotation", 0, "up", "reps", 3.0, 3.0, 0]]},
    {"work": [["Spinal rotation", 0, "right", "rest", 3.0, 3.0, 0]]},
    {"id": ""},
    {"routine": "R" * 121},
]


def damage_rows(data_dir: Path) -> tuple[list[str], list[str]]:
    """A log of good sessions and as many bad rows in the same month file; the ids of
    the good ones, and of the bad."""
    good = logged(data_dir, count=len(BAD_ROWS) + 2)
    month = data_dir / "log" / "sessions-2026-11.json"
    document = json.loads(month.read_text())
    rows = list(document["sessions"].values())[1 : len(BAD_ROWS) + 1]
    damaged = [str(row["id"]) for row in rows]
    for row, bad in zip(rows, BAD_ROWS, strict=True):
        row.update(bad)
    month.write_text(json.dumps(document))  # NaN and Infinity as Python's json writes them
    return [i for i in good if i not in damaged], damaged


def test_history_json_skips_and_counts_each_bad_row_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    readable, _ = damage_rows(data_dir)
    before = {p: p.read_bytes() for p in (data_dir / "log").rglob("*") if p.is_file()}
    status, out, err = run(capsys, "history", "--json")
    assert status == 0
    assert [row["id"] for row in json_lines(out)] == readable
    assert err == f"limber: could not read {len(BAD_ROWS)} sessions in the log (left unchanged)\n"
    after = {p: p.read_bytes() for p in (data_dir / "log").rglob("*") if p.is_file()}
    assert after == before


def test_the_installed_limber_history_reports_bad_rows_as_before(
    limber: Path, data_dir: Path
) -> None:
    readable, _ = damage_rows(data_dir)
    said = f"limber: could not read {len(BAD_ROWS)} sessions in the log (left unchanged)\n"
    listed = {}
    for argv in (["history", "--json"], ["history"]):
        done = subprocess.run(
            [str(limber), *argv], capture_output=True, text=True, timeout=60, check=False
        )
        assert (done.returncode, done.stderr) == (0, said)
        listed[argv[-1]] = done.stdout.splitlines()
    assert [row["id"] for row in json_lines("\n".join(listed["--json"]))] == readable
    assert len(listed["history"]) == len(readable)


def test_history_on_a_sound_log_writes_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    logged(data_dir)
    folder = data_dir / "log"

    def files() -> dict[Path, tuple[int, bytes]]:
        return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*") if p.is_file()}

    before = files()
    for argv in (["history", "--json"], ["history"], ["history", "--csv", str(tmp_path / "a.csv")]):
        assert run(capsys, *argv)[0] == 0
    assert files() == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["history", "--import-backup", "/no/such.json"], "no such file: /no/such.json"),
        (
            ["history", "--csv", "/no/such/dir/x.csv"],
            "cannot write /no/such/dir/x.csv: no folder /no/such/dir",
        ),
        (["history", "--export", "/no/dir/all.json"], "no folder /no/dir"),
    ],
)
def test_history_refuses_bad_files_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err


def test_history_import_of_something_else_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text('{"shopping": ["milk"]}')
    status, _, err = run(capsys, "history", "--import-backup", str(bad))
    assert status == 2 and "not a Limber session log or export" in err
    assert not list((data_dir / "log").glob("sessions-*.json"))


def test_several_files_are_imported_each_on_its_own(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    good = routine_file(tmp_path, "hips")
    other = routine_file(tmp_path, "shoulders", "Shoulders")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    status, out, err = run(capsys, "routines", "import", str(good), str(broken), str(other))
    assert status == 2
    assert out.splitlines() == ['Imported "Hips" as hips', 'Imported "Shoulders" as shoulders']
    assert err.splitlines() == [
        "limber: broken.json: not valid JSON: Expecting property name "
        "enclosed in double quotes at line 1 column 2"
    ]
    assert sorted(p.name for p in (data_dir / "routines").iterdir()) == [
        "hips.json",
        "shoulders.json",
    ]


def test_a_taken_id_is_refused_replaced_or_kept_both(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    first = routine_file(tmp_path, "hips", "Hips")
    assert run(capsys, "routines", "import", str(first))[0] == 0
    second = tmp_path / "second"
    second.mkdir()
    again = routine_file(second, "hips", "Hips, harder")
    status, _, err = run(capsys, "routines", "import", str(again))
    assert (
        status == 2
        and '"hips" of "Hips, harder" is already used by one of your routines, "Hips"' in err
    )
    status, out, _ = run(capsys, "routines", "import", "--keep-both", str(again))
    assert status == 0 and out == 'Imported "Hips, harder (2)" as hips-2\n'
    status, out, _ = run(capsys, "routines", "import", "--replace", str(again))
    assert status == 0 and out == 'Imported "Hips, harder" as hips\n'
    _, out, _ = run(capsys, "routines", "list", "--json")
    names = {r["id"]: r["name"] for r in json_lines(out)}
    assert names["hips"] == "Hips, harder" and names["hips-2"] == "Hips, harder (2)"
    status, _, err = run(capsys, "routines", "import", "--replace", "--keep-both", str(again))
    assert status == 2 and "not allowed with argument" in err


def test_a_builtin_routine_is_never_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clash = routine_file(tmp_path, "spinal-rotation-heel-sitting", "Mine")
    status, _, err = run(capsys, "routines", "import", "--replace", str(clash))
    assert status == 2 and "is a built-in routine and cannot be replaced" in err
    status, out, _ = run(capsys, "routines", "import", "--keep-both", str(clash))
    assert status == 0 and "as spinal-rotation-heel-sitting-2" in out


def test_a_routine_card_as_html_and_pdf(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    html = tmp_path / "card.html"
    status, out, _ = run(capsys, "routines", "card", "scorpion-stretch-progressions", str(html))
    assert status == 0 and "Wrote the card" in out
    text = html.read_text(encoding="utf-8")
    for expected in (
        "Scorpion Stretch Progressions",
        "Rick Kaselj, MS",
        "Foot to hand",
        "5 reps at 4 s a rep",
        "per side, sides alternating",
    ):
        assert expected in text
    assert html.stat().st_mode & 0o777 == 0o644  # a file to share, not a private one
    pdf = tmp_path / "card.pdf"
    status, _, _ = run(capsys, "routines", "card", "thoracic-spine-mini-routine", str(pdf))
    assert status == 0 and pdf.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    status, _, err = run(
        capsys, "routines", "card", "thoracic-spine-mini-routine", str(tmp_path / "card.docx")
    )
    assert status == 2 and "a card is .html or .pdf" in err


def test_a_card_escapes_what_a_routine_file_says(tmp_path: Path) -> None:
    from app.domain.routine import Exercise, Kind, Routine, Source
    from app.domain.routine_card import card_html

    routine = Routine(
        "x",
        "<script>alert(1)</script>",
        (Exercise("<b>", Kind.HOLD, seconds=5),),
        source=Source(url='https://e.org/"onmouseover="x'),
    )
    page = card_html(routine)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '"onmouseover="' not in page


def test_ctrl_c_in_any_command_stops_without_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: object) -> list[object]:
        raise KeyboardInterrupt

    monkeypatch.setattr("app.storage.routine_store.RoutineStore.all", interrupted)
    status, _, err = run(capsys, "routines", "list")
    assert status == 130 and err == "\nStopped.\n"


def test_an_id_with_a_line_break_is_refused_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    path = routine_file(tmp_path, "hips")
    path.write_text(path.read_text().replace('"id": "hips"', '"id": "hips\\n"'))
    status, out, err = run(capsys, "routines", "import", "--keep-both", str(path))
    assert (status, out) == (2, "")
    assert (
        err.startswith("limber: hips.json: id: expected lowercase letters") and err.count("\n") == 1
    )
    assert not (data_dir / "routines").exists() or not list((data_dir / "routines").iterdir())


def test_a_fifo_is_refused_without_waiting_for_a_writer(
    limber: Path, tmp_path: Path, data_dir: Path
) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    done = subprocess.run(
        [limber, "routines", "import", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "limber: pipe.json: not a regular file but a named pipe (FIFO); not read\n"
    )
    # In the library it is skipped, named, and the rest is listed.
    (data_dir / "routines").mkdir(parents=True)
    os.mkfifo(data_dir / "routines" / "waiting.json")
    routine_file(data_dir / "routines", "hips")
    done = subprocess.run(
        [limber, "routines", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert "hips" in {row["id"] for row in json_lines(done.stdout)}
    assert done.stderr == (
        f"limber: skipped {data_dir / 'routines' / 'waiting.json'}: "
        "waiting.json: not a regular file but a named pipe (FIFO); "
        "not read\n"
    )
