"""Start-up hands the memory it used and freed back to the system."""

from __future__ import annotations

import linecache

import app.main
from app.main import give_back_free_memory


def test_the_source_lines_read_at_start_up_are_forgotten() -> None:
    # PySide6's import hook reads every module's source into linecache.
    assert linecache.getlines(app.main.__file__)
    assert app.main.__file__ in linecache.cache
    give_back_free_memory()  # and, on glibc, malloc_trim: must not raise
    assert app.main.__file__ not in linecache.cache
