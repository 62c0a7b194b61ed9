"""The history's session columns: one session put or removed in place gives the
same columns as all of them read afresh."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import numpy as np

from app.domain.history_table import FactsTable, SessionColumns
from tests.bench.synthetic import sessions
from tests.storage.log_helpers import record

TODAY = date(2026, 11, 21)


def assert_same(columns: SessionColumns, fresh: SessionColumns) -> None:
    assert [s.id for s in columns.sessions] == [s.id for s in fresh.sessions]
    assert columns.sessions == fresh.sessions
    for column in fields(FactsTable):
        np.testing.assert_array_equal(
            getattr(columns.table, column.name), getattr(fresh.table, column.name)
        )
    assert columns.routines == fresh.routines and columns.tags == fresh.tags
    for _, routine_id in fresh.routines | {("", "unknown")}:
        np.testing.assert_array_equal(
            columns.routine_mask(routine_id), fresh.routine_mask(routine_id)
        )
    for tag in fresh.tags:
        np.testing.assert_array_equal(columns.tag_mask(tag), fresh.tag_mask(tag))


def test_sessions_put_and_removed_one_at_a_time_match_a_fresh_build() -> None:
    records, _ = sessions(90, 1, TODAY)
    columns = SessionColumns(records[:-3][::-1])  # in any order
    columns.tag_mask("hips")  # a mask made before the changes must follow them
    columns.put(records[-1])
    columns.put(records[-3])  # older than the newest: built again
    columns.put(records[-2])
    columns.put(records[10].with_changes(notes="stiff today", tighter={"0": "left"}))
    columns.remove(records[20])
    columns.remove(records[20])  # gone already: nothing happens
    columns.put(record("2026-11-21T21:00:00+01:00", routine="a-new-one"))
    columns.put(records[5].with_changes(started="2026-11-21T22:00:00+01:00"))  # moved
    assert_same(columns, SessionColumns(columns.sessions))
    assert ("Spinal Rotation in Heel Sitting", "a-new-one") in columns.routines
    assert columns.sessions[-1].id == records[5].id
    assert columns.index_of(records[20]) is None


def test_an_empty_history_takes_its_first_session() -> None:
    columns = SessionColumns([])
    only = record()
    columns.put(only)
    assert_same(columns, SessionColumns([only]))
    columns.remove(only)
    assert_same(columns, SessionColumns([]))
