"""Routine files, format version 1: reading with validation, and writing.

A routine file is a JSON object (docs/routine-format.md, schema in
resources/schema/routine-v1.schema.json). It is data only: no key names a file
to read or code to run, and unknown keys are refused so that a typo is caught
rather than silently ignored.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from app.domain.routine import Exercise, Kind, Progression, Routine, Sides, Source
from app.domain.text import one_line

FORMAT_NAME = "limber-routine"
FORMAT_VERSION = 1

MAX_FILE_BYTES = 1_000_000
MAX_EXERCISES = 100
MAX_PROGRESSIONS = 20
MAX_INSTRUCTIONS = 20
MAX_TAGS = 20
MAX_NAME_CHARS = 120
MAX_LINE_CHARS = 300
MAX_TEXT_CHARS = 5000
MAX_TAG_CHARS = 40
MAX_REPS = 500
MAX_SETS = 20
TEMPO_RANGE = (0.5, 60.0)
SECONDS_RANGE = (1.0, 3600.0)
REST_RANGE = (0.0, 600.0)
SWITCH_RANGE = (0.0, 120.0)
MAX_NESTING = 12

# Used with fullmatch only: `$` also matches before a final line break, so
# "hip-warm-up\n" passed a `match` against "^...$".
ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
URL_PATTERN = re.compile(r"https?://\S+")
SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a routine file, at a JSON path."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class RoutineFormatError(ValueError):
    """A routine file that cannot be loaded; `problems` lists everything wrong."""

    def __init__(self, source_name: str, problems: list[Problem]) -> None:
        self.source_name = source_name
        self.problems = problems
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Every problem on one line, each prefixed with the file name."""
        return one_line("; ".join(f"{self.source_name}: {p}" for p in self.problems))


def loads(text: bytes | str, source_name: str = "<routine>") -> Routine:
    """Parses and validates a routine file's bytes.

    Raises:
        RoutineFormatError: naming the file and the JSON path of every problem.
    """
    if len(text) > MAX_FILE_BYTES:
        raise RoutineFormatError(
            source_name,
            [
                Problem(
                    "", f"file is too large ({len(text):,} bytes; the limit is {MAX_FILE_BYTES:,})"
                )
            ],
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RoutineFormatError(
                source_name, [Problem("", f"not UTF-8 text (bad byte at offset {exc.start})")]
            ) from None
    try:
        document = json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants
        )
    except json.JSONDecodeError as exc:
        raise RoutineFormatError(
            source_name,
            [Problem("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")],
        ) from None
    except _DuplicateKeyError as exc:
        raise RoutineFormatError(source_name, [Problem("", str(exc))]) from None
    except RecursionError:
        raise RoutineFormatError(
            source_name, [Problem("", "nested too deeply to be a routine")]
        ) from None
    return from_document(document, source_name)


def from_document(document: object, source_name: str = "<routine>") -> Routine:
    """Validates an already parsed JSON value and builds the routine.

    Raises:
        RoutineFormatError: naming the file and the JSON path of every problem.
    """
    if _depth(document) > MAX_NESTING:
        raise RoutineFormatError(source_name, [Problem("", "nested too deeply to be a routine")])
    reader = _Reader()
    routine = reader.routine(document)
    if reader.problems or routine is None:
        raise RoutineFormatError(source_name, reader.problems)
    return routine


def dumps(routine: Routine) -> str:
    """The routine as routine-file text (UTF-8, two-space indent, newline at end)."""
    return json.dumps(to_document(routine), indent=2, ensure_ascii=False) + "\n"


def to_document(routine: Routine) -> dict[str, Any]:
    """The routine as a JSON-ready dict; optional keys at their default are left out."""
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "id": routine.id,
        "name": routine.name,
    }
    if routine.description:
        document["description"] = routine.description
    if routine.tags:
        document["tags"] = list(routine.tags)
    source = {k: v for k, v in vars(routine.source).items() if v}
    if source:
        document["source"] = source
    if routine.notes:
        document["notes"] = routine.notes
    document["exercises"] = [_exercise_document(e) for e in routine.exercises]
    return document


