"""Small text helpers every face uses, with no import of the model: the CLI loads
this module before it knows which command runs."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """ "1 session", "3 sessions": a count with its noun (one whose plural takes an s)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def one_line(text: str) -> str:
    """The text with line breaks and other control characters escaped, for one line
    of a terminal or a message (a file name or key may hold any character)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def clock_text(seconds: float) -> str:
    """Seconds as m:ss (rounded to the nearest second)."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
