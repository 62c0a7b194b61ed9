"""Fuzzing the importer: mutated and random routine files, as a user could feed it.

Every time: exit 0 with the routine stored as it reads back, or exit 2 with one
line per refused file naming it, no traceback, and nothing written for it.
"""

from __future__ import annotations

import io
import json
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.domain import routine_format
from app.storage.paths import user_routines_dir
from tests.strategies import routines

weird_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**100),
    st.just(-(10**100)),
    st.floats(allow_nan=False),
    st.just(1e308),
    st.text(max_size=20),
    st.just("x" * 200_000),
    st.just("\u202e\u0000\ud7ff"),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.just([[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]),
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def mutate(document: dict[str, Any], data: st.DataObject) -> Any:
    """One mutation: a value replaced, a key removed or added, or the root replaced."""
    path = data.draw(st.sampled_from(paths(document)))
    action = data.draw(st.sampled_from(["replace", "remove", "add"]))
    if not path:
        return data.draw(weird_values)
    parent: Any = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "replace":
        parent[last] = data.draw(weird_values)
    elif action == "remove":
        del parent[last]
    elif isinstance(parent, dict):
        parent[data.draw(st.text(min_size=1, max_size=8))] = data.draw(weird_values)
    else:
        parent.append(data.draw(weird_values))
    return document


def run_import(*files: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(["routines", "import", *map(str, files)])
        except SystemExit as exc:
            status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def stored() -> dict[str, bytes]:
    folder = user_routines_dir()
    return {p.name: p.read_bytes() for p in folder.glob("*.json")} if folder.exists() else {}


def check(target: Path) -> None:
    before = stored()
    started = time.monotonic()
    status, out, err = run_import(target)
    assert time.monotonic() - started < 10, "the importer hung"
    assert "Traceback" not in err and "Traceback" not in out
    if status == 0:
        added = set(stored()) - set(before)
        (imported,) = added or {f"{json.loads(target.read_bytes())['id']}.json"}
        again = routine_format.loads((user_routines_dir() / imported).read_bytes())
        assert again == routine_format.loads(target.read_bytes())
        (user_routines_dir() / imported).unlink()
    else:
        assert status == 2 and out == ""
        assert len(err.splitlines()) == 1 and err.startswith("limber: ")
        assert stored() == before, "a refused file changed the library"


FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@FUZZ
@given(routines(), st.data())
def test_mutated_routine_files(tmp_path: Path, routine: Any, data: st.DataObject) -> None:
    document = mutate(routine_format.to_document(routine), data)
    target = tmp_path / "fuzzed.json"
    target.write_text(json.dumps(document, ensure_ascii=data.draw(st.booleans())))
    check(target)


@FUZZ
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda t: t.encode("utf-8")))
def test_random_bytes(tmp_path: Path, content: bytes) -> None:
    target = tmp_path / "random.json"
    target.write_bytes(content)
    check(target)


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 200_000,
        b'{"format": "limber-routine", "version": 1, "id": "a", "name": "'
        + b"n" * 2_000_000
        + b'", "exercises": []}',
        b'\xff\xfe\x00{"format"',
        json.dumps(
            {
                "format": "limber-routine",
                "version": 1,
                "id": "many",
                "name": "Many",
                "exercises": [{"name": f"E{i}", "kind": "reps", "reps": 1} for i in range(5000)],
            }
        ).encode(),
    ],
)
def test_hostile_files_are_refused_quickly(tmp_path: Path, content: bytes) -> None:
    target = tmp_path / "hostile.json"
    target.write_bytes(content)
    check(target)


def test_a_50_megabyte_file_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    target = tmp_path / "huge.json"
    with target.open("wb") as out:
        out.write(b'{"format": "limber-routine", "notes": "')
        out.write(b"x" * (50 * 1024 * 1024))
        out.write(b'"}')
    status, _, err = run_import(target)
    assert status == 2
    assert err == (
        "limber: huge.json: file is too large (1,000,001 bytes; the limit is 1,000,000)\n"
    )
