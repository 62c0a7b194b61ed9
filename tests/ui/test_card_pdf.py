"""The printable card as a PDF: one page where it fits, shrunk a step at a time."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from app.cli import main
from app.domain.routine import Routine
from app.domain.routine_card import card_html
from app.storage.paths import user_routines_dir
from app.storage.routine_store import RoutineStore
from app.ui.card_pdf import SCALES, write_card_pdf
from tests.storage.test_routine_store import SEED_IDS


def pdf_pages(path: Path) -> int:
    """The page objects of a PDF ("/Type /Pages" is the tree that holds them)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


def longer(routine: Routine, exercises: int) -> Routine:
    """The routine with its exercises repeated up to `exercises` of them."""
    return replace(routine, exercises=(routine.exercises * exercises)[:exercises])


def five_movements() -> Routine:
    return RoutineStore(user_routines_dir()).find("five-movements-healthy-back").routine


@pytest.mark.parametrize("routine_id", sorted(SEED_IDS))
def test_the_card_of_every_builtin_routine_is_one_page(
    routine_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "card.pdf"
    assert main(["routines", "card", routine_id, str(target)]) == 0
    assert pdf_pages(target) == 1
    assert "page" not in capsys.readouterr().out


def test_a_card_a_little_long_is_set_smaller_to_fit_one_page(tmp_path: Path) -> None:
    target = tmp_path / "card.pdf"
    printed = write_card_pdf(card_html(longer(five_movements(), 8)), target)
    assert printed.pages == 1 and printed.scale in SCALES and printed.scale < 1
    assert pdf_pages(target) == 1
    # A shorter card is shrunk less.
    roomier = write_card_pdf(card_html(longer(five_movements(), 6)), tmp_path / "six.pdf")
    assert roomier.pages == 1 and roomier.scale > printed.scale


def test_a_card_too_long_for_one_page_is_printed_at_full_size_over_several(
    tmp_path: Path,
) -> None:
    target = tmp_path / "card.pdf"
    printed = write_card_pdf(card_html(longer(five_movements(), 15)), target)
    assert printed.pages > 1 and printed.scale == 1.0
    assert pdf_pages(target) == printed.pages
