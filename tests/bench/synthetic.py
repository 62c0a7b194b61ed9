"""Synthetic session logs: years of warm-ups, written straight into log files."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.domain.display import per_side_exercises
from app.domain.plan import PlanSettings, build_plan
from app.domain.routine import Side
from app.domain.session import (
    SAME,
    SessionRecord,
    SessionStatus,
    plan_document,
    plan_id,
    work_done,
)
from app.storage.routine_store import RoutineStore
from app.storage.session_log import SCHEMA_VERSION, session_file

ZONE = ZoneInfo("Europe/Berlin")
# The made-up person's tighter side, which catches up with the other: marked the
# weaker side and felt tighter often at first, felt the same as the other later.
TIGHT = Side.LEFT
# How many of the end-of-routine questions are answered.
ANSWERED = 0.8


def sessions(
    days: int, per_day: int, end: date, seed: int = 7, days_off: float = 0.15
) -> tuple[list[SessionRecord], dict[str, dict[str, object]]]:
    """`per_day` sessions on the `days` days up to `end` but a share of days off,
    over the five built-in routines, with a weak side that slowly catches up: it
    is marked weaker and felt tighter less and less often, and more answers to
    "which side felt tighter?" say "same"."""
    rng = random.Random(seed)
    routines = [s.routine for s in RoutineStore(Path("/nonexistent")).all()]
    plans: dict[str, dict[str, object]] = {}
    records = []
    for offset in range(days, 0, -1):
        day = end - timedelta(days=offset - 1)
        caught_up = 1 - offset / days  # from 0 on the first day to 1 on the last
        if rng.random() < days_off:
            continue  # a day off
        for slot in range(per_day):
            routine = rng.choice(routines)
            weak = TIGHT if rng.random() < 0.9 - 0.6 * caught_up else None
            plan = build_plan(routine, PlanSettings(weak_side=weak))
            key = plan_id(plan)
            plans.setdefault(key, {"id": key, **plan_document(plan)})
            start = datetime(
                day.year, day.month, day.day, 7 + 11 * slot, rng.randrange(60), tzinfo=ZONE
            )
            from app.domain.player import StepOutcome

            outcomes = {i: StepOutcome(i, s.seconds, True) for i, s in enumerate(plan.steps)}
            record = SessionRecord(
                id=uuid.uuid4().hex,
                routine_id=routine.id,
                routine=routine.name,
                plan_id=key,
                started=start.isoformat(timespec="seconds"),
                ended=(start + timedelta(seconds=plan.total_seconds)).isoformat(timespec="seconds"),
                status=SessionStatus.COMPLETED if rng.random() < 0.9 else SessionStatus.STOPPED,
                active_seconds=plan.total_seconds * rng.uniform(0.6, 1.0),
                weak_side=weak.value if weak else None,
                tags=routine.tags,
                work=work_done(plan, outcomes),
            )
            tighter = {
                str(index): felt(rng, caught_up)
                for index, _name in per_side_exercises(record)
                if rng.random() < ANSWERED
            }
            records.append(record.with_changes(tighter=tighter))
    return records, plans


def felt(rng: random.Random, caught_up: float) -> str:
    """Which side felt tighter: the tight side most of the time at first, a fifth
    of the time by the end; the other side now and then; else the same."""
    draw = rng.random()
    if draw < 0.8 - 0.6 * caught_up:
        return TIGHT.value
    if draw > 0.92:
        return TIGHT.other.value
    return SAME


def write_log(
    folder: Path, records: list[SessionRecord], plans: dict[str, dict[str, object]]
) -> None:
    """Writes `records` as the log's files would hold them."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"1": {"schema": SCHEMA_VERSION}}
    by_file: dict[Path, dict[str, object]] = {}
    for record in records:
        table = by_file.setdefault(session_file(folder, record), {})
        table[str(len(table) + 1)] = record.to_dict()
    for path, table in by_file.items():
        path.write_text(json.dumps({"meta": meta, "sessions": table}, separators=(",", ":")))
    (folder / "plans.json").write_text(
        json.dumps(
            {"meta": meta, "plans": {str(i + 1): p for i, p in enumerate(plans.values())}},
            separators=(",", ":"),
        )
    )
