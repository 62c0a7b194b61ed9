"""The routine store: built-ins from the package, the user's files, crash-safe writes."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from app.domain import routine_format
from app.domain.routine import Routine
from app.domain.routine_format import RoutineFormatError
from app.storage.atomic import write_atomically
from app.storage.paths import data_dir, user_routines_dir
from app.storage.routine_store import (
    OnClash,
    RoutineExistsError,
    RoutineNotFoundError,
    RoutineStore,
    export_routine,
)
from tests.strategies import routines

SEED_IDS = {
    "spinal-rotation-heel-sitting",
    "thoracic-spine-mini-routine",
    "thoracic-spine-roller-twisters",
    "five-movements-healthy-back",
    "scorpion-stretch-progressions",
}


def routine_file(folder: Path, routine_id: str = "hips", name: str = "Hips") -> Path:
    path = folder / f"{routine_id}.json"
    path.write_text(
        json.dumps(
            {
                "format": "limber-routine",
                "version": 1,
                "id": routine_id,
                "name": name,
                "exercises": [
                    {"name": "Circle", "kind": "reps", "reps": 5, "tempo": 2, "sides": "each"}
                ],
            }
        )
    )
    return path


def test_the_data_dir_follows_the_environment(data_dir: Path) -> None:
    assert user_routines_dir() == data_dir / "routines"


def test_without_the_override_the_platform_dir_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIMBER_DATA_DIR")
    assert data_dir().name == "limber"


def test_the_five_seed_routines_are_built_in() -> None:
    stored = RoutineStore(user_routines_dir()).all()
    assert {s.routine.id for s in stored} == SEED_IDS
    assert all(s.builtin for s in stored)
    for entry in stored:
        source = entry.routine.source
        # Every seed credits its article's author, or says why it cannot.
        assert source.title and (source.author or "names no author" in source.note)
        assert entry.routine.tags and entry.routine.notes


def test_an_imported_routine_is_listed_and_found_by_id_or_name(tmp_path: Path) -> None:
    store = RoutineStore(user_routines_dir())
    store.import_file(routine_file(tmp_path))
    assert store.find("hips").routine.name == "Hips"
    assert store.find("Hips").routine.id == "hips"
    assert not store.find("hips").builtin
    assert (user_routines_dir() / "hips.json").exists()


def test_a_broken_file_is_refused_and_leaves_the_library_as_it_was(tmp_path: Path) -> None:
    store = RoutineStore(user_routines_dir())
    store.import_file(routine_file(tmp_path))
    before = sorted(p.name for p in user_routines_dir().iterdir())
    bad = tmp_path / "twisters.json"
    bad.write_text(
        '{"format": "limber-routine", "version": 1, "id": "tw", "name": "T",'
        ' "exercises": [{"name": "x", "kind": "reps", "reps": "ten"}]}'
    )
    with pytest.raises(RoutineFormatError, match=r"twisters.json: exercises\[0\].reps"):
        store.import_file(bad)
    assert sorted(p.name for p in user_routines_dir().iterdir()) == before


def test_an_id_already_taken_is_refused_naming_both(tmp_path: Path) -> None:
    store = RoutineStore(user_routines_dir())
    clash = routine_file(tmp_path, "spinal-rotation-heel-sitting", "My rotation")
    with pytest.raises(
        RoutineExistsError,
        match='already used by a built-in routine, "Spinal Rotation in Heel Sitting"',
    ):
        store.import_file(clash)
    assert not user_routines_dir().exists()


def test_an_unknown_routine_names_what_there_is() -> None:
    with pytest.raises(RoutineNotFoundError, match="there are: five-movements") as caught:
        RoutineStore(user_routines_dir()).find("nope")
    assert "did you mean" not in str(caught.value)


@pytest.mark.parametrize(
    "key",
    [
        "spinal rotation in heel sitting",
        "SPINAL ROTATION IN HEEL SITTING",
        "  Spinal   Rotation in\tHeel Sitting  ",
        "Spinal-Rotation-Heel-Sitting",
        " spinal-rotation-heel-sitting ",
    ],
)
def test_a_routine_is_found_by_id_or_name_whatever_the_case_and_spaces(key: str) -> None:
    found = RoutineStore(user_routines_dir()).find(key)
    assert found.routine.id == "spinal-rotation-heel-sitting"


def test_two_routines_named_alike_ignoring_case_are_ambiguous_naming_both_ids(
    tmp_path: Path,
) -> None:
    store = RoutineStore(user_routines_dir())
    store.import_file(routine_file(tmp_path, "hips-a", "Hips"))
    store.import_file(routine_file(tmp_path, "hips-b", "HIPS"))
    with pytest.raises(
        RoutineNotFoundError, match=r'2 routines are named "hIPs".*hips-a or hips-b'
    ):
        store.find(" hIPs ")
    assert store.find("hips-b").routine.name == "HIPS"  # the id still picks one


@pytest.mark.parametrize(
    ("key", "suggested"),
    [
        ("spinal rotation", '"Spinal Rotation in Heel Sitting"'),
        ("5 movements for a healty back", '"5 Movements for a Healthy Back"'),
        ("scorpion", "scorpion-stretch-progressions"),
        ("thoracic-spine-roller-twister", "thoracic-spine-roller-twisters"),
    ],
)
def test_a_near_miss_suggests_what_was_meant_instead_of_every_id(key: str, suggested: str) -> None:
    with pytest.raises(RoutineNotFoundError) as caught:
        RoutineStore(user_routines_dir()).find(key)
    message = str(caught.value)
    assert f"did you mean {suggested}" in message, message
    assert "there are" not in message and "five-movements-healthy-back" not in message
    assert len(message) < 160


def test_near_misses_name_each_routine_once_and_at_most_three() -> None:
    with pytest.raises(RoutineNotFoundError) as caught:
        RoutineStore(user_routines_dir()).find("thoracic")
    message = str(caught.value)
    assert message.endswith(
        "did you mean thoracic-spine-mini-routine or thoracic-spine-roller-twisters?"
    ), message


def test_a_broken_file_in_the_user_folder_is_skipped_and_reported() -> None:
    folder = user_routines_dir()
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text("{not json")
    store = RoutineStore(folder)
    assert {s.routine.id for s in store.all()} == SEED_IDS
    assert [b.path.name for b in store.broken] == ["broken.json"]
    assert "not valid JSON" in store.broken[0].error.one_line()


def test_export_writes_a_file_that_imports_as_the_same_routine(tmp_path: Path) -> None:
    store = RoutineStore(user_routines_dir())
    original = store.find("thoracic-spine-mini-routine").routine
    target = tmp_path / "card.json"
    export_routine(original, target)
    assert routine_format.loads(target.read_bytes(), target.name) == original


def test_an_atomic_write_that_fails_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.json"
    target.write_bytes(b"old")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr("app.storage.atomic.os.fsync", disk_full)
        with pytest.raises(OSError, match="No space"):
            write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(routines())
def test_export_then_import_gives_back_the_same_routine(tmp_path: Path, routine: Routine) -> None:
    store = RoutineStore(tmp_path / f"library-{routine.id}-{abs(hash(routine))}")
    target = tmp_path / f"{routine.id}.json"
    export_routine(routine, target)
    stored = store.import_file(target, OnClash.REPLACE)
    assert stored.routine == routine
    assert store.find(routine.id).routine == routine


def test_a_fifo_in_the_library_is_skipped_without_waiting_for_a_writer(data_dir: Path) -> None:
    folder = user_routines_dir()
    folder.mkdir(parents=True)
    fifo = folder / "pipe.json"
    os.mkfifo(fifo)
    routine_file(folder, "hips")
    store = RoutineStore(folder)
    listed: list[list[str]] = []
    reader = threading.Thread(
        target=lambda: listed.append([s.routine.id for s in store.all() if not s.builtin]),
        daemon=True,
    )
    reader.start()
    reader.join(20)
    if reader.is_alive():  # let the stuck reader go before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading the library waited on a FIFO")
    assert listed == [["hips"]]
    [broken] = store.broken
    assert broken.path == fifo
    assert broken.error.one_line() == (
        "pipe.json: not a regular file but a named pipe (FIFO); not read"
    )
