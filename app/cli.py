"""The `limber` command: opens the window, or runs a subcommand in the terminal.

Every mistake of the user's (a bad argument, a broken routine file, a routine
that is not there) ends with one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from app import __version__
from app.domain.text import clock_text, counted, one_line

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from app.domain.plan import Plan, PlanSettings, PlanStep
    from app.domain.player import Snapshot
    from app.domain.reminders import Reminder
    from app.domain.routine import Routine
    from app.domain.session import SessionRecord
    from app.storage.routine_store import OnClash, RoutineStore, StoredRoutine
    from app.storage.session_log import Notice, SessionLog
    from app.storage.settings import Settings

USAGE_ERROR = 2
ROUTINE_HELP = "a routine id or its name, in any case"


class UsageError(Exception):
    """A mistake in what the user asked for; its text is the one line shown."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not usage plus a line."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser for the `limber` command and its subcommands."""
    parser = _Parser(
        prog="limber",
        description="A hands-free timer for mobility and warm-up routines. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"limber {__version__}")
    parser.add_argument(
        "--background",
        action="store_true",
        help="run in the tray (or out of sight where there is no tray) and send the reminders",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    plan = commands.add_parser("plan", help="print the exact timeline the player will run")
    plan.add_argument("routine", metavar="ROUTINE", help=ROUTINE_HELP)
    _add_weak_side(plan)
    plan.add_argument("--json", action="store_true", help="one JSON object per line")
    plan.set_defaults(run=_run_plan)

    _add_play_commands(commands)

    shot = commands.add_parser("screenshot", help="render a view offscreen to a PNG file")
    shot.add_argument(
        "view",
        metavar="VIEW",
        choices=("library", "player", "waiting", "paused", "done", "history"),
        help="library, player (a per-side step), waiting (a step done at your own pace), "
        "paused, done (the end screen) or history",
    )
    shot.add_argument("file", metavar="FILE.png", type=Path)
    shot.add_argument(
        "--size",
        type=_size,
        default=(1000, 700),
        metavar="WxH",
        help="the window size in pixels (default 1000x700)",
    )
    shot.add_argument(
        "--theme", choices=("light", "dark"), default="light", help="light (default) or dark"
    )
    shot.set_defaults(run=_run_screenshot)

    history = commands.add_parser("history", help="list the sessions in the log")
    history.add_argument("--json", action="store_true", help="one JSON object per line")
    history.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help="write the sessions to a CSV file for a spreadsheet",
    )
    history.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="write the whole log to one file, to move it to another machine",
    )
    history.add_argument(
        "--import-backup",
        type=Path,
        metavar="FILE",
        help="add the sessions of an exported log or a backup file",
    )
    history.set_defaults(run=_run_history)

    routines = commands.add_parser("routines", help="list, import and export routines")
    routine_commands = routines.add_subparsers(
        dest="routines_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    listing = routine_commands.add_parser("list", help="list the routines in the library")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(run=_run_list)
    importing = routine_commands.add_parser(
        "import", help="add routine files to the library, each on its own"
    )
    importing.add_argument("files", metavar="FILE", type=Path, nargs="+")
    clash = importing.add_mutually_exclusive_group()
    clash.add_argument(
        "--replace", action="store_true", help="a routine of yours with the same id is replaced"
    )
    clash.add_argument(
        "--keep-both",
        action="store_true",
        help="a routine with the same id is kept; this one gets a new id",
    )
    importing.set_defaults(run=_run_import)
    exporting = routine_commands.add_parser("export", help="write a routine to a file")
    exporting.add_argument("routine", metavar="ROUTINE", help=ROUTINE_HELP)
    exporting.add_argument("file", metavar="FILE", type=Path)
    exporting.set_defaults(run=_run_export)
    card = routine_commands.add_parser(
        "card", help="write a printable card of a routine (FILE.html or FILE.pdf)"
    )
    card.add_argument("routine", metavar="ROUTINE", help=ROUTINE_HELP)
    card.add_argument("file", metavar="FILE", type=Path)
    card.set_defaults(run=_run_card)

    _add_reminder_commands(commands)

    desktop = commands.add_parser(
        "desktop", help="add or remove the launcher and icons in your desktop's menus"
    )
    desktop_commands = desktop.add_subparsers(
        dest="desktop_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    desktop_commands.add_parser(
        "install",
        help="write the launcher, icons and metainfo into your XDG data folder",
    ).set_defaults(run=_run_desktop_install)
    desktop_commands.add_parser(
        "uninstall",
        help="remove the files 'limber desktop install' wrote",
    ).set_defaults(run=_run_desktop_uninstall)
    return parser


def _add_play_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`limber play` and `limber voices`."""
    play = commands.add_parser("play", help="play a routine")
    play.add_argument("routine", metavar="ROUTINE", help=ROUTINE_HELP)
    _add_weak_side(play)
    play.add_argument(
        "--no-window",
        action="store_true",
        help="play in the terminal with audio cues only (Ctrl+C stops)",
    )
    play.add_argument("--no-voice", action="store_true", help="chimes only: say nothing")
    play.set_defaults(run=_run_play)

    voices = commands.add_parser("voices", help="list the speech engines and voices found")
    voices.set_defaults(run=_run_voices)


