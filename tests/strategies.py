"""Hypothesis strategies for valid routines."""

from __future__ import annotations

from hypothesis import strategies as st

from app.domain.routine import Exercise, Kind, Progression, Routine, Sides, Source

names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() != "")
lines = st.lists(names, max_size=3).map(tuple)
tempos = st.sampled_from([0.5, 1.0, 2.5, 3.0, 4.0])
whole_seconds = st.integers(min_value=1, max_value=90).map(float)


@st.composite
def reps_dose(draw: st.DrawFn) -> dict[str, object]:
    low = draw(st.integers(min_value=1, max_value=12))
    high = draw(st.none() | st.integers(min_value=low, max_value=15))
    return {"reps": low, "reps_max": high, "tempo": draw(st.none() | tempos)}


@st.composite
def progressions(draw: st.DrawFn, kind: Kind) -> Progression:
    name = draw(names)
    if kind is Kind.REPS:
        own = draw(st.booleans())
        dose = draw(reps_dose()) if own else {"tempo": draw(st.none() | tempos)}
        return Progression(name=name, instructions=draw(lines), **dose)  # type: ignore[arg-type]
    return Progression(name=name, instructions=draw(lines), seconds=draw(st.none() | whole_seconds))


@st.composite
def exercises(draw: st.DrawFn) -> Exercise:
    kind = draw(st.sampled_from(Kind))
    dose = draw(reps_dose()) if kind is Kind.REPS else {"seconds": draw(whole_seconds)}
    return Exercise(
        name=draw(names),
        kind=kind,
        instructions=draw(lines),
        sides=draw(st.sampled_from(Sides)),
        sets=draw(st.integers(min_value=1, max_value=3)),
        rest_seconds=draw(st.sampled_from([0.0, 10.0, 30.0])),
        rest_instruction=draw(st.sampled_from(["", "Shake it out"])),
        switch_seconds=draw(st.sampled_from([0.0, 3.0, 5.0])),
        progressions=tuple(draw(st.lists(progressions(kind), max_size=3))),
        notes=draw(st.sampled_from(["", "Chosen by the test"])),
        **dose,  # type: ignore[arg-type]
    )


ids = st.from_regex(r"\A[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?\Z")


@st.composite
def routines(draw: st.DrawFn) -> Routine:
    return Routine(
        id=draw(ids),
        name=draw(names),
        exercises=tuple(draw(st.lists(exercises(), min_size=1, max_size=4))),
        description=draw(st.sampled_from(["", "A description"])),
        tags=tuple(
            draw(
                st.lists(st.sampled_from(["warm-up", "hips", "thoracic"]), max_size=3, unique=True)
            )
        ),
        source=Source(
            title=draw(st.sampled_from(["", "An article"])),
            author=draw(st.sampled_from(["", "A. Author"])),
            url=draw(st.sampled_from(["", "https://example.org/a"])),
        ),
        notes=draw(st.sampled_from(["", "Some notes"])),
    )
