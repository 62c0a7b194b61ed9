"""Speech engines: text to a WAV file, offline, behind one protocol.

- espeak-ng (Linux; Debian's `espeak-ng` package), or the older espeak;
- the platform voice on macOS (`say -o`) and Windows (SAPI through PowerShell's
  System.Speech);
- piper, a neural voice, where the person installed it and chose a voice model.

Each engine runs as a program of its own. The text is data: it reaches the
program on its standard input (never in its arguments, never in a script), so a
routine's name cannot become an option or a command. A voice name is checked
before it becomes an argument.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

# Words a minute: espeak-ng's own default, clear to a person on the floor.
DEFAULT_RATE = 175
# A voice name or language code: letters, digits and a few marks, never an option.
VOICE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.+()-]{0,63}")
# One phrase renders in well under a second; a program stuck longer is broken.
RENDER_TIMEOUT = 30.0
ENGINE_NAMES = ("espeak-ng", "say", "sapi", "piper")


class SpeechError(Exception):
    """A phrase could not be rendered; the message says why, in a line."""


@dataclass(frozen=True)
class Voice:
    """A voice an engine offers: its id (what the setting holds) and what it speaks."""

    id: str
    language: str
    name: str


class SpeechEngine(Protocol):
    """Renders text to a WAV file with one voice at one rate."""

    @property
    def name(self) -> str:
        """The engine's name ("espeak-ng")."""
        ...

    @property
    def voice(self) -> str:
        """The voice in use ("" for the engine's default)."""
        ...

    @property
    def rate(self) -> int:
        """Words a minute."""
        ...

    def render(self, text: str, target: Path) -> None:
        """Writes `text`, spoken, to the WAV file `target`.

        Raises:
            SpeechError: when the engine fails.
        """
        ...

    def voices(self) -> list[Voice]:
        """The voices this engine offers here."""
        ...


def check_voice(voice: str) -> str:
    """`voice` when it is a plain voice name, else "" (the engine's default)."""
    return voice if VOICE_NAME.fullmatch(voice) else ""


