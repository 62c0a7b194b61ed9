"""Spoken cue benchmark: words on time, never over the "go", and rendered ahead.

Run:  python tests/bench/spoken_cues.py [--steps 100] [--step-seconds 1.2]

With espeak-ng (the engine on Linux) and ALSA's default device pointed at a file
in a temp HOME (the words really play, into the file), while another process
keeps the machine's other cores busy:

1. Render time: every phrase of each of the five shipped routines (all phrases
   on, so the most there can be), cold (an empty cache) and cached (the same
   phrases again, found on disk by a new cache).
2. Lead-in phrases: for each shipped routine with the default phrases, and the
   lengths just rendered, which version the cue thread would say for each phrase
   that leads into a step (whole, shortened, or its chime when none fits), and
   whether it ends before the step's "go". Goal: 100 % end before "go".
3. Onset and end at real time: a plan of short steps, each with a lead-in
   phrase, played through the real window, controller, cue thread and sound
   backend. For every phrase said: the error between its moment and the start
   of its sound process (p50, p99, max; goal p99 at most 5 ms, max at most
   20 ms, as for the chimes), and whether its sound process's start plus its
   length ends before the next step's "go".
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.domain.plan import Cue, CueKind, Plan, PlanSettings, PlanStep, StepKind, build_plan
from app.domain.routine import Side
from app.domain.spoken import DEFAULT_PHRASES, LEAD_GAP, Phrase, choose, lead_in, script, texts

# The repository's root, for tests.bench (app itself is the installed one: -P).
ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT))

from tests.bench.cue_timing import BURNER, percentile, play_through, report  # noqa: E402
from tests.sound import point_alsa_at_file  # noqa: E402

SAID = ("Left side.", "Right side.", "Switch sides.", "Rest.")


def shipped_plans(phrases: frozenset[Phrase]) -> list[Plan]:
    from app.main import open_library

    return [
        script(build_plan(stored.routine, PlanSettings(weak_side=Side.LEFT)), phrases)
        for stored in open_library().all()
        if stored.builtin
    ]


def render_times(folder: Path) -> dict[str, float]:
    """Renders every phrase of the shipped routines cold, then cached; prints both;
    returns the rendered length of each phrase."""
    from app.audio.phrase_cache import PhraseCache
    from app.audio.speech import find_engine

    engine, problem = find_engine("espeak-ng")
    if engine is None:
        raise SystemExit(f"spoken_cues.py: {problem}")
    print(f"render time ({engine.name}, {engine.rate} words a minute), every phrase on:")
    lengths: dict[str, float] = {}
    for plan in shipped_plans(frozenset(Phrase)):
        phrases = texts(plan)
        timings = []
        for _ in ("cold", "cached"):
            # A cache of the routine's own: cold means none of its phrases is there.
            cache = PhraseCache(engine, folder / "speech" / plan.routine_id)
            began = time.perf_counter()
            cache.prepare(phrases)
            cache.wait_idle(300)
            timings.append((time.perf_counter() - began, dict(cache.render_seconds)))
            for text in phrases:
                rendered = cache.lookup(text)
                if rendered is not None:
                    lengths[text] = rendered.seconds
            cache.close()
        (cold, each), (cached, _) = timings
        per_phrase = sorted(each.values())
        print(
            f"  {plan.routine_name:<34} {len(phrases):>3} phrases  cold {cold * 1000:7.0f} ms"
            f" (per phrase p50 {percentile(per_phrase, 0.5) * 1000:5.1f}, max"
            f" {max(per_phrase) * 1000:5.1f} ms)  cached {cached * 1000:6.1f} ms"
        )
    return lengths


def lead_ins(lengths: dict[str, float]) -> bool:
    """Prints what each shipped routine's lead-in phrases come to; whether all that
    are said end before their step's go."""
    print("lead-in phrases, default phrases, weaker side left:")
    all_end = True
    for plan in shipped_plans(DEFAULT_PHRASES):
        whole = shorter = chime = late = 0
        for step in plan.steps:
            for cue in step.cues:
                if not lead_in(cue):
                    continue
                words = choose(cue, lengths.get)
                if words is None:
                    chime += 1
                    continue
                whole += words == cue.words[0]
                shorter += words != cue.words[0]
                late += cue.at + lengths[words] > step.seconds - LEAD_GAP + 1e-9
        total = whole + shorter + chime
        ends = (total - chime - late) / max(1, total - chime)
        all_end = all_end and late == 0
        print(
            f"  {plan.routine_name:<34} {total:>3}: whole {whole}, shortened {shorter},"
            f" chime {chime}; said and ending before go: {ends:.0%}"
        )
    return all_end