def _add_reminder_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`limber reminders list | add | remove`."""
    reminders = commands.add_parser(
        "reminders", help="list, add and remove the reminders to warm up"
    )
    actions = reminders.add_subparsers(
        dest="reminders_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    actions.add_parser(
        "list", help="the reminders, numbered, and when the next one is due"
    ).set_defaults(run=_run_reminders_list)
    adding = actions.add_parser(
        "add",
        help="remind you to warm up on DAYS at HH:MM (not on a day you have warmed up)",
    )
    adding.add_argument(
        "days",
        metavar="DAYS",
        type=_days_argument,
        help="days like mon,wed,fri (three letters or whole names, any case), "
        "or daily, weekdays or weekends",
    )
    adding.add_argument(
        "time",
        metavar="HH:MM",
        type=_time_argument,
        help="the time on a 24-hour clock, like 07:30",
    )
    adding.add_argument(
        "routine",
        metavar="ROUTINE",
        nargs="?",
        help=f"{ROUTINE_HELP} (default: the suggested routine)",
    )
    adding.set_defaults(run=_run_reminders_add)
    removing = actions.add_parser("remove", help="remove a reminder")
    removing.add_argument(
        "number",
        metavar="N",
        type=_reminder_number,
        help="its number in 'limber reminders list'",
    )
    removing.set_defaults(run=_run_reminders_remove)


def _days_argument(text: str) -> frozenset[int]:
    from app.domain.reminders import parse_days

    try:
        return parse_days(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _time_argument(text: str) -> tuple[int, int]:
    from app.domain.reminders import parse_time

    try:
        return parse_time(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _reminder_number(text: str) -> int:
    if not (text.isdigit() and text.isascii() and int(text) >= 1):
        raise argparse.ArgumentTypeError(
            f"expected a reminder's number from 1, as 'limber reminders list' shows it; "
            f"got {text!r}"
        )
    return int(text)


def _add_weak_side(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--weak-side",
        choices=("left", "right", "none"),
        default=None,
        help="the weaker side: it goes second and gets more reps or a longer hold "
        "(default: the one last chosen for the routine in the window)",
    )


def _size(text: str) -> tuple[int, int]:
    """Parses WxH, e.g. 1000x700."""
    width, _, height = text.lower().partition("x")
    if not (
        width.isdigit()
        and height.isdigit()
        and 200 <= int(width) <= 8000
        and 200 <= int(height) <= 8000
    ):
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT in pixels, each 200-8000, like 1000x700; got {text!r}"
        )
    return int(width), int(height)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the `limber` command; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        # Straight to the window: start-up time is spent on Qt, not on argparse.
        from app.main import run_window

        return run_window()
    args = build_parser().parse_args(argv)
    if args.command is None:
        from app.main import run_window

        return run_window(background=args.background)
    # The terminal commands load the core lazily too, and never load Qt.
    from app.storage.paths import DataFolderError, check_data_folders

    try:
        if args.command != "desktop":  # the only command that keeps no data
            try:
                check_data_folders()
            except DataFolderError as exc:
                raise UsageError(str(exc)) from None
        result: int = args.run(args)
    except UsageError as exc:
        print(f"limber: {one_line(str(exc))}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        # Ctrl+C before a routine's own handling starts (or in any other command).
        print("\nStopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly.
        sys.stderr.close()
        return 0
    return result


def _routines() -> RoutineStore:
    """The routine library: the built-in routines and the user's."""
    from app.storage.paths import user_routines_dir
    from app.storage.routine_store import RoutineStore

    return RoutineStore(user_routines_dir())


