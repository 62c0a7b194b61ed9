"""A session: one run of a routine, as the log keeps it.

Records are plain values that turn into JSON-ready dicts and back; the plan a
session ran is kept once per distinct plan, under a content hash.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from app.domain import routine_format
from app.domain.routine import Side

if TYPE_CHECKING:
    from app.domain.plan import Plan
    from app.domain.player import StepOutcome

# The plan's kinds of step that are work (not a countdown, rest or switch). Spelled
# out rather than taken from StepKind: reading the log (`limber history`) then loads
# neither the plan model nor the player (some 9 ms); a test keeps the two in step.
WORK_KIND_NAMES = frozenset({"reps", "hold", "timed"})
SIDES = frozenset(side.value for side in Side)
# The answer to "which side felt tighter?" when neither did. Kept, not left out: a
# question unanswered and sides that felt the same are different news.
SAME = "same"
TIGHTER_ANSWERS = SIDES | {SAME}
# The one copy of each word a session repeats in every row (a log read from JSON
# has a copy per row otherwise: megabytes over ten years).
CANONICAL = {word: word for word in WORK_KIND_NAMES | SIDES | {SAME}}

# Limits of a stored session, in the spirit of routine files (routine_format.py):
# generous for any real session, small enough that nothing read can overflow a
# sum, a date or a chart. Ids are uuid4 hex (32) or routine ids (64 at most).
MAX_ID_CHARS = 64
MAX_NAME_CHARS = routine_format.MAX_NAME_CHARS
MAX_TAGS = routine_format.MAX_TAGS
MAX_TAG_CHARS = routine_format.MAX_TAG_CHARS
MAX_NOTES_CHARS = 10_000
MAX_MOMENT_CHARS = 40
# One entry per exercise and side of the longest routine.
MAX_WORK_ROWS = 2 * routine_format.MAX_EXERCISES
# Steps of one exercise and side cut short: every set of every progression.
MAX_CUT_SHORT = routine_format.MAX_SETS * routine_format.MAX_PROGRESSIONS
# Seconds (active, paused, a hold planned or done) or reps: 31 days is more than
# any session, paused overnight or not, and keeps ten years of sums exact.
MAX_SECONDS = 31 * 24 * 3600.0
# Years: Limber did not exist before 2000, and a clock set to year 1 or 9999 is
# wrong; these bounds also keep every offset conversion of a start inside what
# datetime can hold (year 1 at -05:00 overflows), and month file names sane.
YEAR_RANGE = (2000, 2100)
MAX_PID = 2**32 - 1  # Windows process ids are 32-bit; Linux ones much smaller
# One object for each value many sessions repeat: the offsets of the starts, the
# numbers of seconds or reps, the rows of work, a routine's tags, the answers to
# "which side felt tighter?" (a log repeats a few dozen or hundred of each). Ten
# years of sessions (7,300) held 9.9 MB with only the numbers shared, 3.9 MB with
# all of these shared and the records slotted. Each table keeps at most this many
# values; the others are kept as read.
MAX_SHARED = 4096
_ZONES: dict[timedelta | None, tzinfo | None] = {}
_NUMBERS: dict[float, float] = {}
_WORK: dict[object, Any] = {}  # rows of work, and the tuples of them
_TAGS: dict[tuple[str, ...], tuple[str, ...]] = {}
_ANSWERS: dict[tuple[tuple[str, str], ...], Answers] = {}


class SessionStatus(StrEnum):
    """How a session ended (or that it is still going)."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"


STATUSES = {status.value: status for status in SessionStatus}


class WorkDone(NamedTuple):
    """What one exercise asked of one side over the session, and what was done.

    `planned` and `done` are reps for a reps exercise, seconds for a hold or timed
    one; `cut_short` counts the steps skipped or stopped before their end. A named
    tuple, as stored (a list of its fields): ten years of sessions hold some 30,000,
    made at every read of the log, where a frozen dataclass costs 3 times as much.
    """

    exercise: str
    exercise_index: int
    side: str | None
    kind: str
    planned: float
    done: float
    cut_short: int = 0


