"""playsound3's ALSA backend, starting `aplay` without a `preexec_fn`.

playsound3 starts every player process with a `preexec_fn` (to ask the kernel
for SIGTERM when its parent dies). A `preexec_fn` makes Python fork the whole
process and run Python code in the child before `exec`: with Limber's 120 MB
and its threads, `Popen` then takes 7.7 ms at the median and up to 15 ms, where
without it Python starts the player by `vfork` in 0.4 ms (2.5 ms at most); and
the Python docs call a `preexec_fn` unsafe in a program with threads. A cue's
moment depends on how long its process takes to start, so this backend starts
`aplay` plainly. What is lost: if Limber is killed, a sound already playing
plays to its end (a chime or a phrase, a few seconds at most); Limber stops its
sounds itself on any other exit.

Imported on the cue thread, with playsound3 (which this subclasses: its `Sound`,
and its check that aplay and mpg123 are there, are playsound3's own).
"""

from __future__ import annotations

import subprocess

from playsound3.playsound3 import Alsa


class QuickAlsa(Alsa):
    """ALSA through `aplay`, started by `vfork`; other files as playsound3 plays them."""

    def play(self, sound: str) -> subprocess.Popen[str]:
        if not sound.lower().endswith(".wav"):
            return super().play(sound)
        return subprocess.Popen(
            ["aplay", "--quiet", sound],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,  # as playsound3's own (no pipes: nothing is read)
        )
