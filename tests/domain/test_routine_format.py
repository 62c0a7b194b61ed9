"""Routine files: every problem reported with file name and JSON path; round trips."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from app.domain import routine_format
from app.domain.routine import Kind, Sides
from app.domain.routine_format import RoutineFormatError
from tests.strategies import routines


def minimal(**changes: object) -> dict[str, object]:
    document: dict[str, object] = {
        "format": "limber-routine",
        "version": 1,
        "id": "twisters",
        "name": "Twisters",
        "exercises": [
            {"name": "Twist", "kind": "reps", "reps": 10},
            {"name": "Hold", "kind": "hold", "seconds": 30},
            {"name": "Roll", "kind": "timed", "seconds": 60},
        ],
    }
    document.update(changes)
    return document


def problems_of(document: object, name: str = "twisters.json") -> list[str]:
    with pytest.raises(RoutineFormatError) as caught:
        routine_format.loads(json.dumps(document), name)
    return [f"{caught.value.source_name}: {p}" for p in caught.value.problems]


def test_a_minimal_file_loads_with_defaults() -> None:
    routine = routine_format.loads(json.dumps(minimal()), "twisters.json")
    twist = routine.exercises[0]
    assert (routine.id, routine.name, twist.kind, twist.reps) == (
        "twisters",
        "Twisters",
        Kind.REPS,
        10,
    )
    assert twist.sides is Sides.NONE and twist.sets == 1 and twist.tempo is None
    assert routine.exercises[1].seconds == 30.0


def test_the_issue_example_message() -> None:
    document = minimal()
    document["exercises"][2] = {"name": "Roll", "kind": "reps", "reps": "ten"}  # type: ignore[index]
    assert problems_of(document) == [
        'twisters.json: exercises[2].reps: expected a whole number from 1 to 500, got "ten"'
    ]


def test_every_problem_is_reported_with_its_path() -> None:
    document = minimal(id="Not An Id", tags=["ok", 3], colour="red")
    document["exercises"] = [
        {"name": "", "kind": "reps", "reps": 0, "tempo": -1},
        {"name": "Hold", "kind": "hold", "reps": 3},
        {"name": "Range", "kind": "reps", "reps": 5, "reps_max": 3, "sides": "both"},
        {"name": "P", "kind": "reps", "reps": 2, "progressions": [{"instructions": []}]},
    ]
    found = problems_of(document)
    expected = [
        "colour: unknown key",
        'id: expected lowercase letters, digits and dashes (like "hip-warm-up"), got "Not An Id"',
        "exercises[0].name: must not be empty",
        "exercises[0].reps: expected a whole number from 1 to 500, got 0",
        "exercises[0].tempo: expected a number of seconds from 0.5 to 60, got -1",
        'exercises[1].reps: does not apply to a "hold" exercise',
        'exercises[1]: a "hold" exercise needs "seconds"',
        "exercises[2].reps_max: the top of the range (3) is below reps (5)",
        'exercises[2].sides: expected one of "none", "each", "alternating", got "both"',
        'exercises[3].progressions[0]: missing required key "name"',
        "tags[1]: expected text, got 3",
    ]
    for fragment in expected:
        assert any(fragment in line for line in found), (fragment, found)
    assert all(line.startswith("twisters.json: ") for line in found)


@pytest.mark.parametrize(
    ("version", "hint"),
    [(2, "newer Limber"), (0, "reads version 1"), ("1", "reads version 1")],
)
def test_an_unknown_version_gets_its_own_error(version: object, hint: str) -> None:
    found = problems_of({"format": "limber-routine", "version": version, "whatever": 1})
    assert len(found) == 1
    assert "unknown routine format version" in found[0] and hint in found[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"", "not valid JSON"),
        (b"{", "not valid JSON: Expecting property name"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b'{"a": NaN}', "NaN is not a number JSON allows"),
        (b'{"a": 1, "a": 2}', "the key 'a' appears twice"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]', "nested too deeply"),
        (b"[]", "expected an object, got a list"),
        (b" " * 1_000_001, "file is too large"),
    ],
)
def test_bytes_that_are_no_routine_are_refused_clearly(text: bytes, message: str) -> None:
    with pytest.raises(RoutineFormatError) as caught:
        routine_format.loads(text, "bad.json")
    assert message in str(caught.value)
    assert str(caught.value).startswith("bad.json: ")
    assert "\n" not in str(caught.value)


def test_a_byte_order_mark_is_accepted() -> None:
    text = "\ufeff" + json.dumps(minimal())
    assert routine_format.loads(text.encode("utf-8")).id == "twisters"


def test_a_file_can_name_no_other_file() -> None:
    # Data only: a key that would make the loader read elsewhere is just unknown.
    found = problems_of(minimal(include="/etc/passwd", **{"$ref": "other.json"}))
    assert any("include: unknown key" in line for line in found)
    assert any('"$ref": unknown key' in line for line in found)


@settings(max_examples=150, deadline=None)
@given(routines())
def test_writing_then_reading_gives_back_the_same_routine(routine: object) -> None:
    text = routine_format.dumps(routine)  # type: ignore[arg-type]
    assert routine_format.loads(text.encode("utf-8"), "round.json") == routine


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"id": "twisters\n"}, "id"),
        ({"source": {"url": "https://example.org/twisters\n"}}, "source.url"),
    ],
)
def test_a_trailing_line_break_does_not_pass_a_pattern(
    changes: dict[str, object], path: str
) -> None:
    # `$` matches before a final "\n": the id and the link must match whole.
    assert [p.split(": ")[1] for p in problems_of(minimal(**changes))] == [path]


def test_a_key_with_a_line_break_is_shown_quoted() -> None:
    assert problems_of(minimal(**{"tags\n": []})) == [
        'twisters.json: "tags\\n": unknown key (allowed: format, version, id, name, '
        "exercises, description, tags, source, notes)"
    ]