def _run(command: list[str], text: str, env: dict[str, str] | None = None) -> str:
    # A bundled app has no console on Windows: each program would open one.
    hidden = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        done = subprocess.run(
            command,
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=RENDER_TIMEOUT,
            env=env,
            check=False,
            creationflags=hidden,
        )
    except subprocess.TimeoutExpired:
        raise SpeechError(
            f"{Path(command[0]).name} took over {RENDER_TIMEOUT:g} s to speak"
        ) from None
    except OSError as exc:
        raise SpeechError(f"{Path(command[0]).name} could not run: {exc.strerror}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        why = f": {said[-1][:200].rstrip('.')}" if said else ""
        raise SpeechError(f"{Path(command[0]).name} failed (exit status {done.returncode}){why}")
    return done.stdout.decode("utf-8", "replace")


def _listing(command: list[str]) -> str:
    """What a program lists (its voices); nothing when it fails."""
    try:
        return _run(command, "")
    except SpeechError:
        return ""


@dataclass(frozen=True)
class EspeakEngine:
    """espeak-ng (or espeak) at `program`."""

    program: str
    voice: str = ""
    rate: int = DEFAULT_RATE

    @property
    def name(self) -> str:
        return "espeak-ng"

    def render(self, text: str, target: Path) -> None:
        voice = ["-v", self.voice] if self.voice else []
        _run([self.program, *voice, "-s", str(self.rate), "-w", str(target), "--stdin"], text)

    def voices(self) -> list[Voice]:
        found: dict[str, Voice] = {}
        for line in _listing([self.program, "--voices"]).splitlines()[1:]:
            fields = line.split()
            # Pty Language Age/Gender VoiceName File [Other languages]; a voice is
            # chosen by its language, so of two for one language the first is it.
            if len(fields) >= 5 and fields[1] not in found:
                name = fields[3].replace("_", " ").strip()
                found[fields[1]] = Voice(fields[1], fields[1], name)
        return list(found.values())


@dataclass(frozen=True)
class SayEngine:
    """macOS's `say`, writing 16-bit WAV."""

    program: str = "say"
    voice: str = ""
    rate: int = DEFAULT_RATE

    @property
    def name(self) -> str:
        return "say"

    def render(self, text: str, target: Path) -> None:
        voice = ["-v", self.voice] if self.voice else []
        _run(
            [
                self.program,
                *voice,
                "-r",
                str(self.rate),
                "--file-format=WAVE",
                "--data-format=LEI16@22050",
                "-o",
                str(target),
                "-f",
                "-",
            ],
            text,
        )

    def voices(self) -> list[Voice]:
        found = []
        for line in _listing([self.program, "-v", "?"]).splitlines():
            match = re.match(r"(.+?)\s+([a-z]{2}[_-][A-Z]{2})\s", line)
            if match:
                found.append(Voice(match[1].strip(), match[2], match[1].strip()))
        return found


# PowerShell reads the text from its standard input and the rest from the
# environment: nothing of the phrase is ever part of the script.
_SAPI_SCRIPT = """
Add-Type -AssemblyName System.Speech
$speaker = New-Object System.Speech.Synthesis.SpeechSynthesizer
if ($env:LIMBER_VOICE) { $speaker.SelectVoice($env:LIMBER_VOICE) }
$speaker.Rate = [int]$env:LIMBER_RATE
$speaker.SetOutputToWaveFile($env:LIMBER_WAV)
$utf8 = [Text.Encoding]::UTF8
$speaker.Speak((New-Object IO.StreamReader([Console]::OpenStandardInput(), $utf8)).ReadToEnd())
$speaker.Dispose()
"""
_SAPI_VOICES = """
Add-Type -AssemblyName System.Speech
$speaker = New-Object System.Speech.Synthesis.SpeechSynthesizer
foreach ($v in $speaker.GetInstalledVoices()) {
  $i = $v.VoiceInfo; Write-Output ($i.Name + "`t" + $i.Culture.Name)
}
"""


@dataclass(frozen=True)
class SapiEngine:
    """Windows' voice (SAPI) through PowerShell's System.Speech."""

    program: str = "powershell"
    voice: str = ""
    rate: int = DEFAULT_RATE

    @property
    def name(self) -> str:
        return "sapi"

    def render(self, text: str, target: Path) -> None:
        # SAPI's rate runs from -10 to 10 with 0 about 180 words a minute.
        sapi_rate = max(-10, min(10, round((self.rate - 180) / 18)))
        env = {
            **os.environ,
            "LIMBER_WAV": str(target),
            "LIMBER_VOICE": self.voice,
            "LIMBER_RATE": str(sapi_rate),
        }
        _run([self.program, "-NoProfile", "-NonInteractive", "-Command", _SAPI_SCRIPT], text, env)

    def voices(self) -> list[Voice]:
        listing = _listing(
            [self.program, "-NoProfile", "-NonInteractive", "-Command", _SAPI_VOICES]
        )
        return [
            Voice(name, language, name)
            for name, _, language in (line.partition("\t") for line in listing.splitlines())
            if name.strip()
        ]


@dataclass(frozen=True)
class PiperEngine:
    """piper with the voice model file `model` (its `.onnx.json` beside it);
    `stamp` tells one version of the model file from another (phrases rendered
    with a model replaced since are not reused)."""

    program: str
    model: Path
    rate: int = DEFAULT_RATE
    stamp: str = ""

    @property
    def name(self) -> str:
        return "piper"

    @property
    def voice(self) -> str:
        return self.model.name

    def render(self, text: str, target: Path) -> None:
        # piper speaks at about espeak's default pace; a longer length is slower.
        scale = DEFAULT_RATE / max(1, self.rate)
        _run(
            [
                self.program,
                "--model",
                str(self.model),
                "--length_scale",
                f"{scale:.3f}",
                "--output_file",
                str(target),
            ],
            text,
        )

    def voices(self) -> list[Voice]:
        return [Voice(str(self.model), "", self.model.stem)]


def find_engine(
    choice: str = "auto", voice: str = "", rate: int = DEFAULT_RATE, piper_model: str = ""
) -> tuple[SpeechEngine | None, str]:
    """The engine to speak with, or None and why not (one line for the person).

    Args:
        choice: "auto" (piper with a model where chosen, else the platform's
            voice) or one of ENGINE_NAMES.
        voice: The voice (espeak-ng, say, SAPI); "" or a name that is not plain
            means the engine's default.
        rate: Words a minute.
        piper_model: The piper voice model file, where chosen.
    """
    engine, problem = _engine(choice, check_voice(voice), rate, piper_model)
    if engine is None or not engine.voice or engine.name == "piper":
        return engine, problem
    if any(engine.voice in (known.id, known.name) for known in engine.voices()):
        return engine, ""
    default = replace(engine, voice="")  # type: ignore[type-var]
    return default, (
        f"the voice “{engine.voice}” (speech_voice) is not one of {engine.name}'s here:"
        " its default voice speaks (limber voices lists them)"
    )


def _engine(
    choice: str, voice: str, rate: int, piper_model: str
) -> tuple[SpeechEngine | None, str]:
    if choice in ("auto", "piper") and piper_model:
        program = shutil.which("piper")
        model = Path(piper_model)
        try:
            found = model.resolve().stat() if model.suffix == ".onnx" and model.is_file() else None
        except OSError:  # a folder on its path that cannot be read
            found = None
        if program and found is not None:
            stamp = f"{found.st_size}:{found.st_mtime_ns}"
            return PiperEngine(program, model.resolve(), rate, stamp), ""
        if choice == "piper":
            missing = "piper is not installed" if not program else f"no voice model at {model}"
            return None, f"spoken cues are off: {missing}; chimes only"
    linux = sys.platform.startswith("linux")
    if choice == "espeak-ng" or (choice == "auto" and linux):
        program = shutil.which("espeak-ng") or shutil.which("espeak")
        if program:
            return EspeakEngine(program, voice, rate), ""
        return None, "spoken cues are off: install espeak-ng to hear them; chimes only"
    if choice in ("auto", "say") and sys.platform == "darwin":
        program = shutil.which("say")
        if program:
            return SayEngine(program, voice, rate), ""
    if choice in ("auto", "sapi") and sys.platform == "win32":
        program = shutil.which("powershell") or shutil.which("pwsh")
        if program:
            return SapiEngine(program, voice, rate), ""
    return None, "spoken cues are off: no speech engine found; chimes only"
