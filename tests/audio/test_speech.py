"""Speech engines and the phrase cache, with the real espeak-ng of Debian."""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time
import wave
from pathlib import Path

import pytest

from app.audio.phrase_cache import SILENCE_LEVEL, PhraseCache
from app.audio.sounds import read_samples
from app.audio.speech import (
    EspeakEngine,
    SapiEngine,
    SpeechError,
    check_voice,
    find_engine,
)

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(
    ESPEAK is None and not sys.platform.startswith("linux"),
    reason="espeak-ng is Linux's engine (.ci/run installs it)",
)


@pytest.fixture
def espeak() -> EspeakEngine:
    assert ESPEAK is not None, "espeak-ng is not installed (.ci/run installs it)"
    return EspeakEngine(ESPEAK)


def loudest(path: Path) -> int:
    _, samples = read_samples(path)
    return max(abs(s) for s in samples)


@needs_espeak
def test_espeak_ng_renders_real_speech_to_a_wav_file(espeak: EspeakEngine, tmp_path: Path) -> None:
    target = tmp_path / "said.wav"
    espeak.render("Right side. Spinal rotation.", target)
    with wave.open(str(target)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert 1.0 < seconds < 4.0
    assert loudest(target) > 5000


@needs_espeak
def test_the_text_is_data_never_an_option_of_the_engine(
    espeak: EspeakEngine, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.wav"
    target = tmp_path / "said.wav"
    espeak.render(f"-w {elsewhere} --voices", target)
    assert target.exists() and not elsewhere.exists()


@needs_espeak
def test_the_engine_lists_its_voices(espeak: EspeakEngine) -> None:
    voices = espeak.voices()
    assert any(voice.id == "en-us" for voice in voices)
    assert all(check_voice(voice.id) == voice.id for voice in voices)
    # Once each, named without espeak-ng's trailing underscore ("Cherokee_").
    assert len({voice.id for voice in voices}) == len(voices)
    assert all(voice.name == voice.name.strip() for voice in voices)


def test_a_voice_name_that_could_be_an_option_or_a_path_is_the_default() -> None:
    assert check_voice("en-gb") == "en-gb"
    assert check_voice("-w/tmp/x") == ""
    assert check_voice("../../voices/evil") == ""
    assert check_voice("a\nb") == ""


def test_no_engine_on_the_path_is_said_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    engine, problem = find_engine("auto")
    assert engine is None
    assert "chimes only" in problem and "\n" not in problem


def test_piper_chosen_without_its_model_says_which_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    engine, problem = find_engine("piper", piper_model=str(tmp_path / "voice.onnx"))
    assert engine is None
    assert "piper" in problem


def test_a_failing_engine_is_a_speech_error_not_a_traceback(tmp_path: Path) -> None:
    engine = EspeakEngine(str(tmp_path / "no-such-espeak"))
    with pytest.raises(SpeechError, match="could not run"):
        engine.render("Hello.", tmp_path / "x.wav")


def test_windows_voice_gets_the_text_on_its_input_not_in_its_script(tmp_path: Path) -> None:
    """PowerShell is not here: a stand-in program shows what SAPI's would be given."""
    seen = tmp_path / "seen.txt"
    stand_in = tmp_path / "powershell"
    stand_in.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        f"open({str(seen)!r}, 'w').write(json.dumps([sys.argv[1:], sys.stdin.read(),"
        " os.environ['LIMBER_WAV']]))\n"
    )
    stand_in.chmod(0o755)
    phrase = '"; Remove-Item C:\\ -Recurse; "'
    SapiEngine(str(stand_in)).render(phrase, tmp_path / "x.wav")
    argv, given, wav = json.loads(seen.read_text())
    assert given == phrase
    assert all(phrase not in argument for argument in argv)
    assert wav == str(tmp_path / "x.wav")


@needs_espeak
def test_phrases_are_rendered_trimmed_and_measured_then_found_in_the_cache(
    espeak: EspeakEngine, tmp_path: Path
) -> None:
    cache = PhraseCache(espeak, tmp_path / "speech")
    phrases = ["Right side. Spinal rotation.", "Rest."]
    cache.prepare(phrases)
    assert cache.wait_idle(30)
    first = cache.lookup(phrases[0])
    assert first is not None and cache.lookup("never asked") is None
    _, samples = read_samples(first.path)
    assert abs(samples[0]) > SILENCE_LEVEL, "the leading silence was kept"
    untrimmed = tmp_path / "raw.wav"
    espeak.render(phrases[0], untrimmed)
    with wave.open(str(untrimmed)) as raw:
        assert first.seconds < raw.getnframes() / raw.getframerate() - 0.1
    written = first.path.stat().st_mtime_ns
    cache.close()

    again = PhraseCache(espeak, tmp_path / "speech")
    again.prepare(phrases)
    assert again.wait_idle(30)
    found = again.lookup(phrases[0])
    assert found == first and found.path.stat().st_mtime_ns == written
    again.close()


@needs_espeak
def test_a_volume_below_100_gets_a_quieter_copy(espeak: EspeakEngine, tmp_path: Path) -> None:
    cache = PhraseCache(espeak, tmp_path / "speech")
    cache.prepare(["Halfway."])
    assert cache.wait_idle(30)
    full = cache.lookup("Halfway.")
    cache.set_volume(25)
    assert cache.wait_idle(30)
    quiet = cache.lookup("Halfway.")
    cache.close()
    assert full is not None and quiet is not None and quiet.path != full.path
    assert quiet.seconds == pytest.approx(full.seconds)
    assert loudest(quiet.path) == pytest.approx(loudest(full.path) / 4, abs=2)


def test_an_engine_that_fails_is_reported_once_and_its_phrases_give_way(tmp_path: Path) -> None:
    heard: list[str] = []
    cache = PhraseCache(
        EspeakEngine(str(tmp_path / "gone")), tmp_path / "speech", report=heard.append
    )
    cache.prepare(["One.", "Two.", "Three."])
    assert cache.wait_idle(30)
    cache.close()
    assert len(heard) == 1 and "chimes play instead" in heard[0]
    assert cache.lookup("One.") is None
    assert not list((tmp_path / "speech").glob("*.wav"))


@needs_espeak
def test_rendering_stands_aside_while_a_cue_is_about_to_start(
    espeak: EspeakEngine, tmp_path: Path
) -> None:
    gate = threading.Event()
    waits: list[float] = []

    def stand_aside() -> None:
        waits.append(time.monotonic())
        gate.wait(10)

    cache = PhraseCache(espeak, tmp_path / "speech", stand_aside=stand_aside)
    cache.prepare(["Go on."])
    time.sleep(0.2)  # the speech thread is held at the gate, as the cue thread would hold it
    assert waits and cache.lookup("Go on.") is None
    gate.set()
    assert cache.wait_idle(30)
    assert cache.lookup("Go on.") is not None
    cache.close()


def test_piper_is_found_with_its_model_and_a_new_model_file_is_a_new_voice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    program = tmp_path / "bin" / "piper"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\nexit 1\n")  # found on the PATH, never run here
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(program.parent))
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"one")
    first, _ = find_engine("piper", piper_model=str(model))
    model.write_bytes(b"other model")
    second, _ = find_engine("piper", piper_model=str(model))
    assert first is not None and second is not None and first.name == "piper"
    assert repr(first) != repr(second)  # the phrase cache keys on it


@needs_espeak
def test_a_voice_the_engine_does_not_have_is_said_and_its_default_speaks() -> None:
    engine, problem = find_engine("espeak-ng", voice="klingonx")
    assert engine is not None and engine.voice == ""
    assert "klingonx" in problem and "speech_voice" in problem
    known, fine = find_engine("espeak-ng", voice="en-gb")
    assert known is not None and known.voice == "en-gb" and fine == ""
