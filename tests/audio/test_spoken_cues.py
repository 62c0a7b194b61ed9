"""Spoken cues through the real cue thread, espeak-ng and ALSA's file device."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.audio.phrase_cache import PhraseCache
from app.audio.playsound_player import PlaysoundCuePlayer
from app.audio.speech import EspeakEngine
from app.domain.plan import Cue, CueKind
from tests.audio.test_playsound_player import wait_for

ANNOUNCE = Cue(
    0.5,
    CueKind.ANNOUNCE,
    words=("Right side. Spinal rotation in heel sitting. 3 reps.", "Right side."),
    room=4.2,
)


@pytest.fixture
def speaking(alsa_file: Path, tmp_path: Path) -> Iterator[PlaysoundCuePlayer]:
    program = shutil.which("espeak-ng")
    assert program is not None, "espeak-ng is not installed (.ci/run installs it)"

    def speech(stand_aside: Callable[[], None], report: Callable[[str], None]) -> PhraseCache:
        return PhraseCache(
            EspeakEngine(program), tmp_path / "speech", stand_aside=stand_aside, report=report
        )

    player = PlaysoundCuePlayer(tmp_path / "cache", volume=100, speech=speech)
    assert player.wait_ready() and player.status.available, player.status.message
    yield player
    player.close()


def ready(player: PlaysoundCuePlayer, *cues: Cue) -> None:
    player.prepare(cues)
    assert player.phrases is not None and player.phrases.wait_idle(30)


def said(player: PlaysoundCuePlayer) -> list[tuple[str, str]]:
    return [(launch.kind, launch.words) for launch in player.launches if launch.kind != "silence"]


def test_a_rendered_phrase_is_said_in_place_of_its_chime_on_time(
    speaking: PlaysoundCuePlayer, alsa_file: Path
) -> None:
    ready(speaking, ANNOUNCE)
    due = time.monotonic() + 0.3
    speaking.play(ANNOUNCE, due)
    assert wait_for(lambda: said(speaking))
    speaking.drain(timeout=10)
    launch = speaking.launches[-1]
    assert launch.words == ANNOUNCE.words[0]
    assert 1.0 < launch.seconds <= ANNOUNCE.room
    assert abs(launch.started_at - launch.due_at) < 0.05
    assert alsa_file.stat().st_size > 22050 * 2  # over a second of speech reached ALSA


def test_a_phrase_not_rendered_yet_gives_way_to_its_chime(speaking: PlaysoundCuePlayer) -> None:
    speaking.play(ANNOUNCE, time.monotonic())
    speaking.play(Cue(1.0, CueKind.SPEECH, words=("Halfway.",), room=5), time.monotonic())
    speaking.drain(timeout=10)
    assert said(speaking) == [("announce", "")]  # words with no chime of their own: nothing


def test_a_phrase_too_long_for_its_room_is_said_shorter(speaking: PlaysoundCuePlayer) -> None:
    tight = Cue(0.5, CueKind.ANNOUNCE, words=ANNOUNCE.words, room=1.5)
    ready(speaking, tight)
    speaking.play(tight, time.monotonic())
    speaking.drain(timeout=10)
    assert said(speaking) == [("announce", "Right side.")]


def test_ticks_inside_a_phrase_are_dropped_and_the_go_after_it_sounds(
    speaking: PlaysoundCuePlayer,
) -> None:
    ready(speaking, ANNOUNCE)
    now = time.monotonic() + 0.2
    speaking.play(ANNOUNCE, now)
    for second in (1.5, 2.5):
        speaking.play(Cue(second, CueKind.COUNT, "3"), now + second)
    assert speaking.phrases is not None
    rendered = speaking.phrases.lookup(ANNOUNCE.words[0])
    assert rendered is not None
    speaking.play(Cue(4.5, CueKind.GO), now + rendered.seconds + 0.3)
    speaking.drain(timeout=15)
    assert [kind for kind, _ in said(speaking)] == ["announce", "go"]


def test_words_still_being_said_stop_when_the_cues_are_cancelled(
    speaking: PlaysoundCuePlayer,
) -> None:
    ready(speaking, ANNOUNCE)
    speaking.play(ANNOUNCE, time.monotonic())
    assert wait_for(lambda: said(speaking))
    began = time.monotonic()
    # The person paused or skipped: the old words must not run on, and the cue
    # player says whose words it cut (the driver says them again on going on).
    assert speaking.cancel() == ANNOUNCE
    speaking.drain(timeout=10)
    assert time.monotonic() - began < 1.0
    assert speaking.status.available, "a phrase stopped on purpose is not a failed device"
    assert speaking.cancel() is None  # nothing being said: nothing cut


def test_words_said_to_their_end_are_not_reported_cut(speaking: PlaysoundCuePlayer) -> None:
    short = Cue(0.5, CueKind.ANNOUNCE, words=("Right side.",), room=4.2)
    ready(speaking, short)
    speaking.play(short, time.monotonic())
    speaking.drain(timeout=10)
    assert said(speaking) == [("announce", "Right side.")]
    # Once the words have lasted their length (ALSA's file device takes the
    # samples at once, so the process ends before), none are cut any more.
    assert speaking.launches[-1].seconds > 0.3
    assert wait_for(lambda: speaking.cancel() is None)


def test_words_asked_for_before_the_cue_thread_starts_are_rendered_once_it_does(
    alsa_file: Path, tmp_path: Path
) -> None:
    program = shutil.which("espeak-ng")
    assert program is not None

    def speech(stand_aside: Callable[[], None], report: Callable[[str], None]) -> PhraseCache:
        return PhraseCache(EspeakEngine(program), tmp_path / "speech", stand_aside=stand_aside)

    player = PlaysoundCuePlayer(tmp_path / "cache", speech=speech, start=False)
    try:
        assert player.speaks  # it will look for an engine: a plan may be given words
        player.prepare([ANNOUNCE])  # a routine loaded before the window's first frame
        player.start()
        assert player.wait_ready()
        assert player.phrases is not None and player.phrases.wait_idle(30)
        assert player.phrases.lookup(ANNOUNCE.words[-1]) is not None
    finally:
        player.close()


def test_no_speech_engine_is_said_once_in_the_status_and_cues_stay_chimes(
    alsa_file: Path, tmp_path: Path
) -> None:
    heard = []
    player = PlaysoundCuePlayer(
        tmp_path / "cache",
        speech=lambda stand_aside, report: report("spoken cues are off: no engine") or None,
        start=False,
    )
    player.on_status(heard.append)
    try:
        player.start()
        assert player.wait_ready()
        assert not player.speaks
        assert player.status.voice == "spoken cues are off: no engine"
        player.play(ANNOUNCE, time.monotonic())
        player.drain(timeout=10)
        assert said(player) == [("announce", "")]
    finally:
        player.close()
    assert sum(status.voice != "" for status in heard) >= 1


def test_muting_stops_words_being_said(speaking: PlaysoundCuePlayer) -> None:
    ready(speaking, ANNOUNCE)
    speaking.play(ANNOUNCE, time.monotonic())
    assert wait_for(lambda: said(speaking))
    began = time.monotonic()
    speaking.set_muted(True)
    speaking.drain(timeout=10)
    assert time.monotonic() - began < 1.0  # not the 3 s the words would take
    assert speaking.status.available


def test_a_phrase_handed_over_late_is_said_shorter_to_end_in_its_room(
    speaking: PlaysoundCuePlayer,
) -> None:
    ready(speaking, ANNOUNCE)
    # Due 2 s ago (the machine stalled): 2.2 s of its 4.2 s room are left.
    speaking.play(ANNOUNCE, time.monotonic() - 2.0)
    speaking.drain(timeout=10)
    assert said(speaking) == [("announce", "Right side.")]


def test_a_speech_engine_that_breaks_while_found_leaves_the_chimes(
    alsa_file: Path, tmp_path: Path
) -> None:
    def speech(stand_aside: Callable[[], None], report: Callable[[str], None]) -> PhraseCache:
        raise PermissionError("voices: permission denied")

    player = PlaysoundCuePlayer(tmp_path / "cache", speech=speech)
    try:
        assert player.wait_ready() and player.status.available
        assert "permission denied" in player.status.voice
        player.play(ANNOUNCE, time.monotonic())
        player.drain(timeout=10)
        assert said(player) == [("announce", "")]
    finally:
        player.close()


def test_words_can_be_quieted_while_chimes_go_on(speaking: PlaysoundCuePlayer) -> None:
    ready(speaking, ANNOUNCE)
    speaking.play(ANNOUNCE, time.monotonic())
    assert wait_for(lambda: said(speaking))
    began = time.monotonic()
    speaking.quiet_words()  # speech turned off mid-phrase
    speaking.play(Cue(0.0, CueKind.GO), time.monotonic())
    speaking.drain(timeout=10)
    assert time.monotonic() - began < 1.0
    assert [kind for kind, _ in said(speaking)] == ["announce", "go"]


def test_the_switch_interval_is_short_only_while_a_cue_is_close(
    speaking: PlaysoundCuePlayer,
) -> None:
    import sys

    from app.audio.playsound_player import CUE_SWITCH_INTERVAL, PYTHON_SWITCH_INTERVAL

    speaking.play(Cue(0.0, CueKind.GO), time.monotonic() + 0.3)
    assert wait_for(lambda: sys.getswitchinterval() == CUE_SWITCH_INTERVAL)
    speaking.drain(timeout=10)
    assert wait_for(lambda: sys.getswitchinterval() == PYTHON_SWITCH_INTERVAL)
