"""Perceived-speed benchmark: what a person sees of `limber`, against a bare PySide6 window.

Run:  python tests/bench/perceived.py [--runs 10] [--idle-seconds 60] [--play-seconds 30]

Under X11 (a private Xvfb unless DISPLAY is set), with the installed `limber`:

a. First painted frame. Limber, with ten years of sessions in its log, and a bare
   QMainWindow start in turn, `--runs` times each after one warm-up of each. In
   both, tests/bench/probe/sitecustomize.py (put on PYTHONPATH) prints "painted
   <seconds>" once the first frame of a top-level window was painted and flushed
   (see its docstring); seconds count from just before the process was started.
   Also timed, on arrival: the lines Limber prints under LIMBER_QUIT_WHEN_SHOWN
   ("shown", "painted", "library", "sessions"), and, from outside, the window's
   MapNotify seen by `xev -root`. Figure: the median of the paired ratios
   limber/bare of the first painted frame; goal at most 1.5x. The library filled
   (printed once the routines listed are painted) and the log read (the sessions
   shown) are given against the bare window's first paint.
b. Idle. A bare window, Limber on a fresh data folder and Limber with ten years
   of sessions, all open at once on their first page; once the sessions are
   shown and 5 s have passed, over `--idle-seconds`: CPU (utime+stime of all
   threads, /proc/PID/stat), wake-ups (voluntary and involuntary context
   switches of every thread, /proc/PID/task/*/status) by thread, and VmRSS at
   the end. Goals: Limber's own wake-ups (its count less the bare window's) at
   most 1/s, CPU at most 0.05 % of a core, RSS at most 1.6x the bare window's.
c. Playing. `limber play ROUTINE` (a fresh data folder), Space pressed with
   xdotool once the window is settled; CPU over `--play-seconds` from 2 s after
   the press, then the Paint events each widget gets over `--paint-seconds`
   (counted by the probe, whose event filter is off while the CPU is measured).
   Goal: at most 1 % of a core.

Every child runs with a temporary HOME, XDG_RUNTIME_DIR and LIMBER_DATA_DIR;
ALSA's default device is a file in that HOME, so cue sounds play without a
sound card. Needs Xvfb (when DISPLAY is unset) and xdotool; xev is optional.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).resolve().parent / "probe"
# Last on the path, for the benchmark's helpers: `app` is the installed Limber.
sys.path.append(str(ROOT))

from tests.bench.synthetic import sessions, write_log  # noqa: E402

TODAY = date(2026, 11, 21)
LOG_YEARS = 10
# Thoracic Spine Roller Twisters runs 2:45, long enough for both playing windows;
# Spinal Rotation in Heel Sitting (0:34) would end during them.
ROUTINE = "thoracic-spine-roller-twisters"
SETTLE_SECONDS = 5.0
START_TIMEOUT = 60.0
PAINTED_GOAL = 1.5
OWN_WAKEUPS_GOAL = 1.0
IDLE_CPU_GOAL = 0.05
RSS_GOAL = 1.6
PLAYING_CPU_GOAL = 1.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The same size as Limber's window on a fresh data folder.
BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1000, 700)
window.show()
sys.exit(app.exec())
"""


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


def verdict(held: bool) -> str:
    return "held" if held else "missed"


# -- the X server and the outside probe -------------------------------------------


