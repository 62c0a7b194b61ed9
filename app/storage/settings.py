"""The user's settings: `settings.json` in the data dir, read by the window and the CLI.

The file is versioned JSON, written crash-safely (a temp file renamed over it).
The first time it is missing, the `settings.ini` an older Limber wrote (Qt's INI
format) is read and its values carried over; the old file is left as it was.

Settings are shared between machines like routines are: every value is checked
where it enters (a number out of range, or of the wrong type, is the default),
a file from a newer Limber is read for what this one knows and never written,
and a damaged one is kept aside under a new name, never overwritten unread.

The domain's types are imported where a value of theirs is read or written: the
window reads its settings before its first frame, which needs none of them.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.storage.atomic import write_atomically
from app.storage.regular_file import NotAFileError, read_regular_file

if TYPE_CHECKING:
    from app.domain.plan import CueKind, PlanSettings
    from app.domain.reminders import Reminder
    from app.domain.routine import Side
    from app.domain.spoken import Phrase

FILE_NAME = "settings.json"
OLD_FILE_NAME = "settings.ini"
FORMAT = "limber-settings"
VERSION = 1
# A settings file is a few kilobytes; weak sides for thousands of routines stay far below.
MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class Bounds:
    """A whole-number setting: its default and the values allowed."""

    default: int
    low: int
    high: int

    def check(self, value: object) -> int:
        """`value` when it is a whole number in range, else the default."""
        if isinstance(value, bool) or not isinstance(value, int):
            return self.default
        return value if self.low <= value <= self.high else self.default


VOLUME = Bounds(80, 1, 100)
WEEKLY_GOAL = Bounds(4, 1, 21)
REST_DAYS = Bounds(0, 0, 6)
# Words a minute of the spoken cues.
SPEECH_RATE = Bounds(175, 80, 400)
# How the plan is built (app.domain.plan.PlanSettings has the same defaults).
GET_READY_SECONDS = Bounds(5, 1, 60)
WEAK_BONUS_REPS = Bounds(2, 0, 20)
WEAK_BONUS_HOLD_PERCENT = Bounds(25, 0, 200)
# Seconds per rep where a routine gives no tempo; None leaves those reps waiting.
TEMPO_SECONDS = (0.5, 30.0)
THEMES = ("system", "light", "dark")
# The chimes a person may leave out (CueKind's values); the others (go, switch,
# rest, done) always sound.
OPTIONAL_CHIMES = ("count", "rep")
SPEECH_ENGINES = ("auto", "espeak-ng", "say", "sapi", "piper")
# A voice name or a voice model's path: a line of text, no longer than this.
MAX_VOICE_CHARS = 1024
# Window geometry as Qt saves it: a few dozen bytes.
MAX_GEOMETRY_BYTES = 4096
# More than a person sets by hand; keeps a shared file from growing the schedule.
MAX_REMINDERS = 50


class Settings:
    """The settings, loaded from `folder` (nothing is written before a change).

    Setting a value marks the settings changed and calls the listeners; `save()`
    writes them (the window saves a moment after the last change, and on close).
    When the file cannot be used (a symbolic link, a file of a newer Limber, a
    read-only folder), the settings still work for this run and `notice` says why
    they are not kept.

    Args:
        folder: The data folder; `settings.json` is in it.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self.notice = ""
        self._writable = True
        self._dirty = False
        self._listeners: list[Callable[[], None]] = []
        self._values: dict[str, Any] = {}
        self._load()

    # The values -------------------------------------------------------------------

    @property
    def volume(self) -> int:
        """Cue volume in percent, 1-100."""
        return VOLUME.check(self._values.get("volume"))

    @volume.setter
    def volume(self, value: int) -> None:
        self._set("volume", max(VOLUME.low, min(VOLUME.high, int(value))))

    @property
    def muted(self) -> bool:
        """Whether cues are silenced."""
        return self._values.get("muted") is True

    @muted.setter
    def muted(self, value: bool) -> None:
        self._set("muted", bool(value))

    @property
    def weekly_goal(self) -> int:
        """Warm-ups a week the chart's goal line shows."""
        return WEEKLY_GOAL.check(self._values.get("weekly_goal"))

    @weekly_goal.setter
    def weekly_goal(self, value: int) -> None:
        self._set("weekly_goal", WEEKLY_GOAL.check(value))

    @property
    def rest_days(self) -> int:
        """Days a week without a warm-up that do not break a streak."""
        return REST_DAYS.check(self._values.get("rest_days"))

    @rest_days.setter
    def rest_days(self, value: int) -> None:
        self._set("rest_days", REST_DAYS.check(value))

    @property
    def voice(self) -> bool:
        """Whether cues are spoken (where a speech engine is found)."""
        return self._values.get("voice") is not False

    @voice.setter
    def voice(self, value: bool) -> None:
        self._set("voice", bool(value))

    @property
    def phrases(self) -> frozenset[Phrase]:
        """Which phrases are spoken."""
        from app.domain.spoken import DEFAULT_PHRASES, Phrase

        chosen = self._values.get("phrases")
        if not isinstance(chosen, list):
            return DEFAULT_PHRASES
        return frozenset(Phrase(p) for p in chosen if p in Phrase.__members__.values())

    @phrases.setter
    def phrases(self, value: frozenset[Phrase]) -> None:
        self._set("phrases", sorted(p.value for p in value))

    @property
    def speech_rate(self) -> int:
        """Words a minute of the spoken cues."""
        return SPEECH_RATE.check(self._values.get("speech_rate"))

    @speech_rate.setter
    def speech_rate(self, value: int) -> None:
        self._set("speech_rate", SPEECH_RATE.check(value))

    @property
    def speech_engine(self) -> str:
        """The speech engine chosen: "auto" or one of `SPEECH_ENGINES`."""
        value = self._values.get("speech_engine")
        return value if value in SPEECH_ENGINES else "auto"

    @speech_engine.setter
    def speech_engine(self, value: str) -> None:
        self._set("speech_engine", value if value in SPEECH_ENGINES else "auto")

    @property
    def speech_voice(self) -> str:
        """The voice of the speech engine ("" for its default)."""
        return self._text("speech_voice")

    @speech_voice.setter
    def speech_voice(self, value: str) -> None:
        self._set("speech_voice", value if _plain_line(value) else "")

    @property
    def piper_model(self) -> str:
        """The piper voice model file, where one is chosen."""
        return self._text("piper_model")

    @piper_model.setter
    def piper_model(self, value: str) -> None:
        self._set("piper_model", value if _plain_line(value) else "")

    def _text(self, key: str) -> str:
        value = self._values.get(key)
        return value if isinstance(value, str) and _plain_line(value) else ""

    @property
    def silent_chimes(self) -> frozenset[CueKind]:
        """The optional chimes left out (of `OPTIONAL_CHIMES`)."""
        from app.domain.plan import CueKind

        chosen = self._values.get("silent_chimes")
        if not isinstance(chosen, list):
            return frozenset()
        return frozenset(CueKind(kind) for kind in OPTIONAL_CHIMES if kind in chosen)

    @silent_chimes.setter
    def silent_chimes(self, value: frozenset[CueKind]) -> None:
        self._set("silent_chimes", sorted(k.value for k in value if k.value in OPTIONAL_CHIMES))

    @property
    def get_ready_seconds(self) -> int:
        """The countdown before each exercise."""
        return GET_READY_SECONDS.check(self._values.get("get_ready_seconds"))

    @get_ready_seconds.setter
    def get_ready_seconds(self, value: int) -> None:
        self._set("get_ready_seconds", GET_READY_SECONDS.check(value))

    @property
    def default_tempo(self) -> float | None:
        """Seconds per rep for reps without a tempo; None: they wait for the person."""
        value = self._values.get("default_tempo")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        low, high = TEMPO_SECONDS
        return float(value) if low <= value <= high else None  # NaN fails both

    @default_tempo.setter
    def default_tempo(self, value: float | None) -> None:
        low, high = TEMPO_SECONDS
        fine = value is not None and low <= value <= high
        self._set("default_tempo", round(value, 1) if fine and value is not None else None)

    @property
    def weak_bonus_reps(self) -> int:
        """Extra reps for the weaker side where a routine gives no range."""
        return WEAK_BONUS_REPS.check(self._values.get("weak_bonus_reps"))

    @weak_bonus_reps.setter
    def weak_bonus_reps(self, value: int) -> None:
        self._set("weak_bonus_reps", WEAK_BONUS_REPS.check(value))

    @property
    def weak_bonus_hold_percent(self) -> int:
        """Extra hold or timed seconds for the weaker side, in percent."""
        return WEAK_BONUS_HOLD_PERCENT.check(self._values.get("weak_bonus_hold_percent"))

    @weak_bonus_hold_percent.setter
    def weak_bonus_hold_percent(self, value: int) -> None:
        self._set("weak_bonus_hold_percent", WEAK_BONUS_HOLD_PERCENT.check(value))

    def plan_settings(self, weak_side: Side | None) -> PlanSettings:
        """How a routine is played with these settings and `weak_side`."""
        from app.domain.plan import PlanSettings

        return PlanSettings(
            weak_side=weak_side,
            weak_bonus_reps=self.weak_bonus_reps,
            weak_bonus_hold_percent=float(self.weak_bonus_hold_percent),
            get_ready_seconds=float(self.get_ready_seconds),
            default_tempo=self.default_tempo,
        )

    @property
    def theme(self) -> str:
        """The window's colours: "system", "light" or "dark"."""
        value = self._values.get("theme")
        return value if value in THEMES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self._set("theme", value if value in THEMES else "system")

    def restore_defaults(self) -> None:
        """Every preference back to its default; the weaker sides chosen per
        routine, the window's place and the reminders are kept."""
        for key in PREFERENCES:
            if key in self._values:
                del self._values[key]
                self._dirty = True
        for listener in self._listeners:
            listener()

    def weak_side(self, routine_id: str) -> Side | None:
        """The weaker side last picked for a routine."""
        from app.domain.routine import Side

        sides = self._values.get("weak_sides")
        value = sides.get(routine_id) if isinstance(sides, dict) else None
        return Side(value) if value in ("left", "right") else None

    def set_weak_side(self, routine_id: str, side: Side | None) -> None:
        """Remembers (or forgets, with None) the weaker side of a routine."""
        sides = self._values.get("weak_sides")
        sides = dict(sides) if isinstance(sides, dict) else {}
        if side is None:
            sides.pop(routine_id, None)
        else:
            sides[routine_id] = side.value
        self._set("weak_sides", sides)

    @property
    def geometry(self) -> bytes | None:
        """The main window's saved geometry (Qt's saveGeometry bytes)."""
        text = self._values.get("window_geometry")
        if not isinstance(text, str) or len(text) > MAX_GEOMETRY_BYTES * 2:
            return None
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return None

    @geometry.setter
    def geometry(self, value: bytes) -> None:
        if len(value) <= MAX_GEOMETRY_BYTES:
            self._set("window_geometry", base64.b64encode(value).decode("ascii"))

    @property
    def reminders(self) -> list[Reminder]:
        """The reminders to warm up, in the order the person added them.

        An entry that does not check out is skipped; at most `MAX_REMINDERS` are
        read.
        """
        entries = self._values.get("reminders")
        if not isinstance(entries, list):
            return []
        found = (reminder for entry in entries if (reminder := _reminder(entry)) is not None)
        return list(itertools.islice(found, MAX_REMINDERS))

    @reminders.setter
    def reminders(self, value: list[Reminder]) -> None:
        """Keeps `value`.

        Raises:
            ValueError: more than `MAX_REMINDERS`.
        """
        if len(value) > MAX_REMINDERS:
            raise ValueError(f"at most {MAX_REMINDERS} reminders, not {len(value)}")
        from app.domain.reminders import DAY_NAMES

        self._set(
            "reminders",
            [
                {
                    "days": [DAY_NAMES[day] for day in sorted(reminder.days)],
                    "time": reminder.time_text,
                    "routine": reminder.routine_id,
                }
                for reminder in value
            ],
        )

    @property
    def reminders_paused_on(self) -> date | None:
        """The day reminders are paused for ("pause reminders for today"), if any."""
        text = self._values.get("reminders_paused_on")
        if not isinstance(text, str) or len(text) != 10:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None

    @reminders_paused_on.setter
    def reminders_paused_on(self, value: date | None) -> None:
        self._set("reminders_paused_on", None if value is None else value.isoformat())

    # Keeping them -----------------------------------------------------------------

    def on_change(self, listener: Callable[[], None]) -> None:
        """Calls `listener` after every change."""
        self._listeners.append(listener)

    @property
    def unsaved(self) -> bool:
        """Whether a change has not been written yet."""
        return self._dirty

    def save(self) -> None:
        """Writes the settings if they changed (and can be kept).

        A write that fails leaves the old file whole; `notice` then says why, and
        the next save tries again.
        """
        if not self._dirty or not self._writable:
            return
        document = {"format": FORMAT, "version": VERSION, **self._values}
        data = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, data)
        except OSError as exc:
            self.notice = f"Settings could not be saved to {self.path}: {exc.strerror or exc}"
            return
        self._dirty = False

    def _set(self, key: str, value: object) -> None:
        if self._values.get(key) == value:
            return
        self._values[key] = value
        self._dirty = True
        for listener in self._listeners:
            listener()

    # Reading ------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            data = read_regular_file(self.path, limit=MAX_BYTES, follow_symlinks=False)
        except (FileNotFoundError, NotADirectoryError):  # the data folder's problems
            self._values = _upgrade(self.path.parent / OLD_FILE_NAME)
            self._dirty = bool(self._values)  # carried over: written with the next save
            return
        except NotAFileError as exc:
            self._refuse(f"{self.path} is {exc.strerror}")
            return
        except OSError as exc:
            self._refuse(f"{self.path} cannot be read ({exc.strerror or exc})")
            return
        problem = self._parse(data)
        if problem:
            self._set_aside(problem)

    def _parse(self, data: bytes) -> str:
        """Takes the values of the file's bytes; returns what is wrong, or ""."""
        if len(data) > MAX_BYTES:
            return f"it is larger than {MAX_BYTES // 1024} KB"
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return f"it is not valid JSON ({exc})"
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            return "it is not a Limber settings file"
        version = document.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            return f"its version is not a whole number from 1 ({version!r})"
        self._values = {k: v for k, v in document.items() if k not in ("format", "version")}
        if version > VERSION:
            self._writable = False
            self.notice = (
                f"Settings are not saved: {self.path} was written by a newer Limber "
                f"(settings version {version}; this one knows {VERSION}). "
                "It is read, and left as it is."
            )
        return ""

    def _set_aside(self, problem: str) -> None:
        """Keeps a damaged file under a new name, so the next save does not lose it."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = self.path.with_name(f"{FILE_NAME}.damaged-{stamp}")
        try:
            self.path.rename(kept)
        except OSError as exc:
            self._refuse(
                f"{self.path} is damaged ({problem}) and cannot be set aside "
                f"({exc.strerror or exc})"
            )
            return
        self.notice = (
            f"Your settings were reset: {self.path} was damaged ({problem}). "
            f"It is kept as {kept.name}."
        )

    def _refuse(self, why: str) -> None:
        self._writable = False
        self.notice = (
            f"Settings are not saved: {why}. Limber does not write through it; "
            "replace it with a plain file (or remove it) to keep your settings."
        )


# Carrying over settings.ini ----------------------------------------------------------

# What an older Limber kept in settings.ini: [section] key -> our key.
_OLD_WHOLE_NUMBERS = {
    ("audio", "volume"): "volume",
    ("history", "weekly_goal"): "weekly_goal",
    ("history", "rest_days"): "rest_days",
}


# What Restore defaults puts back (the keys of the Preferences dialog).
PREFERENCES = (
    "volume",
    "muted",
    "silent_chimes",
    "voice",
    "phrases",
    "speech_rate",
    "speech_engine",
    "speech_voice",
    "piper_model",
    "get_ready_seconds",
    "default_tempo",
    "weak_bonus_reps",
    "weak_bonus_hold_percent",
    "weekly_goal",
    "rest_days",
    "theme",
)


def _plain_line(text: str) -> bool:
    """Whether `text` is one line of printable text of at most MAX_VOICE_CHARS."""
    return len(text) <= MAX_VOICE_CHARS and text.isprintable()


def _reminder(entry: object) -> Reminder | None:
    """The reminder of a stored entry; None when it does not check out."""
    from app.domain.reminders import DAY_NAMES, Reminder, parse_time

    if not isinstance(entry, dict):
        return None
    days, when, routine = entry.get("days"), entry.get("time"), entry.get("routine")
    if (
        not isinstance(days, list)
        or not all(isinstance(day, str) and day in DAY_NAMES for day in days)
        or not isinstance(when, str)
    ):
        return None
    try:
        hour, minute = parse_time(when)
        return Reminder(frozenset(DAY_NAMES.index(day) for day in days), hour, minute, routine)
    except ValueError:  # no days, or a routine that is not an id
        return None


def _upgrade(old: Path) -> dict[str, Any]:
    """The values of an older Limber's settings.ini, checked; {} when there is none."""
    try:
        data = read_regular_file(old, limit=MAX_BYTES, follow_symlinks=False)
    except OSError:
        return {}
    import configparser  # only for the first start after an older Limber

    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    try:
        parser.read_string(data.decode("utf-8", errors="replace"))
    except configparser.Error:
        return {}
    values: dict[str, Any] = {}
    for (section, key), ours in _OLD_WHOLE_NUMBERS.items():
        text = parser.get(section, key, fallback="").strip()
        if text.isdigit():
            values[ours] = int(text)
    if parser.get("audio", "muted", fallback="").strip().lower() == "true":
        values["muted"] = True
    if parser.has_section("weak_side"):
        values["weak_sides"] = {
            key: side
            for key, side in parser.items("weak_side")
            if side.strip() in ("left", "right")
        }
    geometry = _qt_byte_array(parser.get("window", "geometry", fallback=""))
    if geometry is not None and len(geometry) <= MAX_GEOMETRY_BYTES:
        values["window_geometry"] = base64.b64encode(geometry).decode("ascii")
    return values


_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "0": 0}


def _qt_byte_array(text: str) -> bytes | None:
    """The bytes of QSettings' `@ByteArray(...)` INI value; None if it is not one."""
    text = text.strip()
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        text = text[1:-1]
    match = re.fullmatch(r"@ByteArray\((.*)\)", text, re.DOTALL)
    if match is None:
        return None
    body, out, i = match.group(1), bytearray(), 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.extend(char.encode("latin-1", errors="replace"))
            i += 1
            continue
        following = body[i + 1 : i + 2]
        if following == "x":
            digits = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2 :])
            if digits is None:
                return None
            out.append(int(digits.group(0), 16))
            i += 2 + len(digits.group(0))
        elif following in _ESCAPES:
            out.append(_ESCAPES[following])
            i += 2
        elif following:
            out.extend(following.encode("latin-1", errors="replace"))
            i += 2
        else:
            return None
    return bytes(out)