def _settings(
    args: argparse.Namespace, routine: Routine, saved: Settings | None = None
) -> PlanSettings:
    """The plan settings of the command line, the saved weaker side where none is given."""
    from app.domain.routine import Side

    if saved is None:
        from app.storage.paths import data_dir
        from app.storage.settings import Settings

        saved = Settings(data_dir())
    if args.weak_side is None:
        return saved.plan_settings(saved.weak_side(routine.id))
    return saved.plan_settings(None if args.weak_side == "none" else Side(args.weak_side))


def _run_plan(args: argparse.Namespace) -> int:
    from app.domain.plan import build_plan

    store = _routines()
    routine = _find(store, args.routine)
    settings = _settings(args, routine)
    plan = build_plan(routine, settings)
    if args.json:
        for start, step in zip(plan.starts(), plan.steps, strict=True):
            print(json.dumps(step_record(step, start), ensure_ascii=False))
        print(json.dumps({"total_seconds": plan.total_seconds}))
    else:
        print(format_plan(plan, settings.weak_side.value if settings.weak_side else "none"))
    return 0


def _find(store: RoutineStore, key: str) -> Routine:
    from app.storage.routine_store import RoutineNotFoundError

    try:
        return store.find(key).routine
    except RoutineNotFoundError as exc:  # a miss, with near misses, or a name two share
        raise UsageError(str(exc)) from None


def step_record(step: PlanStep, start: float) -> dict[str, object]:
    """One step of a plan as the JSON object `limber plan --json` prints."""
    return {
        "exercise": step.exercise,
        "progression": step.progression or None,
        "side": step.side.value if step.side else None,
        "kind": step.kind.value,
        "reps": step.reps,
        "seconds": step.seconds,
        "start": start,
        "first_rep": step.first_rep if step.reps is not None else None,
        "side_reps": step.side_reps,
        "tempo": step.tempo,
        "waits_for_user": step.waits,
        "set": step.set_number,
        "sets": step.sets,
        "instruction": step.instruction,
        "instructions": list(step.instructions),
        "cues": [{"at": c.at, "kind": c.kind.value, "text": c.text or None} for c in step.cues],
    }


def format_plan(plan: Plan, weak_side: str) -> str:
    """The plan as a table a person reads."""
    heading = plan.routine_name
    if weak_side != "none":
        heading += f"  (weaker side: {weak_side})"
    lines = [heading, ""]
    for start, step in zip(plan.starts(), plan.steps, strict=True):
        what = step.progression or step.exercise
        side = step.side.value.upper() if step.side else ""
        if step.reps is not None:
            last = step.first_rep + step.reps - 1
            reps = f"rep {step.first_rep}" if step.reps == 1 else f"{step.reps} reps"
            if step.reps == 1 or step.first_rep > 1:
                reps = f"rep {step.first_rep}-{last}" if step.reps > 1 else reps
                reps += f" of {step.side_reps}"
            detail = reps + (" (at your pace)" if step.waits else f" @ {step.tempo:g}s")
        else:
            detail = ""
        sets = f"set {step.set_number}/{step.sets}" if step.sets > 1 else ""
        lines.append(
            f"{clock_text(start):>6}  {step.kind.value:<9} {step.seconds:>5.1f}s  "
            f"{side:<5}  {what}  {detail}  {sets}".rstrip()
        )
    lines += ["", f"Total {clock_text(plan.total_seconds)}"]
    return "\n".join(lines)


