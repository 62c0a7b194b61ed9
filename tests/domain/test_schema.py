"""The JSON Schema shipped in the package agrees with the loader."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from hypothesis import given, settings

from app.domain import routine_format
from app.domain.routine import Routine
from tests.strategies import routines


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    text = resources.files("app.resources").joinpath("schema/routine-v1.schema.json").read_text()
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_builtin_routine_matches_the_schema(
    validator: jsonschema.Draft202012Validator,
) -> None:
    folder = resources.files("app.data.routines")
    files = [f for f in folder.iterdir() if f.name.endswith(".json")]
    assert len(files) == 5
    for entry in files:
        validator.validate(json.loads(entry.read_text(encoding="utf-8")))


@settings(max_examples=100, deadline=None)
@given(routines())
def test_what_the_loader_writes_the_schema_accepts(
    validator: jsonschema.Draft202012Validator, routine: Routine
) -> None:
    validator.validate(routine_format.to_document(routine))


@pytest.mark.parametrize(
    "change",
    [
        {"version": 2},
        {"id": "Bad Id"},
        {"colour": "red"},
        {"exercises": []},
        {"exercises": [{"name": "x", "kind": "reps"}]},
        {"exercises": [{"name": "x", "kind": "hold", "seconds": 5, "tempo": 2}]},
        {"exercises": [{"name": "x", "kind": "reps", "reps": "ten"}]},
    ],
)
def test_what_the_loader_refuses_the_schema_refuses(
    validator: jsonschema.Draft202012Validator, change: dict[str, object]
) -> None:
    document = {
        "format": "limber-routine",
        "version": 1,
        "id": "a",
        "name": "A",
        "exercises": [{"name": "x", "kind": "reps", "reps": 1}],
        **change,
    }
    with pytest.raises(routine_format.RoutineFormatError):
        routine_format.from_document(document)
    assert not validator.is_valid(document)
