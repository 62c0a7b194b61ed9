"""Synthetic session logs: years of warm-ups, written straight into log files."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.domain.plan import PlanSettings, build_plan
from app.domain.routine import Side
from app.domain.session import SessionRecord, SessionStatus, plan_document, plan_id, work_done
from app.storage.routine_store import RoutineStore
from app.storage.session_log import SCHEMA_VERSION, session_file

ZONE = ZoneInfo("Europe/Berlin")


def sessions(
    days: int, per_day: int, end: date, seed: int = 7, days_off: float = 0.15
) -> tuple[list[SessionRecord], dict[str, dict[str, object]]]:
    """`per_day` sessions on the `days` days up to `end` but a share of days off,
    over the five built-in routines, with a weak side that slowly catches up."""
    rng = random.Random(seed)
    routines = [s.routine for s in RoutineStore(Path("/nonexistent")).all()]
    plans: dict[str, dict[str, object]] = {}
    records = []
    for offset in range(days, 0, -1):
        day = end - timedelta(days=offset - 1)
        if rng.random() < days_off:
            continue  # a day off
        for slot in range(per_day):
            routine = rng.choice(routines)
            weak = rng.choice([Side.LEFT, Side.RIGHT, None])
            plan = build_plan(routine, PlanSettings(weak_side=weak))
            key = plan_id(plan)
            plans.setdefault(key, {"id": key, **plan_document(plan)})
            start = datetime(
                day.year, day.month, day.day, 7 + 11 * slot, rng.randrange(60), tzinfo=ZONE
            )
            from app.domain.player import StepOutcome

            outcomes = {i: StepOutcome(i, s.seconds, True) for i, s in enumerate(plan.steps)}
            tighter = {"0": weak.value} if weak and rng.random() < 0.5 else {}
            records.append(
                SessionRecord(
                    id=uuid.uuid4().hex,
                    routine_id=routine.id,
                    routine=routine.name,
                    plan_id=key,
                    started=start.isoformat(timespec="seconds"),
                    ended=(start + timedelta(seconds=plan.total_seconds)).isoformat(
                        timespec="seconds"
                    ),
                    status=SessionStatus.COMPLETED if rng.random() < 0.9 else SessionStatus.STOPPED,
                    active_seconds=plan.total_seconds * rng.uniform(0.6, 1.0),
                    weak_side=weak.value if weak else None,
                    tags=routine.tags,
                    work=work_done(plan, outcomes),
                    tighter=tighter,
                )
            )
    return records, plans


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