def lead_in_steps(count: int, seconds: float, *, spoken: bool = True) -> Plan:
    """`count` steps of `seconds`, each opening with a lead-in phrase (or, not
    `spoken`, with the chime it replaces)."""
    steps = tuple(
        PlanStep(
            "Bench",
            0,
            StepKind.COUNTDOWN,
            seconds,
            cues=(
                Cue(
                    0.0,
                    CueKind.ANNOUNCE,
                    words=(SAID[i % len(SAID)],) if spoken else (),
                    room=seconds - LEAD_GAP,
                ),
            ),
        )
        for i in range(count)
    )
    return Plan("bench", "Bench", steps)


def run_at_real_time(plan: Plan, folder: Path) -> tuple[list[float], list[float], int]:
    """Plays `plan` in the real window; each phrase's onset error (ms), its end
    before the next go (ms, negative is over it), and how many gave way."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.audio.phrase_cache import PhraseCache
    from app.audio.playsound_player import PlaysoundCuePlayer
    from app.audio.speech import find_engine
    from app.domain.clock import SystemClock
    from app.main import assemble_window, open_library
    from app.storage.settings import Settings

    engine, _ = find_engine("espeak-ng")
    assert engine is not None
    _app = QApplication.instance() or QApplication([])  # kept while the window lives
    cues = PlaysoundCuePlayer(
        folder / "cache",
        volume=30,
        speech=lambda aside, report: PhraseCache(engine, folder / "speech", 30, stand_aside=aside),
    )
    if not cues.wait_ready() or not cues.status.available:
        raise SystemExit(f"spoken_cues.py: {cues.status.message}")
    cues.prepare(plan.cues())
    assert cues.phrases is not None and cues.phrases.wait_idle(60)
    window = assemble_window(Settings(folder), SystemClock(), cues, open_library(), None)
    window.show()
    play_through(window, plan)
    cues.drain(timeout=10)
    said = [launch for launch in cues.launches if launch.kind == "announce"]
    gave_way = sum(1 for launch in said if not launch.words)
    onsets = [(launch.started_at - launch.due_at) * 1000 for launch in said]
    step = plan.steps[0].seconds
    margins = [
        (launch.due_at + step - (launch.started_at + launch.seconds)) * 1000
        for launch in said
        if launch.words
    ]
    window.close()
    cues.close()
    return onsets, margins, gave_way


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--step-seconds", type=float, default=1.2)
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        print("spoken_cues.py: espeak-ng is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        home = folder / "home"
        home.mkdir()
        point_alsa_at_file(home, folder / "alsa.raw")
        os.environ["HOME"] = str(home)
        lengths = render_times(folder)
        all_end = lead_ins(lengths)
        burners = [
            subprocess.Popen([sys.executable, "-c", BURNER])
            for _ in range(max(1, (os.cpu_count() or 2) - 1))
        ]
        try:
            onsets, margins, gave_way = run_at_real_time(
                lead_in_steps(args.steps, args.step_seconds), folder
            )
            chimes, _, _ = run_at_real_time(
                lead_in_steps(args.steps, args.step_seconds, spoken=False), folder
            )
        finally:
            for burner in burners:
                burner.kill()
    print(
        f"at real time: {args.steps} steps of {args.step_seconds:g} s, each opening with a"
        f" phrase, {len(burners)} busy process(es) on the other core(s)"
    )
    # The first phrase is due the moment Start is pressed: its error is the
    # reaction to the key (reported apart, as tests/bench/cue_timing.py does).
    print(f"  Start pressed to the first phrase's sound process: {onsets[0]:.2f} ms")
    onsets, chimes = onsets[1:], chimes[1:]
    report("phrase onset (Qt controller + cue thread)", onsets)
    worst = sorted(range(len(onsets)), key=lambda i: -abs(onsets[i]))[:5]
    print("    worst: " + ", ".join(f"step {i + 2} {onsets[i]:+.2f} ms" for i in worst))
    report("baseline: the same steps with chimes", chimes)
    print(
        f"  phrases said {len(onsets) - gave_way}, gave way to the chime {gave_way};"
        f" ended before the next go: {sum(m >= 0 for m in margins)}/{len(margins)}"
        f" (closest {min(margins):.0f} ms before it)"
    )
    p99, worst = percentile(onsets, 0.99), max(abs(e) for e in onsets)
    verdict = "met" if p99 <= 5 and worst <= 20 else "NOT met"
    print(f"goal onset p99 <= 5 ms and max <= 20 ms: {verdict} (p99 {p99:.2f}, max {worst:.2f} ms)")
    ended = all_end and all(m >= 0 for m in margins)
    print(f"goal 100 % of lead-in phrases end before go: {'met' if ended else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
