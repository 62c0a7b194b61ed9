"""Format stability: routine files written by this version load, unchanged, in later
ones. The files in tests/data/routines-v1 were written by Limber 0.1; never edit
them: if this test fails, a change broke files people already have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain import routine_format
from app.domain.plan import build_plan

PINNED = Path(__file__).resolve().parent.parent / "data" / "routines-v1"
FILES = sorted(p for p in PINNED.glob("*.json") if p.name != "expected-plans.json")
EXPECTED = json.loads((PINNED / "expected-plans.json").read_text())


def test_the_pinned_set_covers_every_key() -> None:
    assert len(FILES) == 6
    text = (PINNED / "every-field.json").read_text()
    for key in (
        "reps_max",
        "tempo",
        "rest_instruction",
        "switch_seconds",
        "progressions",
        "alternating",
        "url",
        "note",
        '"timed"',
        '"hold"',
    ):
        assert key in text


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_pinned_file_loads_and_plans_as_it_did(path: Path) -> None:
    routine = routine_format.loads(path.read_bytes(), path.name)
    plan = build_plan(routine)
    assert {"steps": len(plan.steps), "total_seconds": plan.total_seconds} == EXPECTED[path.name]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_pinned_file_is_written_back_byte_for_byte(path: Path) -> None:
    routine = routine_format.loads(path.read_bytes(), path.name)
    assert routine_format.dumps(routine) == path.read_text(encoding="utf-8")