def _run_play(args: argparse.Namespace) -> int:
    store = _routines()
    routine = _find(store, args.routine)
    if not args.no_window:
        from app.main import run_window

        given = args.weak_side is not None
        return run_window(
            routine, _settings(args, routine) if given else None, voice=not args.no_voice
        )
    from app.application.terminal_remote import TerminalRemote
    from app.domain.clock import SystemClock
    from app.domain.plan import build_plan
    from app.domain.spoken import script
    from app.main import on_signals, open_cue_player, open_log
    from app.storage.paths import data_dir
    from app.storage.settings import Settings
    from app.terminal_player import INTERRUPTED, Requests, play_in_terminal

    saved = Settings(data_dir())
    if saved.notice:
        print(f"limber: {one_line(saved.notice)}", file=sys.stderr)
    settings = _settings(args, routine, saved)
    plan = build_plan(routine, settings)
    cues = open_cue_player(saved, voice=saved.voice and not args.no_voice)
    if cues.speaks:
        plan = script(plan, saved.phrases)
        cues.prepare(plan.cues())

    def report(_kind: str, text: str) -> None:  # from the log's thread
        print(f"limber: {one_line(text)}", file=sys.stderr, flush=True)

    recorder, problem = open_log(report)
    if recorder is None:
        report("refused", problem)
    else:
        recorder.prepare(routine, plan, settings.weak_side)
        recorder.writer.start()
        recorder.writer.flush()  # what opening the log found is said before the routine
    clock = SystemClock()
    requests = Requests()
    requests.read(sys.stdin)
    # Media controls answer on Qt's event loop, which the main thread runs; the
    # routine plays on a thread of its own (see app.application.terminal_remote).
    remote = TerminalRemote(
        routine.name,
        clock,
        requests.put,
        lambda why: print(f"limber: {one_line(why)}", file=sys.stderr, flush=True),
    )
    requests.buttons = remote.published
    signalled = on_signals(remote, requests.interrupt)

    def play(on_change: Callable[[Snapshot], None]) -> int:
        return play_in_terminal(
            plan,
            clock,
            cues,
            sys.stdout,
            sleep=requests.sleep,
            wait_for_enter=requests.wait_for_enter,
            recorder=recorder,
            on_change=on_change,
            silent=saved.silent_chimes,
        )

    try:
        cues.wait_ready(timeout=5.0)
        status = remote.play(play)
        # Stopped by SIGTERM: the shell's status for it (Ctrl+C's is the player's 130).
        return 128 + signalled[-1] if signalled and status == INTERRUPTED else status
    finally:
        remote.close()
        cues.close()
        if recorder is not None:
            recorder.writer.close()


