"""Small text helpers every face uses, with no import of the model: the CLI loads
this module before it knows which command runs."""

from __future__ import annotations

import math


def counted(count: int, noun: str) -> str:
    """ "1 session", "3 sessions": a count with its noun (one whose plural takes an s)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def one_line(text: str) -> str:
    """The text with line breaks and other control characters escaped, for one line
    of a terminal or a message (a file name or key may hold any character)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def whole_seconds(seconds: float) -> int:
    """Seconds rounded to the nearest whole second, a half always up (152.5 is 153).

    The one rounding rule of every time Limber prints (the plan, the library's
    totals, History, the summaries, the CSV file), so that a time never rounds
    one way in one place and the other way in another; Python's `round` sends a
    half to the even neighbour (152.5 to 152 but 157.5 to 158). The player's big
    countdown is the one exception: it counts whole seconds left, rounded up.
    """
    return math.floor(seconds + 0.5)


def clock_text(seconds: float) -> str:
    """Seconds as m:ss, rounded by `whole_seconds` (a half up: 152.5 s is 2:33)."""
    whole = whole_seconds(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
