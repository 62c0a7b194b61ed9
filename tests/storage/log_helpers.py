"""Session records for log tests."""

from __future__ import annotations

import uuid

from app.domain.session import SessionRecord, SessionStatus, WorkDone


def record(started: str = "2026-11-21T08:00:00+01:00", *, status: str = "completed",
           routine: str = "spinal-rotation-heel-sitting", notes: str = "") -> SessionRecord:
    return SessionRecord(
        id=uuid.uuid4().hex, routine_id=routine, routine="Spinal Rotation in Heel Sitting",
        plan_id="plan1", started=started, ended=started, status=SessionStatus(status),
        active_seconds=42.0, weak_side="left", tags=("warm-up", "thoracic"),
        work=(WorkDone("Spinal rotation", 0, "right", "reps", 3, 3),
              WorkDone("Spinal rotation", 0, "left", "reps", 5, 5)),
        notes=notes)
