"""Every example's handout, rendered: its page count with and without a clinic's longest
lines, the outcome that matters first, and sources numbered in order (docs/design.md section
6). Over every example in CI, three locally (tests/gates/gate_sets.py)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Final

import pypdf
import pytest

from decision_aid.consult import Language
from decision_aid.files import read_consult_file
from decision_aid.handout import ClinicDetails, Paper, _pdf
from tests.gates.gate_sets import COURSE_EXAMPLES, EXAMPLES
from tests.helpers import content, example_paths
from tests.unit.handout.handout_helpers import all_text, render, render_example, texts

LANGUAGES: Final = list(Language)
PAPERS: Final = list(Paper)

SOURCES_LINE: Final = re.compile(r"(?:Sources|Fuentes): (\d+(?:, \d+)*)")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", sorted(COURSE_EXAMPLES))
def test_a_course_examples_handout_is_its_consults_without_the_plan_and_course(
    example: str, lang: Language
) -> None:
    """The handout never reads the plan or the course (docs/design.md 13.5: the decision
    handout prints no leaning, and the plan has a page of its own): so the gates over every
    example leave the course examples out (tests/gates/gate_sets.py)."""
    consult = next(
        read_consult_file(path)
        for path in example_paths()
        if path.name == f"{example}.consult.json"
    )
    assert consult.plan is not None
    assert consult.course
    without = consult.model_copy(update={"plan": None, "course": [], "course_end": None})
    assert render(consult, lang) == render(without, lang)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_fits_three_to_four_pages(example: str, lang: Language, paper: Paper) -> None:
    pdf = render_example(f"{example}.consult.json", lang, paper)
    assert 3 <= len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= _pdf.MAX_PAGES


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", EXAMPLES)
def test_a_clinics_details_and_an_overdue_notice_still_fit_four_letter_pages(
    example: str, lang: Language
) -> None:
    """The longest page 1 a clinic prints, on the shorter paper."""
    consult = next(
        read_consult_file(path)
        for path in example_paths()
        if path.name == f"{example}.consult.json"
    )
    clinic = ClinicDetails(
        "Northside Community Pain and Rheumatology Clinic of the Greater Valley Region",
        "Dr. Alexandra Montgomery-Fitzgerald, MD, PhD",
        "Call (555) 555-0199 weekdays 8 am to 6 pm, or write to painclinic@example.org",
    )
    late = content().pack.next_review + dt.timedelta(days=1)
    pdf = render(consult, lang, Paper.LETTER, clinic, today=late)
    assert 3 <= len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= _pdf.MAX_PAGES


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", EXAMPLES)
def test_the_outcome_that_matters_comes_first(example: str, lang: Language) -> None:
    """Relief at 8 weeks before relief at 15 minutes, on every handout."""
    text = all_text(render_example(f"{example}.consult.json", lang, Paper.LETTER))
    times = texts(lang).results.pictures[0].times
    assert text.index(times["fm_relief_week8"]) < text.index(times["fm_relief_15min"])


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", EXAMPLES)
def test_every_cited_number_is_in_the_source_list(example: str, lang: Language) -> None:
    text = all_text(render_example(f"{example}.consult.json", lang, Paper.LETTER))
    title = texts(lang).references_title
    body, _, references = text.rpartition(f" {title} ")
    cited = {int(n) for mark in SOURCES_LINE.findall(body) for n in mark.split(", ")}
    # An entry starts with its number: one or two digits, after a space or the start.
    listed = {int(n) for n in re.findall(r"(?<!\S)(\d{1,2})\. (?=\S)", references)}
    assert cited == set(range(1, max(cited) + 1))
    assert cited <= listed