# The exercise's fields a file may set, each an attribute of `Exercise` of that
# name (a file leaves out those at their defaults).
EXERCISE_SETTINGS = (
    "instructions",
    "reps",
    "reps_max",
    "tempo",
    "seconds",
    "sides",
    "sets",
    "rest_seconds",
    "rest_instruction",
    "switch_seconds",
)


def _exercise_document(exercise: Exercise) -> dict[str, Any]:
    default = Exercise(name="", kind=exercise.kind)
    document: dict[str, Any] = {"name": exercise.name, "kind": exercise.kind.value}
    for key in EXERCISE_SETTINGS:
        value = getattr(exercise, key)
        if value != getattr(default, key):
            document[key] = _plain(value)
    if exercise.progressions:
        document["progressions"] = [
            {k: _plain(v) for k, v in vars(p).items() if v not in (None, ())}
            for p in exercise.progressions
        ]
    if exercise.notes:
        document["notes"] = exercise.notes
    return document


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Sides):
        return value.value
    return value


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _no_constants(name: str) -> object:
    raise json.JSONDecodeError(f"{name} is not a number JSON allows", name, 0)


def _depth(value: object, limit: int = MAX_NESTING + 1) -> int:
    """Nesting depth of a JSON value, counted only up to `limit`."""
    if limit <= 0 or not isinstance(value, dict | list):
        return 0
    children: Iterator[object] = iter(value.values() if isinstance(value, dict) else value)
    return 1 + max((_depth(c, limit - 1) for c in children), default=0)


