"""A printable routine card: the exercises, reps per side, holds and source, as HTML."""

from __future__ import annotations

from html import escape

from app.domain import text
from app.domain.plan import Plan, build_plan
from app.domain.routine import Exercise, Kind, Routine, Sides

STYLE = """
body { font-family: sans-serif; font-size: 11pt; }
h1 { font-size: 20pt; margin-bottom: 2pt; }
.source { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #bbb; padding: 4pt 6pt; text-align: left;
         vertical-align: top; }
th { background: #eee; }
.cues { color: #333; font-size: 10pt; }
"""


def card_html(routine: Routine, plan: Plan | None = None) -> str:
    """The card of a routine as a standalone HTML page (UTF-8)."""
    plan = plan or build_plan(routine)
    source = routine.source
    credit = " ".join(
        part
        for part in (
            f"From “{escape(source.title)}”" if source.title else "",
            f"by {escape(source.author)}" if source.author else "",
        )
        if part
    )
    if source.url:
        credit += f' <a href="{escape(source.url, quote=True)}">{escape(source.url)}</a>'
    rows = "\n".join(
        _row(number, exercise) for number, exercise in enumerate(routine.exercises, start=1)
    )
    notes = f"<p>{escape(routine.notes)}</p>" if routine.notes else ""
    tags = f"<p>Tags: {escape(', '.join(routine.tags))}</p>" if routine.tags else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(routine.name)}</title>
<style>{STYLE}</style></head><body>
<h1>{escape(routine.name)}</h1>
<p class="source">{credit}</p>
<p>{escape(routine.description)}</p>
<table>
<tr><th width="4%">#</th><th width="42%">Exercise</th><th width="10%">Sets</th>
<th width="26%">Each set</th><th width="18%">Notes</th></tr>
{rows}
</table>
<p>About {text.clock_text(plan.total_seconds)} in all, with a 5-second get-ready
before each exercise. A weaker side goes second and gets the top of a rep range.</p>
{notes}{tags}
</body></html>
"""


def _row(number: int, exercise: Exercise) -> str:
    stages = exercise.progressions
    dose = _dose(exercise.reps, exercise.reps_max, exercise.tempo, exercise.seconds, exercise.kind)
    if stages:
        dose += "<br>" + "<br>".join(
            f"{n}. {escape(p.name)}: "
            + _dose(
                p.reps if p.reps is not None else exercise.reps,
                p.reps_max if p.reps is not None else p.reps_max or exercise.reps_max,
                p.tempo if p.tempo is not None else exercise.tempo,
                p.seconds or exercise.seconds,
                exercise.kind,
            )
            for n, p in enumerate(stages, start=1)
        )
    sides = {
        Sides.NONE: "",
        Sides.EACH: " per side",
        Sides.ALTERNATING: " per side, sides alternating",
    }[exercise.sides]
    rest = (
        f", rest {exercise.rest_seconds:g} s" if exercise.sets > 1 and exercise.rest_seconds else ""
    )
    cues = "".join(f"<br>{escape(line)}" for line in exercise.instructions)
    return (
        f"<tr><td>{number}</td><td><b>{escape(exercise.name)}</b>"
        f"<span class='cues'>{cues}</span></td><td>{exercise.sets}{rest}</td>"
        f"<td>{dose}{sides}</td><td>{escape(exercise.notes)}</td></tr>"
    )


def _dose(
    reps: int | None, reps_max: int | None, tempo: float | None, seconds: float | None, kind: Kind
) -> str:
    if kind is Kind.REPS:
        pace = f" at {tempo:g} s a rep" if tempo else " at your pace"
        if reps_max and reps_max != reps:
            return f"{reps}-{reps_max} reps{pace}"
        return f"{text.counted(reps or 0, 'rep')}{pace}"
    verb = "hold" if kind is Kind.HOLD else "move for"
    return f"{verb} {seconds:g} s"