def _run_voices(args: argparse.Namespace) -> int:
    from app.audio.speech import ENGINE_NAMES, find_engine
    from app.domain.spoken import PHRASE_LABELS
    from app.storage.paths import data_dir
    from app.storage.settings import Settings

    saved = Settings(data_dir())
    chosen, problem = find_engine(
        saved.speech_engine, saved.speech_voice, saved.speech_rate, saved.piper_model
    )
    for name in ENGINE_NAMES:
        engine, _ = find_engine(name, rate=saved.speech_rate, piper_model=saved.piper_model)
        if engine is None or engine.name != name:
            continue
        voices = engine.voices()
        print(f"{name}: {counted(len(voices), 'voice')}")
        for voice in voices:
            language = "" if voice.language in ("", voice.id) else f" ({voice.language})"
            print(f"  {one_line(voice.id):<28} {one_line(voice.name)}{language}")
    if chosen is not None:
        speaking = f"voice {chosen.voice}" if chosen.voice else "its default voice"
        print(
            f"Limber speaks with {chosen.name}, {one_line(speaking)}, {chosen.rate} words a minute."
        )
    if problem:
        print(f"{problem[:1].upper()}{problem[1:]}.")
    print(
        f'Choose with "speech_engine", "speech_voice" (an id above) and "speech_rate" in'
        f" {saved.path}."
    )
    if chosen is None:
        return 0
    if not saved.voice:
        print("Spoken cues are turned off (Player > Voice > Speak cues).")
    spoken = [label for phrase, label in PHRASE_LABELS.items() if phrase in saved.phrases]
    print("Said: " + ("; ".join(spoken) if spoken else "nothing (chimes only)") + ".")
    return 0


def _run_screenshot(args: argparse.Namespace) -> int:
    if args.file.suffix.lower() != ".png":
        raise UsageError(f"cannot write {args.file}: the screenshot is a PNG, name it .png")
    if not args.file.parent.is_dir():
        raise UsageError(f"cannot write {args.file}: no folder {args.file.parent}")
    from app.screenshot import LogUnreadableError, render_view

    try:
        render_view(args.view, args.file, args.size, args.theme)
    except LogUnreadableError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {args.file}: {exc.strerror or exc}") from None
    print(f"Saved the {args.view} view to {args.file}")
    return 0