def _describe(value: object) -> str:
    """A short rendering of a bad value for an error message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


class _Reader:
    """Walks a parsed document, collecting every problem with its JSON path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def expect_object(
        self, value: object, path: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, object] | None:
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {_describe(value)}")
            return None
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                self.fail(_join(path, str(key)), f"unknown key (allowed: {allowed})")
        for key in required:
            if key not in value:
                self.fail(path, f'missing required key "{key}"')
        return value

    def text(self, value: object, path: str, limit: int, *, empty_ok: bool = True) -> str:
        if not isinstance(value, str):
            self.fail(path, f"expected text, got {_describe(value)}")
            return ""
        if not empty_ok and not value.strip():
            self.fail(path, "must not be empty")
        if len(value) > limit:
            self.fail(path, f"too long ({len(value):,} characters; the limit is {limit:,})")
        return value

    def lines(self, value: object, path: str, count: int, limit: int) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.fail(path, f"expected a list of text lines, got {_describe(value)}")
            return ()
        if len(value) > count:
            self.fail(path, f"too many entries ({len(value)}; the limit is {count})")
        return tuple(
            self.text(item, f"{path}[{i}]", limit, empty_ok=False)
            for i, item in enumerate(value[:count])
        )

    def whole(self, value: object, path: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(path, f"expected a whole number from {low} to {high}, got {_describe(value)}")
            return low
        return value

    def number(self, value: object, path: str, bounds: tuple[float, float]) -> float:
        low, high = bounds
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not low <= value <= high
        ):
            self.fail(
                path,
                f"expected a number of seconds from {low:g} to {high:g}, got {_describe(value)}",
            )
            return low
        return float(value)

    def choice(self, value: object, path: str, options: tuple[str, ...]) -> str:
        if value not in options:
            listed = ", ".join(f'"{o}"' for o in options)
            self.fail(path, f"expected one of {listed}, got {_describe(value)}")
            return options[0]
        return str(value)

    def routine(self, document: object) -> Routine | None:
        obj = self.expect_object(
            document,
            "",
            ("format", "version", "id", "name", "exercises"),
            ("description", "tags", "source", "notes"),
        )
        if obj is None:
            return None
        if "format" in obj and obj["format"] != FORMAT_NAME:
            self.fail(
                "format",
                f'expected "{FORMAT_NAME}", got {_describe(obj["format"])}'
                " (is this a Limber routine file?)",
            )
        if "version" in obj and obj["version"] != FORMAT_VERSION:
            version = obj["version"]
            newer = (
                isinstance(version, int)
                and not isinstance(version, bool)
                and version > FORMAT_VERSION
            )
            hint = (
                "it was written by a newer Limber; update Limber to read it"
                if newer
                else "this Limber reads version 1"
            )
            # A file of another version may mean anything: report only this.
            self.problems = [
                Problem("version", f"unknown routine format version {_describe(version)}: {hint}")
            ]
            return None
        routine_id = self.text(obj.get("id", "x"), "id", 64)
        if routine_id and not ID_PATTERN.fullmatch(routine_id):
            self.fail(
                "id",
                "expected lowercase letters, digits and dashes "
                f'(like "hip-warm-up"), got {_describe(routine_id)}',
            )
        name = self.text(obj.get("name", "x"), "name", MAX_NAME_CHARS, empty_ok=False)
        exercises: list[Exercise] = []
        raw_exercises = obj.get("exercises", [])
        if "exercises" not in obj:
            pass  # reported as a missing key already
        elif not isinstance(raw_exercises, list):
            self.fail("exercises", f"expected a list of exercises, got {_describe(raw_exercises)}")
        elif not raw_exercises:
            self.fail("exercises", "a routine needs at least one exercise")
        elif len(raw_exercises) > MAX_EXERCISES:
            self.fail(
                "exercises",
                f"too many exercises ({len(raw_exercises)}; the limit is {MAX_EXERCISES})",
            )
        else:
            for i, raw in enumerate(raw_exercises):
                exercise = self.exercise(raw, f"exercises[{i}]")
                if exercise is not None:
                    exercises.append(exercise)
        tags = self.lines(obj.get("tags", []), "tags", MAX_TAGS, MAX_TAG_CHARS)
        return Routine(
            id=routine_id,
            name=name,
            exercises=tuple(exercises),
            description=self.text(obj.get("description", ""), "description", MAX_TEXT_CHARS),
            tags=tags,
            source=self.source(obj.get("source", {})),
            notes=self.text(obj.get("notes", ""), "notes", MAX_TEXT_CHARS),
        )

    def source(self, value: object) -> Source:
        obj = self.expect_object(value, "source", (), ("title", "author", "url", "note"))
        if obj is None:
            return Source()
        url = self.text(obj.get("url", ""), "source.url", MAX_LINE_CHARS)
        if url and not URL_PATTERN.fullmatch(url):
            self.fail(
                "source.url", f"expected an http:// or https:// address, got {_describe(url)}"
            )
        return Source(
            title=self.text(obj.get("title", ""), "source.title", MAX_LINE_CHARS),
            author=self.text(obj.get("author", ""), "source.author", MAX_LINE_CHARS),
            url=url,
            note=self.text(obj.get("note", ""), "source.note", MAX_TEXT_CHARS),
        )

    def exercise(self, value: object, path: str) -> Exercise | None:
        obj = self.expect_object(
            value,
            path,
            ("name", "kind"),
            (*EXERCISE_SETTINGS, "progressions", "notes"),
        )
        if obj is None:
            return None
        kind = Kind(self.choice(obj.get("kind", "reps"), f"{path}.kind", tuple(Kind)))
        at = _at(path)
        numbers = self.dose(obj, path, kind, required=True)
        progressions: list[Progression] = []
        raw_progressions = obj.get("progressions", [])
        if not isinstance(raw_progressions, list):
            self.fail(
                at("progressions"),
                f"expected a list of progressions, got {_describe(raw_progressions)}",
            )
        elif len(raw_progressions) > MAX_PROGRESSIONS:
            self.fail(
                at("progressions"),
                f"too many progressions ({len(raw_progressions)}; the limit is {MAX_PROGRESSIONS})",
            )
        else:
            for i, raw in enumerate(raw_progressions):
                progression = self.progression(raw, f"{path}.progressions[{i}]", kind, numbers)
                if progression is not None:
                    progressions.append(progression)
        return Exercise(
            name=self.text(obj.get("name", "x"), at("name"), MAX_NAME_CHARS, empty_ok=False),
            kind=kind,
            instructions=self.lines(
                obj.get("instructions", []), at("instructions"), MAX_INSTRUCTIONS, MAX_LINE_CHARS
            ),
            reps=numbers.get("reps"),  # type: ignore[arg-type]
            reps_max=numbers.get("reps_max"),  # type: ignore[arg-type]
            tempo=numbers.get("tempo"),
            seconds=numbers.get("seconds"),
            sides=Sides(self.choice(obj.get("sides", "none"), at("sides"), tuple(Sides))),
            sets=self.whole(obj.get("sets", 1), at("sets"), 1, MAX_SETS),
            rest_seconds=self.number(obj.get("rest_seconds", 0), at("rest_seconds"), REST_RANGE),
            rest_instruction=self.text(
                obj.get("rest_instruction", ""), at("rest_instruction"), MAX_LINE_CHARS
            ),
            switch_seconds=self.number(
                obj.get("switch_seconds", 5), at("switch_seconds"), SWITCH_RANGE
            ),
            progressions=tuple(progressions),
            notes=self.text(obj.get("notes", ""), at("notes"), MAX_TEXT_CHARS),
        )

    def progression(
        self, value: object, path: str, kind: Kind, inherited: dict[str, float | None]
    ) -> Progression | None:
        obj = self.expect_object(
            value, path, ("name",), ("instructions", "reps", "reps_max", "tempo", "seconds")
        )
        if obj is None:
            return None
        at = _at(path)
        numbers = self.dose(obj, path, kind, required=False, inherited=inherited)
        return Progression(
            name=self.text(obj.get("name", "x"), at("name"), MAX_NAME_CHARS, empty_ok=False),
            instructions=self.lines(
                obj.get("instructions", []), at("instructions"), MAX_INSTRUCTIONS, MAX_LINE_CHARS
            ),
            reps=numbers.get("reps"),  # type: ignore[arg-type]
            reps_max=numbers.get("reps_max"),  # type: ignore[arg-type]
            tempo=numbers.get("tempo"),
            seconds=numbers.get("seconds"),
        )

    def dose(
        self,
        obj: dict[str, object],
        path: str,
        kind: Kind,
        *,
        required: bool,
        inherited: dict[str, float | None] | None = None,
    ) -> dict[str, float | None]:
        """Reads reps/reps_max/tempo/seconds, checking they fit the kind."""
        at = _at(path)
        readers: dict[str, Callable[[object, str], float]] = {
            "reps": lambda v, p: self.whole(v, p, 1, MAX_REPS),
            "reps_max": lambda v, p: self.whole(v, p, 1, MAX_REPS),
            "tempo": lambda v, p: self.number(v, p, TEMPO_RANGE),
            "seconds": lambda v, p: self.number(v, p, SECONDS_RANGE),
        }
        numbers: dict[str, float | None] = {
            key: read(obj[key], at(key)) if key in obj else None for key, read in readers.items()
        }
        wrong = ("seconds",) if kind is Kind.REPS else ("reps", "reps_max", "tempo")
        for key in wrong:
            if key in obj:
                self.fail(at(key), f'does not apply to a "{kind.value}" exercise')
                numbers[key] = None
        needed = "reps" if kind is Kind.REPS else "seconds"
        if required and needed not in obj:
            self.fail(path, f'a "{kind.value}" exercise needs "{needed}"')
        low = numbers["reps"] if numbers["reps"] is not None else (inherited or {}).get("reps")
        high = numbers["reps_max"]
        if high is not None and low is not None and high < low:
            self.fail(at("reps_max"), f"the top of the range ({high:g}) is below reps ({low:g})")
        return numbers


def _at(path: str) -> Callable[[str], str]:
    return lambda key: _join(path, key)


def _join(path: str, key: str) -> str:
    if not SIMPLE_KEY.fullmatch(key):
        key = _describe(key)  # quoted and escaped: a key can be any text
    return f"{path}.{key}" if path else key