@contextlib.contextmanager
def x_display() -> Iterator[str]:
    """DISPLAY as set, or a private Xvfb on a display number it picks itself."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise BenchError("DISPLAY is unset and Xvfb is not installed (apt-get install xvfb)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        number = _read_display_number(read_end)
        yield f":{number}"
    finally:
        os.close(read_end)
        stop(server)


def _read_display_number(fd: int) -> str:
    """Xvfb writes its display number to the -displayfd pipe once it accepts clients."""
    got = b""
    deadline = time.monotonic() + 20
    os.set_blocking(fd, False)
    while not got.endswith(b"\n"):
        if time.monotonic() > deadline:
            raise BenchError("Xvfb did not start within 20 s")
        try:
            chunk = os.read(fd, 16)
        except BlockingIOError:
            time.sleep(0.02)
            continue
        if not chunk:
            raise BenchError("Xvfb exited at start")
        got += chunk
    return got.decode().strip()


class MapWatcher:
    """`xev -root` watching top-level windows being mapped: the outside view of show()."""

    def __init__(self, env: dict[str, str]) -> None:
        self.maps: list[float] = []
        xev = shutil.which("xev")
        self._process = (
            subprocess.Popen(
                [xev, "-root", "-event", "substructure"],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=env,
            )
            if xev
            else None
        )
        if self._process is not None:
            threading.Thread(target=self._read, daemon=True).start()

    @property
    def available(self) -> bool:
        return self._process is not None

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            if line.startswith("MapNotify"):
                self.maps.append(time.monotonic())

    def first_map(self, start: float, end: float) -> float | None:
        """Seconds from `start` to the first window mapped before `end`."""
        within = [t for t in self.maps if start <= t <= end]
        return within[0] - start if within else None

    def close(self) -> None:
        if self._process is not None:
            stop(self._process)


# -- child processes ----------------------------------------------------------------


def stop(process: subprocess.Popen[str] | subprocess.Popen[bytes], *, group: bool = False) -> None:
    """Ends `process`; with `group`, then whatever is left of the process group it
    leads (the cue sounds a Limber started, say)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            process.wait(5)
    if group:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


@dataclass
class Child:
    """A process started with the probe, its stdout lines timed as they arrive."""

    name: str
    command: list[str]
    env: dict[str, str]
    stderr_path: Path
    commands: bool = False
    started: float = 0.0
    lines: queue.Queue[tuple[float, str | None]] = field(default_factory=queue.Queue)
    seen: list[tuple[float, str]] = field(default_factory=list)
    process: subprocess.Popen[str] | None = None

    def start(self, cwd: Path) -> Child:
        self.started = time.monotonic()
        env = {**self.env, "LIMBER_PROBE_T0": repr(self.started)}
        if self.commands:
            env["LIMBER_PROBE_COMMANDS"] = "1"
        with self.stderr_path.open("a") as errors:
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE if self.commands else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                env=env,
                cwd=cwd,
                start_new_session=True,  # its cue sounds are ended with it
            )
        threading.Thread(target=self._read, daemon=True).start()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.monotonic(), line.strip()))
        self.lines.put((time.monotonic(), None))

    def wait_for(self, wanted: Callable[[str], bool], timeout: float) -> str:
        """The first line from now on that is `wanted` (earlier ones are kept in `seen`)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise BenchError(f"{self.name}: nothing expected within {timeout:.0f} s") from None
            if line is None:
                raise BenchError(f"{self.name} exited early (its stderr is above)")
            self.seen.append((at, line))
            if wanted(line):
                return line

    def read_to_end(self, timeout: float) -> None:
        """Keeps the lines until the process ends; stops it after `timeout`."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                raise BenchError(
                    f"{self.name} did not end within {timeout:.0f} s (its stderr is above)"
                ) from None
            if line is None:
                break
            self.seen.append((at, line))
        self.process.wait(10)

    def ask(self, command: str, answer: str, timeout: float = 10.0) -> dict[str, object]:
        """Sends a command to the probe; its JSON answer, the line starting `answer`."""
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.wait_for(lambda text: text.startswith(answer + " "), timeout)
        return json.loads(line.partition(" ")[2])

    def tell(self, command: str) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def painted(self) -> float:
        """Waits for the probe's "painted <seconds>"; the seconds."""
        line = self.wait_for(lambda text: _probe_painted(text) is not None, START_TIMEOUT)
        value = _probe_painted(line)
        assert value is not None
        return value

    def marks(self) -> dict[str, float]:
        """Seconds from the start to each line seen: the probe's from its own clock."""
        marks: dict[str, float] = {}
        for at, line in self.seen:
            value = _probe_painted(line)
            if value is not None:
                marks["probe painted"] = value
            elif line.startswith("probe-first-paint "):
                words = line.split()
                marks["probe first paint"] = float(words[1])
                marks["probe overhead"] = float(words[3])
            else:
                marks.setdefault(line, at - self.started)
        return marks

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, group=True)


def _probe_painted(line: str) -> float | None:
    """The seconds of the probe's "painted <seconds>"; None for any other line (Limber's
    own "painted" has no number)."""
    words = line.split()
    if len(words) == 2 and words[0] == "painted":
        with contextlib.suppress(ValueError):
            return float(words[1])
    return None


# -- /proc ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadSample:
    name: str
    switches: int
    runtime_ns: int