class Answers(Mapping[str, str]):
    """The answers a session read from the log gave to "which side felt tighter?"
    (exercise index -> "left", "right" or SAME): read-only, as the sessions that
    gave the same answers share one. Equal to a dict of the same answers; copied
    and pickled as one."""

    __slots__ = ("_answers",)

    def __init__(self, answers: dict[str, str]) -> None:
        self._answers = answers

    def __getitem__(self, key: str) -> str:
        return self._answers[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._answers)

    def __len__(self) -> int:
        return len(self._answers)

    def __contains__(self, key: object) -> bool:
        return key in self._answers

    # The dict's own (read-only) views, at its speed: the History tab reads them.
    def keys(self) -> KeysView[str]:
        return self._answers.keys()

    def values(self) -> ValuesView[str]:
        return self._answers.values()

    def items(self) -> ItemsView[str, str]:
        return self._answers.items()

    def __repr__(self) -> str:
        return repr(self._answers)

    def __reduce__(self) -> tuple[type[Answers], tuple[dict[str, str]]]:
        return Answers, (dict(self._answers),)


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session of the log.

    Slotted (ten years of sessions are held, 7,300 records): a `__dict__` each
    cost 0.6 MB more. The values read from the log that many sessions repeat are
    one shared object each (see MAX_SHARED); `tighter` is then read-only.
    """

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
    # Exercise index -> which side felt tighter: "left", "right" or SAME.
    tighter: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""
    pid: int | None = None  # the process running a session in progress
    _started_at: datetime | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def started_at(self) -> datetime:
        """The start as an aware datetime (parsed once: the charts ask often), its
        offset one shared object (a log has few)."""
        if self._started_at is not None:
            return self._started_at
        moment = datetime.fromisoformat(self.started)
        zone = _ZONES.get(moment.utcoffset())
        if zone is None and len(_ZONES) < MAX_SHARED:
            zone = _ZONES[moment.utcoffset()] = moment.tzinfo
        if zone is not None:
            moment = moment.replace(tzinfo=zone)
        object.__setattr__(self, "_started_at", moment)  # a cache: frozen otherwise
        return moment

    def to_dict(self) -> dict[str, Any]:
        """The record as stored."""
        return {
            "id": self.id,
            "routine_id": self.routine_id,
            "routine": self.routine,
            "plan_id": self.plan_id,
            "started": self.started,
            "ended": self.ended,
            "status": self.status.value,
            "active_seconds": round(self.active_seconds, 3),
            "paused_seconds": round(self.paused_seconds, 3),
            "weak_side": self.weak_side,
            "tags": list(self.tags),
            "work": [list(w) for w in self.work],
            "tighter": dict(self.tighter),
            "notes": self.notes,
            "pid": self.pid,
        }

    @classmethod
    def from_dict(cls, data: object) -> SessionRecord:
        """A record from its stored form, checked field by field (see `SessionRowError`).

        Raises:
            SessionRowError: the value is not a sane session record.
        """
        row = _Row(data)
        work = row.list("work", MAX_WORK_ROWS)
        return cls(
            id=row.text("id", MAX_ID_CHARS, empty_ok=False),
            # Names every session of a routine repeats, held once.
            routine_id=_shared(row.text("routine_id", MAX_ID_CHARS, empty_ok=False)),
            routine=_shared(row.text("routine", MAX_NAME_CHARS)),
            plan_id=_shared(row.text("plan_id", MAX_ID_CHARS)),
            started=row.moment("started"),
            ended=row.optional_moment("ended"),
            status=row.status(),
            active_seconds=row.number("active_seconds", MAX_SECONDS, default=0.0),
            paused_seconds=row.number("paused_seconds", MAX_SECONDS, default=0.0),
            weak_side=row.side("weak_side"),
            tags=_one_of(_TAGS, row.tags()),
            work=_one_of(_WORK, tuple(_one_of(_WORK, _work(entry)) for entry in work)),
            tighter=row.tighter(),
            notes=row.text("notes", MAX_NOTES_CHARS, default=""),
            pid=row.pid(),
        )

    def with_changes(self, **changes: Any) -> SessionRecord:
        """A copy with some fields changed."""
        return replace(self, **changes)


class SessionRowError(ValueError):
    """A stored session that is not a sane record: the message names the field."""


_REQUIRED = object()


class _Row:
    """Reads the fields of one stored session, refusing anything out of range.

    Ten years of sessions are read at every `limber history`: each check first
    tries the usual case inline (a str, a float, a side), then hands anything else
    to the function that checks it in full and says what is wrong (`_text`,
    `_number`...): that reads them a quarter quicker.
    """

    def __init__(self, data: object) -> None:
        if not isinstance(data, dict):
            raise SessionRowError(f"a session is an object, not {type(data).__name__}")
        self.data: dict[str, Any] = data

    def _get(self, key: str, default: object) -> object:
        if key in self.data:
            return self.data[key]
        if default is _REQUIRED:
            raise SessionRowError(f"{key}: missing")
        return default

    def text(
        self, key: str, limit: int, *, empty_ok: bool = True, default: object = _REQUIRED
    ) -> str:
        text = self.data.get(key, default)
        if type(text) is not str or len(text) > limit:  # or missing (_REQUIRED)
            text = _text(self._get(key, default), key, limit)
        if not text and not empty_ok:
            raise SessionRowError(f"{key}: empty")
        return text

    def moment(self, key: str) -> str:
        return _moment(self._get(key, _REQUIRED), key)

    def optional_moment(self, key: str) -> str | None:
        value = self._get(key, None)
        return None if value is None else _moment(value, key)

    def number(self, key: str, high: float, *, default: float) -> float:
        value = self.data.get(key, default)
        return value if type(value) is float and 0 <= value <= high else _number(value, key, high)

    def status(self) -> SessionStatus:
        value = self._get("status", _REQUIRED)
        status = STATUSES.get(value) if isinstance(value, str) else None
        if status is None:
            raise SessionRowError(
                f"status: not one of {', '.join(sorted(STATUSES))}: {_shown(value)}"
            )
        return status

    def side(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or (type(value) is str and value in SIDES):
            return CANONICAL.get(value) if value is not None else None
        return _side(value, key)

    def list(self, key: str, limit: int) -> list[Any]:
        value = self._get(key, [] if key != "work" else _REQUIRED)
        if not isinstance(value, list) or len(value) > limit:
            raise SessionRowError(f"{key}: not a list of at most {limit}")
        return value

    def tags(self) -> tuple[str, ...]:
        tags = self.list("tags", MAX_TAGS)
        for tag in tags:
            if type(tag) is not str or len(tag) > MAX_TAG_CHARS:
                return tuple(_text(t, "tags[]", MAX_TAG_CHARS) for t in tags)
        return tuple(map(sys.intern, tags))

    def tighter(self) -> Mapping[str, str]:
        value = self._get("tighter", {})
        if not isinstance(value, dict) or len(value) > MAX_WORK_ROWS:
            raise SessionRowError(f"tighter: not an object of at most {MAX_WORK_ROWS}")
        answers = {}
        for index, side in value.items():
            if not (isinstance(index, str) and index.isdigit() and len(index) <= 4):
                raise SessionRowError(f"tighter: {_shown(index)} is no exercise index")
            if not isinstance(side, str) or side not in TIGHTER_ANSWERS:
                raise SessionRowError(f"tighter[{index}]: not left, right or same: {_shown(side)}")
            answers[index] = CANONICAL[side]
        key = tuple(answers.items())
        shared = _ANSWERS.get(key)
        if shared is None:
            shared = Answers(answers)
            if len(_ANSWERS) < MAX_SHARED:
                _ANSWERS[key] = shared
        return shared

    def pid(self) -> int | None:
        # Any whole number is kept: a process id is only a hint of liveness (one
        # that cannot be a running owner, such as 0 or -1, counts as gone), and
        # a wrong one must not cost the session.
        value = self._get("pid", None)
        if value is None:
            return None
        if type(value) is not int or not -MAX_PID <= value <= MAX_PID:
            raise SessionRowError(f"pid: not a process id: {_shown(value)}")
        return value


def _shown(value: object) -> str:
    """A value for a message: its start only (it may be a megabyte of text)."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _text(value: object, key: str, limit: int) -> str:
    if not isinstance(value, str):
        raise SessionRowError(f"{key}: not text but {type(value).__name__}")
    if len(value) > limit:
        raise SessionRowError(f"{key}: longer than {limit} characters")
    return value


