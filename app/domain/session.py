"""A session: one run of a routine, as the log keeps it.

Records are plain values that turn into JSON-ready dicts and back; the plan a
session ran is kept once per distinct plan, under a content hash.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

from app.domain.plan import Plan, StepKind
from app.domain.player import StepOutcome

WORK_KINDS = (StepKind.REPS, StepKind.HOLD, StepKind.TIMED)


class SessionStatus(StrEnum):
    """How a session ended (or that it is still going)."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class WorkDone:
    """What one exercise asked of one side over the session, and what was done.

    `planned` and `done` are reps for a reps exercise, seconds for a hold or timed
    one; `cut_short` counts the steps skipped or stopped before their end.
    """

    exercise: str
    exercise_index: int
    side: str | None
    kind: str
    planned: float
    done: float
    cut_short: int = 0


@dataclass(frozen=True)
class SessionRecord:
    """One session of the log."""

    id: str
    routine_id: str
    routine: str
    plan_id: str
    started: str  # ISO 8601, local time with its offset
    status: SessionStatus
    ended: str | None = None
    active_seconds: float = 0.0
    paused_seconds: float = 0.0
    weak_side: str | None = None
    tags: tuple[str, ...] = ()
    work: tuple[WorkDone, ...] = ()
    tighter: dict[str, str] = field(default_factory=dict)  # exercise index -> side
    notes: str = ""
    pid: int | None = None  # the process running a session in progress

    @cached_property
    def started_at(self) -> datetime:
        """The start as an aware datetime (parsed once: the charts ask often)."""
        return datetime.fromisoformat(self.started)

    def to_dict(self) -> dict[str, Any]:
        """The record as stored."""
        return {
            "id": self.id, "routine_id": self.routine_id, "routine": self.routine,
            "plan_id": self.plan_id, "started": self.started, "ended": self.ended,
            "status": self.status.value, "active_seconds": round(self.active_seconds, 3),
            "paused_seconds": round(self.paused_seconds, 3), "weak_side": self.weak_side,
            "tags": list(self.tags),
            "work": [[w.exercise, w.exercise_index, w.side, w.kind, w.planned, w.done,
                      w.cut_short] for w in self.work],
            "tighter": dict(self.tighter), "notes": self.notes, "pid": self.pid,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionRecord:
        """A record from its stored form.

        Raises:
            KeyError, TypeError, ValueError: the dict is not a session record.
        """
        work = tuple(WorkDone(str(e), int(i), s if s is None else str(s), str(k), float(p),
                              float(d), int(c)) for e, i, s, k, p, d, c in data["work"])
        return cls(
            id=str(data["id"]), routine_id=str(data["routine_id"]),
            routine=str(data["routine"]), plan_id=str(data["plan_id"]),
            started=_iso(data["started"]),
            ended=None if data.get("ended") is None else _iso(data["ended"]),
            status=SessionStatus(data["status"]),
            active_seconds=float(data.get("active_seconds", 0.0)),
            paused_seconds=float(data.get("paused_seconds", 0.0)),
            weak_side=data.get("weak_side"),
            tags=tuple(str(t) for t in data.get("tags", ())),
            work=work,
            tighter={str(k): str(v) for k, v in dict(data.get("tighter", {})).items()},
            notes=str(data.get("notes", "")),
            pid=data.get("pid"),
        )

    def with_changes(self, **changes: Any) -> SessionRecord:
        """A copy with some fields changed."""
        return replace(self, **changes)


def _iso(value: object) -> str:
    text = str(value)
    if datetime.fromisoformat(text).tzinfo is None:
        raise ValueError(f"time without an offset: {text}")
    return text


def local_iso(moment: datetime | None = None) -> str:
    """A moment (default now) in the machine's local time with its offset, to the second."""
    return (moment or datetime.now()).astimezone().isoformat(timespec="seconds")


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan a session ran, as stored: its steps without their cues."""
    return {
        "routine_id": plan.routine_id,
        "routine": plan.routine_name,
        "steps": [[s.exercise, s.exercise_index, s.progression, s.kind.value,
                   s.side.value if s.side else None, s.reps, s.seconds, s.set_number]
                  for s in plan.steps],
    }


def plan_id(plan: Plan) -> str:
    """A content hash of the stored plan: the same plan is stored once."""
    text = json.dumps(plan_document(plan), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def work_done(plan: Plan, outcomes: dict[int, StepOutcome]) -> tuple[WorkDone, ...]:
    """Per exercise and side: what the plan asked and what the outcomes show was done."""
    totals: dict[tuple[int, str | None], list[Any]] = {}
    for index, step in enumerate(plan.steps):
        if step.kind not in WORK_KINDS:
            continue
        side = step.side.value if step.side else None
        entry = totals.setdefault((step.exercise_index, side),
                                  [step.exercise, step.kind.value, 0.0, 0.0, 0])
        planned = float(step.reps) if step.kind is StepKind.REPS and step.reps else step.seconds
        entry[2] += planned
        outcome = outcomes.get(index)
        if outcome is None:
            continue
        if outcome.completed:
            entry[3] += planned
            continue
        entry[4] += 1
        if step.kind is not StepKind.REPS:
            entry[3] += outcome.seconds
        elif step.tempo:
            entry[3] += min(planned, math.floor(outcome.seconds / step.tempo + 1e-9))
    return tuple(WorkDone(name, exercise_index, side, kind, planned, done, cut)
                 for (exercise_index, side), (name, kind, planned, done, cut)
                 in totals.items())