@dataclass(frozen=True)
class Sample:
    at: float
    cpu_ticks: int
    child_ticks: int
    rss_kb: int
    threads: dict[int, ThreadSample]


def status_fields(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def sample(pid: int) -> Sample:
    """The process's CPU time, its reaped children's, its RSS, and each thread's
    context switches and time on a CPU."""
    proc = Path(f"/proc/{pid}")
    at = time.monotonic()
    # After the command's closing parenthesis, the state is proc(5)'s field 3.
    fields = (proc / "stat").read_text().rpartition(")")[2].split()
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    rss_kb = int(status_fields(proc / "status")["VmRSS"].split()[0])
    threads = {}
    for task in (proc / "task").iterdir():
        try:
            status = status_fields(task / "status")
            runtime_ns = int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended meanwhile
        switches = int(status["voluntary_ctxt_switches"]) + int(
            status["nonvoluntary_ctxt_switches"]
        )
        threads[int(task.name)] = ThreadSample(status["Name"], switches, runtime_ns)
    return Sample(at, utime + stime, cutime + cstime, rss_kb, threads)


@dataclass(frozen=True)
class Usage:
    """What a process did between two samples."""

    seconds: float
    cpu_percent: float
    child_cpu_percent: float
    runtime_percent: float
    wakeups: float  # per second, all threads
    rss_kb: int
    # (thread, wake-ups per second, ms on a CPU), busiest first
    threads: list[tuple[str, float, float]]
    ended_threads: int


def usage(before: Sample, after: Sample, names: dict[int, str]) -> Usage:
    seconds = after.at - before.at
    rows = []
    total_switches = total_runtime = 0
    for tid, thread in after.threads.items():
        earlier = before.threads.get(tid, ThreadSample(thread.name, 0, 0))  # born since
        switches = thread.switches - earlier.switches
        runtime = thread.runtime_ns - earlier.runtime_ns
        total_switches += switches
        total_runtime += runtime
        label = thread.name
        if tid in names and names[tid] not in ("MainThread", thread.name):
            label += f" [{names[tid]}]"
        elif names.get(tid) == "MainThread":
            label += " [main]"
        rows.append((label, switches / seconds, runtime / 1e6))
    rows.sort(key=lambda row: (-row[1], -row[2]))
    return Usage(
        seconds=seconds,
        cpu_percent=100 * (after.cpu_ticks - before.cpu_ticks) / CLOCK_TICKS / seconds,
        child_cpu_percent=100 * (after.child_ticks - before.child_ticks) / CLOCK_TICKS / seconds,
        runtime_percent=100 * total_runtime / 1e9 / seconds,
        wakeups=total_switches / seconds,
        rss_kb=after.rss_kb,
        threads=rows,
        ended_threads=len(before.threads.keys() - after.threads.keys()),
    )


def print_threads(name: str, use: Usage) -> None:
    print(f"    {name}, by thread (wake-ups/s, ms on a CPU in {use.seconds:.0f} s):")
    for label, wakeups, runtime_ms in use.threads:
        print(f"      {label:<34} {wakeups:7.2f}/s {runtime_ms:9.1f} ms")
    if use.ended_threads:
        print(f"      ({use.ended_threads} thread(s) ended during the window, not counted)")


# -- the three parts ----------------------------------------------------------------


@dataclass
class Setup:
    """Where the children run: their environment, folders and commands."""

    env: dict[str, str]
    scratch: Path
    limber: list[str]
    bare: list[str]
    big_data: Path
    sessions: int
    watcher: MapWatcher
    children: list[Child] = field(default_factory=list)

    def child(self, name: str, command: list[str], data: Path | None, **options: object) -> Child:
        env = dict(self.env)
        if data is not None:
            env["LIMBER_DATA_DIR"] = str(data)
        env.update({key: str(value) for key, value in options.items()})
        child = Child(name, command, env, self.scratch / "stderr.txt")
        self.children.append(child)
        return child

    def fresh_data(self, name: str) -> Path:
        folder = self.scratch / name
        folder.mkdir()
        return folder


def first_frames(setup: Setup, runs: int) -> None:
    results: dict[str, list[dict[str, float]]] = {"bare": [], "limber": []}
    for run in range(runs + 1):  # the first of each warms the file cache: not counted
        for name in ("bare", "limber"):
            if name == "bare":
                child = setup.child(
                    "the bare window", setup.bare, None, LIMBER_PROBE_QUIT_PAINTED=1
                )
            else:
                child = setup.child(
                    "limber", setup.limber, setup.big_data, LIMBER_QUIT_WHEN_SHOWN=1
                )
            child.start(setup.scratch)
            try:
                child.read_to_end(START_TIMEOUT)
            finally:
                child.stop()
            marks = child.marks()
            if "probe painted" not in marks:
                raise BenchError(f"{child.name}: the probe saw no painted frame")
            mapped = setup.watcher.first_map(child.started, time.monotonic())
            if mapped is not None:
                marks["mapped"] = mapped
            if run:
                results[name].append(marks)

    def median_ms(name: str, mark: str) -> float | None:
        values = [marks[mark] for marks in results[name] if mark in marks]
        return statistics.median(values) * 1000 if len(values) == runs else None

    def shown(name: str, marks: tuple[str, ...]) -> str:
        parts = []
        for mark in marks:
            value = median_ms(name, mark)
            if value is not None:
                parts.append(f"{mark} {value:.1f}")
        return ", ".join(parts)

    print(
        f"a. first painted frame: {runs} runs each, alternating after one warm-up each; "
        f"Limber's log holds {setup.sessions:,} sessions ({LOG_YEARS} years). Median ms "
        "from process start:"
    )
    outside = "mapped: MapNotify seen by xev, outside; " if setup.watcher.available else ""
    print(
        f"   ({outside}probe first paint: the first Paint event; probe painted: that frame "
        "flushed; probe overhead: the probe's own time until then)"
    )
    for name, label in (("bare", "bare PySide6 window"), ("limber", "limber")):
        probe = shown(name, ("mapped", "probe first paint", "probe painted", "probe overhead"))
        app_lines = shown(name, ("shown", "painted", "library", "sessions"))
        print(f"   {label:<20} {probe}")
        if app_lines:
            print(f"   {'':<20} lines printed by the app, on arrival: {app_lines}")
    ratios = [
        limber["probe painted"] / bare["probe painted"]
        for bare, limber in zip(results["bare"], results["limber"], strict=True)
    ]
    ratio = statistics.median(ratios)
    print(
        f"   first painted frame, limber/bare, median of {runs} paired ratios: {ratio:.2f}x "
        f"(range {min(ratios):.2f}-{max(ratios):.2f})   goal: at most {PAINTED_GOAL:.2f}x   "
        f"{verdict(ratio <= PAINTED_GOAL)}"
    )
    bare_painted = median_ms("bare", "probe painted")
    assert bare_painted is not None
    for mark, label in (("library", "library filled"), ("sessions", "log read (sessions shown)")):
        value = median_ms("limber", mark)
        if value is None:
            print(f"   {label}: n/a (limber did not print '{mark}' in every run)")
            continue
        print(
            f"   {label}: {value:.1f} ms = {value / bare_painted:.2f}x the bare window's "
            "first painted frame   goal: none given"
        )


def settled(child: Child, *, limber: bool) -> dict[str, object]:
    """Waits for the first frame and, in Limber, the logged sessions shown; the state."""
    child.painted()
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        state = child.ask("state", "probe-state")
        if not limber or state["sessions_shown"]:
            return state
        if time.monotonic() > deadline:
            raise BenchError(f"{child.name}: the sessions were not shown in time")
        time.sleep(0.2)


def idle(setup: Setup, seconds: float) -> None:
    children = {
        "bare": setup.child("the bare window", setup.bare, None),
        "limber": setup.child("limber", setup.limber, setup.fresh_data("idle-fresh")),
        "limber, 10 years": setup.child("limber, ten years", setup.limber, setup.big_data),
    }
    for child in children.values():
        child.commands = True
        child.start(setup.scratch)
    names: dict[str, dict[int, str]] = {}
    try:
        for key, child in children.items():
            settled(child, limber=key != "bare")
        for key, child in children.items():
            names[key] = {int(k): str(v) for k, v in child.ask("threads", "probe-threads").items()}
        time.sleep(SETTLE_SECONDS)
        before = {key: sample(child.pid) for key, child in children.items()}
        time.sleep(seconds)
        after = {key: sample(child.pid) for key, child in children.items()}
        for key, child in children.items():  # threads started during the window too
            later = child.ask("threads", "probe-threads")
            names[key].update({int(k): str(v) for k, v in later.items()})
    finally:
        for child in children.values():
            child.stop()
    uses = {key: usage(before[key], after[key], names[key]) for key in children}
    bare = uses["bare"]
    print(
        f"b. idle on the first page, {SETTLE_SECONDS:.0f} s after the sessions were shown, "
        f"over {bare.seconds:.1f} s, the three open at once:"
    )
    for key in ("limber", "limber, 10 years"):
        use = uses[key]
        label = "limber (fresh data folder)" if key == "limber" else "limber (10 years logged)"
        own = use.wakeups - bare.wakeups
        print(f"   {label}:")
        print(
            f"     wake-ups: {use.wakeups:.2f}/s, bare window {bare.wakeups:.2f}/s, "
            f"Limber's own {own:.2f}/s   goal: at most {OWN_WAKEUPS_GOAL:.0f}/s   "
            f"{verdict(own <= OWN_WAKEUPS_GOAL)}"
        )
        print(
            f"     CPU: {use.cpu_percent:.3f} % of a core (on a CPU by schedstat "
            f"{use.runtime_percent:.3f} %), bare window {bare.cpu_percent:.3f} % "
            f"({bare.runtime_percent:.3f} %)   goal: at most {IDLE_CPU_GOAL:.2f} %   "
            f"{verdict(use.cpu_percent <= IDLE_CPU_GOAL)}"
        )
        rss_ratio = use.rss_kb / bare.rss_kb
        print(
            f"     RSS: {use.rss_kb / 1024:.1f} MiB, bare window {bare.rss_kb / 1024:.1f} MiB, "
            f"{rss_ratio:.2f}x   goal: at most {RSS_GOAL:.2f}x   {verdict(rss_ratio <= RSS_GOAL)}"
        )
    for key, label in (
        ("bare", "bare window"),
        ("limber", "limber (fresh)"),
        ("limber, 10 years", "limber (10 years)"),
    ):
        print_threads(label, uses[key])


def press_space(setup: Setup, child: Child, window: int) -> None:
    """Focuses `window` and presses Space through the X server, as a keyboard would."""
    xdotool = shutil.which("xdotool")
    if xdotool is None:
        raise BenchError("xdotool is not installed (apt-get install xdotool)")
    for arguments in (["windowfocus", "--sync", str(window)], ["key", "space"]):
        subprocess.run(
            [xdotool, *arguments], env=setup.env, check=True, timeout=20, capture_output=True
        )
    deadline = time.monotonic() + 10
    while child.ask("state", "probe-state")["player"] != "RUNNING":
        if time.monotonic() > deadline:
            raise BenchError("limber: Space pressed with xdotool, but the routine did not start")
        time.sleep(0.1)


def playing(setup: Setup, routine: str, seconds: float, paint_seconds: float) -> None:
    child = setup.child(
        "limber play", [*setup.limber, "play", routine], setup.fresh_data("playing")
    )
    child.commands = True
    child.start(setup.scratch)
    try:
        state = settled(child, limber=True)
        if state["player"] != "READY":
            raise BenchError(f"limber play {routine}: the player is {state['player']}, not READY")
        time.sleep(SETTLE_SECONDS)
        names = {int(k): str(v) for k, v in child.ask("threads", "probe-threads").items()}
        window = state["window"]
        assert isinstance(window, int)
        press_space(setup, child, window)
        time.sleep(2)
        before = sample(child.pid)
        time.sleep(seconds)
        after = sample(child.pid)
        later = child.ask("threads", "probe-threads")
        names.update({int(k): str(v) for k, v in later.items()})
        child.tell("paints start")
        time.sleep(paint_seconds)
        paints = child.ask("paints stop", "probe-paints")
        still = child.ask("state", "probe-state")["player"]
    finally:
        child.stop()
    if still != "RUNNING":
        raise BenchError(f"the routine was {still} before the repaints were counted")
    use = usage(before, after, names)
    print(
        f"c. playing `limber play {routine}`, Space pressed (xdotool), from 2 s after the "
        f"press, over {use.seconds:.1f} s:"
    )
    print(
        f"   CPU: {use.cpu_percent:.3f} % of a core (on a CPU by schedstat "
        f"{use.runtime_percent:.3f} %)   goal: at most {PLAYING_CPU_GOAL:.2f} %   "
        f"{verdict(use.cpu_percent <= PLAYING_CPU_GOAL)}"
    )
    print(
        f"   cue sound processes ended meanwhile (reaped children), not counted above: "
        f"{use.child_cpu_percent:.3f} % of a core; wake-ups {use.wakeups:.2f}/s; "
        f"RSS {use.rss_kb / 1024:.1f} MiB"
    )
    print_threads("limber playing", use)
    counted = float(paints["seconds"])  # type: ignore[arg-type]
    counts: dict[str, list[float]] = paints["counts"]  # type: ignore[assignment]
    total = sum(count for count, _ in counts.values())
    print(
        f"   repaints while playing, over the next {counted:.1f} s (probe's filter on): "
        f"{total / counted:.1f} Paint events/s; by widget, Paint events/s and the mean share "
        "of the widget each repainted:"
    )
    for key, (count, shares) in sorted(counts.items(), key=lambda item: -item[1][0]):
        print(f"      {key:<44} {count / counted:7.2f}/s {100 * shares / count:5.0f} %")


# -- main ------------------------------------------------------------------------------


def limber_command() -> list[str]:
    """The entry script beside this interpreter, not a shim in front of it."""
    script = Path(sysconfig.get_path("scripts")) / "limber"
    found = str(script) if script.exists() else shutil.which("limber")
    if found is None:
        raise BenchError("the limber command is not installed (pip install .)")
    return [found]


def child_env(display: str, home: Path) -> dict[str, str]:
    """The environment every child gets: this one's, less anything that would point
    it at the user's files or a source tree, with the probe on PYTHONPATH."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "LIMBER_", "QT_", "PYTHONPATH", "DBUS_SESSION"))
    }
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700)
    (home / ".asoundrc").write_text(
        f'pcm.!default {{\n type file\n slave.pcm "null"\n'
        f' file "{home / "alsa.raw"}"\n format "raw"\n}}\n'
    )
    env.update(
        {
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(runtime),
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "PYTHONPATH": str(PROBE),
        }
    )
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="first frames of each (default 10)")
    parser.add_argument("--idle-seconds", type=float, default=60, help="idle window (default 60)")
    parser.add_argument(
        "--play-seconds", type=float, default=30, help="playing window (default 30)"
    )
    parser.add_argument(
        "--paint-seconds", type=float, default=10, help="repaints counted (default 10)"
    )
    parser.add_argument("--routine", default=ROUTINE, help=f"routine played (default {ROUTINE})")
    parser.add_argument(
        "--parts", default="abc", help="which parts to run, of a, b and c (default abc)"
    )
    args = parser.parse_args()
    try:
        return run(args)
    except BenchError as exc:
        print(f"perceived.py: {exc}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    limber = limber_command()
    from PySide6 import __version__ as pyside_version

    with tempfile.TemporaryDirectory(prefix="limber-perceived-") as folder:
        scratch = Path(folder)
        home = scratch / "home"
        home.mkdir()
        big_data = scratch / "ten-years"
        records, plans = sessions(LOG_YEARS * 365, 2, TODAY, days_off=0.0)
        write_log(big_data / "log", records, plans)
        with x_display() as display:
            env = child_env(display, home)
            watcher = MapWatcher(env)
            setup = Setup(
                env=env,
                scratch=scratch,
                limber=limber,
                bare=[sys.executable, "-c", BARE_WINDOW],
                big_data=big_data,
                sessions=len(records),
                watcher=watcher,
            )
            print(
                f"perceived.py: {limber[0]}, PySide6 {pyside_version}, Python "
                f"{sys.version.split()[0]}, X display {display} (QT_QPA_PLATFORM=xcb), "
                f"{os.cpu_count()} cores"
            )
            try:
                if "a" in args.parts:
                    first_frames(setup, args.runs)
                if "b" in args.parts:
                    idle(setup, args.idle_seconds)
                if "c" in args.parts:
                    playing(setup, args.routine, args.play_seconds, args.paint_seconds)
            except BenchError:
                errors = (scratch / "stderr.txt").read_text(errors="replace")[-3000:]
                if errors.strip():
                    print(
                        f"perceived.py: the children's stderr ends with:\n{errors}", file=sys.stderr
                    )
                raise
            finally:
                for child in setup.children:
                    child.stop()
                watcher.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