def _number(value: object, key: str, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SessionRowError(f"{key}: not a number but {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise SessionRowError(f"{key}: not a finite number: {value}")
    if not 0 <= value <= high:
        raise SessionRowError(f"{key}: {value} is outside 0..{high:g}")
    return float(value)


def _whole(value: object, key: str, high: int) -> int:
    if type(value) is not int or not 0 <= value <= high:
        raise SessionRowError(f"{key}: not a whole number in 0..{high}: {_shown(value)}")
    return value


def _side(value: object, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in SIDES:
        raise SessionRowError(f"{key}: not a side: {_shown(value)}")
    return str(value)


def _moment(value: object, key: str) -> str:
    text = _text(value, key, MAX_MOMENT_CHARS)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise SessionRowError(f"{key}: not an ISO 8601 time: {_shown(text)}") from None
    if moment.tzinfo is None:
        raise SessionRowError(f"{key}: time without an offset: {text}")
    if not YEAR_RANGE[0] <= moment.year <= YEAR_RANGE[1]:
        raise SessionRowError(
            f"{key}: year {moment.year} is outside {YEAR_RANGE[0]}..{YEAR_RANGE[1]}"
        )
    return text


def _shared(text: str) -> str:
    """One copy of a text many sessions repeat (a routine's name), as a plain str."""
    return sys.intern(str(text))


def _work(entry: object) -> WorkDone:
    if not isinstance(entry, list) or len(entry) != 7:
        raise SessionRowError("work: an entry is not a list of 7 values")
    exercise, index, side, kind, planned, done, cut_short = entry
    if not isinstance(kind, str) or kind not in WORK_KIND_NAMES:
        raise SessionRowError(f"work: not a kind of work: {_shown(kind)}")
    if (
        type(kind) is str
        and type(exercise) is str
        and len(exercise) <= MAX_NAME_CHARS
        and type(index) is int
        and 0 <= index < routine_format.MAX_EXERCISES
        and (side is None or (type(side) is str and side in SIDES))
        and type(planned) is float
        and 0 <= planned <= MAX_SECONDS
        and type(done) is float
        and 0 <= done <= MAX_SECONDS
        and type(cut_short) is int
        and 0 <= cut_short <= MAX_CUT_SHORT
    ):
        # The names as one shared copy each (see CANONICAL), and the numbers.
        return WorkDone(
            sys.intern(exercise),
            index,
            side and CANONICAL[side],
            CANONICAL[kind],
            _one_of(_NUMBERS, planned),
            _one_of(_NUMBERS, done),
            cut_short,
        )
    return WorkDone(
        _text(exercise, "work.exercise", MAX_NAME_CHARS),
        _whole(index, "work.exercise_index", routine_format.MAX_EXERCISES - 1),
        _side(side, "work.side"),
        str(kind),
        _number(planned, "work.planned", MAX_SECONDS),
        _number(done, "work.done", MAX_SECONDS),
        _whole(cut_short, "work.cut_short", MAX_CUT_SHORT),
    )


_Shared = TypeVar("_Shared")


def _one_of(table: dict[Any, _Shared], value: _Shared) -> _Shared:
    """The one object equal to `value` that `table` holds (see MAX_SHARED)."""
    shared = table.get(value)
    if shared is None:
        if len(table) >= MAX_SHARED:
            return value
        shared = table[value] = value
    return shared


def local_iso(moment: datetime | None = None) -> str:
    """A moment (default now) in the machine's local time with its offset, to the second."""
    return (moment or datetime.now()).astimezone().isoformat(timespec="seconds")


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan a session ran, as stored: its steps without their cues."""
    return {
        "routine_id": plan.routine_id,
        "routine": plan.routine_name,
        "steps": [
            [
                s.exercise,
                s.exercise_index,
                s.progression,
                s.kind.value,
                s.side.value if s.side else None,
                s.reps,
                s.seconds,
                s.set_number,
            ]
            for s in plan.steps
        ],
    }


def plan_id(plan: Plan) -> str:
    """A content hash of the stored plan: the same plan is stored once."""
    import hashlib  # here: loading OpenSSL costs some 3 ms, and reading the log needs none

    text = json.dumps(plan_document(plan), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def work_done(plan: Plan, outcomes: dict[int, StepOutcome]) -> tuple[WorkDone, ...]:
    """Per exercise and side: what the plan asked and what the outcomes show was done."""
    from app.domain.plan import StepKind

    totals: dict[tuple[int, str | None], list[Any]] = {}
    for index, step in enumerate(plan.steps):
        if step.kind.value not in WORK_KIND_NAMES:
            continue
        side = step.side.value if step.side else None
        entry = totals.setdefault(
            (step.exercise_index, side), [step.exercise, step.kind.value, 0.0, 0.0, 0]
        )
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
    return tuple(
        WorkDone(name, exercise_index, side, kind, planned, done, cut)
        for (exercise_index, side), (name, kind, planned, done, cut) in totals.items()
    )
