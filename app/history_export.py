"""The session log as a CSV file that opens cleanly in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app.domain import display, text
from app.domain.session import SessionRecord
from app.storage.atomic import write_atomically

# A cell starting with one of these is run as a formula by spreadsheets
# (=HYPERLINK(...) and worse); OWASP's advice is to start such a cell with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "started",
    "ended",
    "routine",
    "routine_id",
    "status",
    "seconds",
    "paused_seconds",
    "weak_side",
    "done",
    "tighter",
    "notes",
    "tags",
    "id",
)


def write_csv(sessions: list[SessionRecord], path: Path) -> None:
    """Writes one row per session: UTF-8 with a byte-order mark (so spreadsheets
    read it as UTF-8), every field quoted where needed, written crash-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for session in sessions:
        writer.writerow(
            [
                session.started,
                session.ended or "",
                _text(session.routine),
                _text(session.routine_id),
                session.status.value,
                str(text.whole_seconds(session.active_seconds)),
                str(text.whole_seconds(session.paused_seconds)),
                _text(session.weak_side or ""),
                _text("; ".join(display.session_summary(session)[1:])),
                _text(
                    "; ".join(
                        f"{_exercise(session, i)}: {side}"
                        for i, side in sorted(session.tighter.items())
                    )
                ),
                _text(session.notes),
                _text("; ".join(session.tags)),
                _text(session.id),
            ]
        )
    write_atomically(path, buffer.getvalue().encode("utf-8-sig"))


def _text(value: str) -> str:
    """A text cell that a spreadsheet shows as text, never runs as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _exercise(session: SessionRecord, index: str) -> str:
    names = {str(w.exercise_index): w.exercise for w in session.work}
    return names.get(index, f"exercise {index}")
