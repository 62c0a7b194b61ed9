"""Runtime hook: programs Limber starts get the user's library path, not the bundle's.

On Linux, PyInstaller's bootloader puts the bundle's _internal folder first on
LD_LIBRARY_PATH (and keeps a value the user had in LD_LIBRARY_PATH_ORIG). The
sound cues are played by system programs (gst-play-1.0, aplay); inheriting that
path, gst-play-1.0 loads the bundle's GLib, zlib, libffi... instead of the
system's, and fails wherever the system is newer than the machine the bundle
was built on. This is the restore PyInstaller documents ("LD_LIBRARY_PATH /
LIBPATH considerations"). The frozen program itself is unaffected: the dynamic
loader reads LD_LIBRARY_PATH once, when the process starts.
"""

import os
import sys


def _restore_library_path() -> None:
    if not getattr(sys, "frozen", False) or sys.platform in ("win32", "darwin"):
        return
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = original


_restore_library_path()