def _run_card(args: argparse.Namespace) -> int:
    from app.domain.routine_card import card_html
    from app.storage.atomic import write_atomically

    store = _routines()
    suffix = args.file.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise UsageError(f"cannot write {args.file}: a card is .html or .pdf")
    if not args.file.parent.is_dir():
        raise UsageError(f"cannot write {args.file}: no folder {args.file.parent}")
    routine = _find(store, args.routine)
    html = card_html(routine)
    pages = ""
    try:
        if suffix == ".pdf":
            from app.ui.card_pdf import write_card_pdf

            printed = write_card_pdf(html, args.file)
            if printed.pages > 1:
                pages = f" ({counted(printed.pages, 'page')}: too long for one)"
        else:
            write_atomically(args.file, html.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {args.file}: {exc.strerror or exc}") from None
    print(f'Wrote the card of "{routine.name}" to {args.file}{pages}')
    return 0


def _run_history(args: argparse.Namespace) -> int:
    from app.storage.file_lock import LockTimeoutError
    from app.storage.paths import log_dir
    from app.storage.session_log import LogFormatError, SessionLog

    for target in (args.csv, args.export):
        if target is not None and not target.parent.is_dir():
            raise UsageError(f"cannot write {target}: no folder {target.parent}")
    form = "json" if args.json else "text"
    try:
        log = SessionLog(log_dir())
        if args.import_backup is not None or args.export is not None:
            _say(log.open())
            if args.import_backup is not None:
                added, known = log.import_backup(args.import_backup)
                print(
                    f"Imported {counted(added, 'session')} from {args.import_backup} "
                    f"({known} already in the log)"
                )
            else:
                count = log.export(args.export)
                print(f"Exported {counted(count, 'session')} to {args.export}")
            return 0
        # Each file read once, and no write to the log: the months printed before
        # are printed from the cache, where their files are the same.
        kept = _kept_history(log, form) if args.csv is None else None
        if kept is None:
            notices, sessions = log.read()  # or open() and sessions(), when repairs wait
            _say(notices)
            if args.csv is not None:
                from app.history_export import write_csv

                write_csv(sessions, args.csv)
                print(f"Wrote {counted(len(sessions), 'session')} to {args.csv}")
                return 0
            lines = "".join(map(_history_line(form), sessions)).encode("utf-8")
            kept = lines, log.unreadable_records
    except (LogFormatError, LockTimeoutError) as exc:
        raise UsageError(str(exc)) from None
    except FileNotFoundError as exc:
        raise UsageError(f"no such file: {exc.filename}") from None
    except OSError as exc:
        raise UsageError(f"{exc.filename or 'the log'}: {exc.strerror}") from None

    lines, unreadable = kept
    if form == "json":
        # In UTF-8, as JSON is, whatever the terminal's encoding.
        sys.stdout.flush()
        sys.stdout.buffer.write(lines)
    else:
        sys.stdout.write(lines.decode("utf-8"))
    if unreadable:
        print(
            f"limber: could not read {counted(unreadable, 'session')} in the log (left unchanged)",
            file=sys.stderr,
        )
    return 0


def _say(notices: Sequence[Notice]) -> None:
    for notice in notices:
        print(f"limber: {notice.message()}", file=sys.stderr)


def _history_line(form: str) -> Callable[[SessionRecord], str]:
    """How `limber history` prints a session: as a line of JSON, or of text."""
    if form == "json":
        encode = json.JSONEncoder(ensure_ascii=False).encode

        def json_line(session: SessionRecord) -> str:
            row = session.to_dict()
            row["seconds"] = session.active_seconds
            return f"{encode(row)}\n"

        return json_line

    def text_line(session: SessionRecord) -> str:
        weak = f"  weaker {session.weak_side}" if session.weak_side else ""
        return (
            f"{session.started[:16].replace('T', ' ')}  "
            f"{clock_text(session.active_seconds):>6}  {session.status.value:<11}  "
            f"{session.routine}{weak}\n"
        )

    return text_line


def _kept_history(log: SessionLog, form: str) -> tuple[bytes, int] | None:
    """The history printed from the months printed before, where their files are
    the same (in UTF-8), and the number of rows that could not be read; None when the log
    needs `open()`'s work or its months' sessions overlap (then the whole log is
    read and sorted)."""
    from app.storage.paths import cache_dir
    from app.storage.printed_months import PrintedMonth, PrintedMonths, in_order

    months = log.month_files_if_sound()
    if months is None:
        return None
    kept = PrintedMonths(cache_dir() / "history", form)
    line = _history_line(form)
    printed = []
    for path, data in months:
        key = kept.key(data)
        month = kept.get(path.name, key)
        if month is None:
            table = log.month_table(path, data)
            if table is None:
                return None
            records = log.records_of([table])
            month = PrintedMonth.of(records, log.unreadable_records, line)
            kept.put(path.name, key, month)
        printed.append(month)
    if not in_order(printed):
        return None
    return b"".join(month.lines for month in printed), sum(month.unreadable for month in printed)


def _run_list(args: argparse.Namespace) -> int:
    """Lists the routines, each total with the weaker side last chosen, as the
    window's list and `limber plan` have it."""
    from app.domain.plan import build_plan
    from app.storage.paths import data_dir
    from app.storage.settings import Settings

    store = _routines()
    saved = Settings(data_dir())
    stored = store.all()
    for entry in stored:
        routine = entry.routine
        total = build_plan(routine, saved.plan_settings(saved.weak_side(routine.id))).total_seconds
        if args.json:
            print(
                json.dumps(
                    {
                        "id": routine.id,
                        "name": routine.name,
                        "tags": list(routine.tags),
                        "builtin": entry.builtin,
                        "exercises": len(routine.exercises),
                        "total_seconds": total,
                        "author": routine.source.author or None,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            origin = "built-in" if entry.builtin else "yours"
            print(
                f"{routine.id:<34} {clock_text(total):>6}  {origin:<8}  {routine.name}"
                f"  [{', '.join(routine.tags)}]"
            )
    for broken in store.broken:
        print(f"limber: skipped {broken.path}: {broken.error.one_line()}", file=sys.stderr)
    return 0


def _run_import(args: argparse.Namespace) -> int:
    """Imports each file on its own: one refused does not stop the others."""
    from app.storage.routine_store import OnClash

    store = _routines()
    on_clash = (
        OnClash.REPLACE if args.replace else OnClash.KEEP_BOTH if args.keep_both else OnClash.REFUSE
    )
    refused = 0
    for path in args.files:
        try:
            stored = _import_one(store, path, on_clash)
        except UsageError as exc:
            print(f"limber: {one_line(str(exc))}", file=sys.stderr)
            refused += 1
            continue
        print(f'Imported "{stored.routine.name}" as {stored.routine.id}')
    return USAGE_ERROR if refused else 0


def _import_one(store: RoutineStore, path: Path, on_clash: OnClash) -> StoredRoutine:
    from app.domain.routine_format import RoutineFormatError
    from app.storage.routine_store import RoutineExistsError

    try:
        return store.import_file(path, on_clash)
    except FileNotFoundError:
        raise UsageError(f"cannot import {path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"cannot import {path}: it is a folder, not a file") from None
    except (RoutineFormatError, RoutineExistsError) as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot import {path}: {exc.strerror}") from None


def _run_export(args: argparse.Namespace) -> int:
    from app.storage.routine_store import export_routine

    store = _routines()
    routine = _find(store, args.routine)
    try:
        export_routine(routine, args.file)
    except OSError as exc:
        raise UsageError(f"cannot write {args.file}: {exc.strerror}") from None
    print(f'Exported "{routine.name}" to {args.file}')
    return 0


def _run_reminders_list(args: argparse.Namespace) -> int:
    from datetime import datetime

    from app.domain.clock import local_zone
    from app.domain.reminders import days_text, due_text, next_due
    from app.storage.paths import data_dir
    from app.storage.settings import Settings

    store = _routines()
    settings = Settings(data_dir())
    if settings.notice:
        print(f"limber: {one_line(settings.notice)}", file=sys.stderr)
    reminders = settings.reminders
    if not reminders:
        print("No reminders. Add one with: limber reminders add DAYS HH:MM [ROUTINE]")
        return 0
    names = {entry.routine.id: entry.routine.name for entry in store.all()}
    width = max(len(days_text(reminder.days)) for reminder in reminders)
    for number, reminder in enumerate(reminders, 1):
        print(
            f"{number:>2}  {days_text(reminder.days):<{width}}  {reminder.time_text}  "
            f"{_reminder_routine(reminder, names)}"
        )
    now = datetime.now(local_zone())
    today = now.date()
    warmed_up = _warmed_up(today)
    paused_on = settings.reminders_paused_on
    if any(today.weekday() in reminder.days for reminder in reminders):
        if paused_on == today:
            print("Paused for today.")
        elif warmed_up(today):
            print("Today is warmed up: no more reminders today.")
    due = next_due(reminders, now, warmed_up=warmed_up, paused_on=paused_on)
    print(f"Next: {due_text(due.at, now)}" if due else "Next: none in the coming week")
    return 0


def _run_reminders_add(args: argparse.Namespace) -> int:
    from datetime import datetime

    from app.domain.clock import local_zone
    from app.domain.reminders import Reminder, days_text, due_text, next_due
    from app.storage.paths import data_dir
    from app.storage.settings import MAX_REMINDERS, Settings

    store = _routines()
    hour, minute = args.time
    routine = None if args.routine is None else _find(store, args.routine)
    reminder = Reminder(args.days, hour, minute, routine.id if routine else None)
    settings = Settings(data_dir())
    reminders = settings.reminders
    if reminder in reminders:
        raise UsageError(
            f"reminder {reminders.index(reminder) + 1} is the same already "
            f"(see 'limber reminders list')"
        )
    if len(reminders) >= MAX_REMINDERS:
        raise UsageError(
            f"there are {MAX_REMINDERS} reminders already, the most Limber keeps: remove one first"
        )
    settings.reminders = [*reminders, reminder]
    _save_settings(settings)
    names = {routine.id: routine.name} if routine else {}
    print(
        f"Added reminder {len(reminders) + 1}: {days_text(reminder.days)} at "
        f"{reminder.time_text}, {_reminder_routine(reminder, names)}"
    )
    now = datetime.now(local_zone())
    due = next_due(
        [reminder], now, warmed_up=_warmed_up(now.date()), paused_on=settings.reminders_paused_on
    )
    print(f"Next: {due_text(due.at, now)}" if due else "Next: none in the coming week")
    return 0


def _run_reminders_remove(args: argparse.Namespace) -> int:
    from app.domain.reminders import days_text
    from app.storage.paths import data_dir
    from app.storage.settings import Settings

    store = _routines()
    settings = Settings(data_dir())
    reminders = settings.reminders
    if args.number > len(reminders):
        there = "there are none" if not reminders else f"they are numbered 1 to {len(reminders)}"
        raise UsageError(f"no reminder {args.number}: {there} (see 'limber reminders list')")
    removed = reminders.pop(args.number - 1)
    settings.reminders = reminders
    _save_settings(settings)
    names = {entry.routine.id: entry.routine.name for entry in store.all()}
    print(
        f"Removed reminder {args.number}: {days_text(removed.days)} at "
        f"{removed.time_text}, {_reminder_routine(removed, names)}"
    )
    return 0


def _reminder_routine(reminder: Reminder, names: dict[str, str]) -> str:
    """The routine a reminder offers, by name."""
    if reminder.routine_id is None:
        return "suggested routine"
    name = names.get(reminder.routine_id)
    return one_line(name) if name else f"{reminder.routine_id} (not in your library)"


def _warmed_up(today: date) -> Callable[[date], bool]:
    """Whether a day from `today` on has a warm-up, from the log's files of these
    days' months alone (no older file is read, and nothing is written)."""
    from datetime import timedelta

    from app.domain.history_stats import warm_up_days
    from app.domain.reminders import LOOKAHEAD_DAYS
    from app.storage.paths import log_dir
    from app.storage.session_log import SessionLog

    log = SessionLog(log_dir())
    sessions = log.sessions_of_months(today, today + timedelta(days=LOOKAHEAD_DAYS))
    return warm_up_days(sessions).__contains__


def _save_settings(settings: Settings) -> None:
    """Writes the settings, or says in one line why they cannot be (nothing written)."""
    notice = settings.notice  # what loading them found: a damaged file set aside
    settings.save()
    if settings.unsaved:
        raise UsageError(settings.notice)
    if notice:
        print(f"limber: {one_line(notice)}", file=sys.stderr)


def _run_desktop_install(args: argparse.Namespace) -> int:
    import shlex

    from app.desktop_entry import DesktopEntryError, install

    try:
        installed = install()
    except DesktopEntryError as exc:
        raise UsageError(str(exc)) from None
    icons = len(installed.files) - 2  # the rest are the launcher and the metainfo
    print(
        f"Installed the launcher {installed.desktop_file}, which runs "
        f"{shlex.join(installed.command)},"
    )
    print(f"with {counted(icons, 'icon')} and the metainfo under {installed.home}")
    return 0


def _run_desktop_uninstall(args: argparse.Namespace) -> int:
    from app.desktop_entry import DesktopEntryError, data_home, uninstall

    home = data_home()
    try:
        removed = uninstall(home)
    except DesktopEntryError as exc:
        raise UsageError(str(exc)) from None
    if removed:
        print(
            f"Removed the launcher, icons and metainfo ({counted(len(removed), 'file')}) "
            f"from {home}"
        )
    else:
        print(f"Nothing to remove: Limber's launcher is not installed in {home}")
    return 0
