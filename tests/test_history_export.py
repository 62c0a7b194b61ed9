"""The CSV export: text that a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.history_export import write_csv
from tests.storage.log_helpers import record

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tindented",
    "\rreturn",
]


def read_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(text.splitlines(keepends=True)))


@pytest.mark.parametrize(
    "formula", FORMULAS, ids=["equals", "plus", "minus", "at", "tab", "return"]
)
def test_text_that_starts_like_a_formula_is_quoted(tmp_path: Path, formula: str) -> None:
    session = record(notes=formula).with_changes(routine=formula, tags=(formula, "hips"))
    target = tmp_path / "sessions.csv"
    write_csv([session], target)
    (row,) = read_rows(target)
    for column in ("routine", "notes", "tags"):
        assert row[column].startswith("'" + formula[0]), (column, row[column])


def test_plain_text_and_numbers_are_left_as_they_are(tmp_path: Path) -> None:
    session = record(notes="tight - left hip").with_changes(active_seconds=61.4)
    target = tmp_path / "sessions.csv"
    write_csv([session], target)
    (row,) = read_rows(target)
    assert row["notes"] == "tight - left hip" and row["routine"] == session.routine
    assert row["seconds"] == "61" and row["started"] == session.started
    assert row["id"] == session.id


def test_seconds_round_as_every_other_time_does_a_half_up(tmp_path: Path) -> None:
    sessions = [record().with_changes(active_seconds=s) for s in (152.5, 157.5)]
    target = tmp_path / "sessions.csv"
    write_csv(sessions, target)
    assert [row["seconds"] for row in read_rows(target)] == ["153", "158"]
