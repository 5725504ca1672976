"""The clinician note: length, content for every status, urgent first, overdue notice."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings

from decision_aid import clock
from decision_aid.catalogue import Status
from decision_aid.consult import Consult, Language
from decision_aid.files import read_consult_file
from decision_aid.note import MAX_CHARACTERS, clinician_note
from decision_aid.rules import assess
from tests.helpers import content, example_paths, safe_consult
from tests.strategies import consults

if TYPE_CHECKING:
    from pathlib import Path

    from decision_aid.content import Content


def note_of(consult: Consult, **options: object) -> str:
    return clinician_note(consult, assess(consult, content()), content(), **options)  # type: ignore[arg-type]


# A consult for each status; every finding that can fire at once is in the last one.
EVERYTHING = safe_consult(
    patient={"age_years": 16, "pregnancy": "pregnant"},
    fibromyalgia={"diagnosis": "suspected", "symptom_months": 2, "wpi": 3, "sss": 3},
    prior_treatments=[{"therapy": "cbt", "outcome": "helping"}],
    comorbidities={"depression": "current", "phq9_total": 22, "phq9_item9": 3, "crps": "diagnosed"},
    safety={
        "cardiovascular": "poorly_controlled",
        "liver": "severe",
        "psychosis": "active",
        "intracranial_pressure": "raised",
        "intraocular_pressure": "raised",
        "urinary_symptoms": "present",
        "ketamine_hypersensitivity": "yes",
        "medications": ["benzodiazepine", "opioid", "lamotrigine", "other_cns_depressant"],
    },
    substance_use={"status": "active", "substances": ["alcohol", "ketamine_or_dissociatives"]},
    insurance={"coverage": "uninsured", "covers_ketamine_for_pain": "no", "can_self_pay": "no"},
)

BY_STATUS = {
    Status.MAY_DISCUSS: safe_consult(),
    Status.STANDARD_CARE_FIRST: safe_consult(prior_treatments=[]),
    Status.SPECIALIST_REVIEW: safe_consult(safety={"cardiovascular": "controlled"}),
    Status.INCOMPLETE: safe_consult(safety={"liver": "unknown", "psychosis": "unknown"}),
    Status.NOT_ADVISED: EVERYTHING,
}


@pytest.mark.parametrize("status", list(Status))
def test_note_for_every_status(status: Status) -> None:
    consult = BY_STATUS[status]
    assessment = assess(consult, content())
    assert assessment.status is status
    note = note_of(consult)
    assert len(note) <= MAX_CHARACTERS
    assert f"Status: {content().rulebook.statuses[status]}." in note
    assert content().label in note
    assert "Handout given: English, content 2026.12.0." in note
    for finding in assessment.findings:
        assert finding.title in note or finding.text in note
    assert "Considerations for the clinician, not orders." in note


def test_the_longest_consult_still_fits_and_keeps_every_finding() -> None:
    note = note_of(EVERYTHING)
    assert len(note) <= MAX_CHARACTERS
    for finding in assess(EVERYTHING, content()).findings:
        assert finding.title in note or finding.text in note


@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.name)
def test_every_example_fits(path: Path) -> None:
    assert len(note_of(read_consult_file(path))) <= MAX_CHARACTERS


def test_optional_questions_not_answered_are_named() -> None:
    note = note_of(safe_consult(comorbidities={"depression": "unknown", "phq9_item9": None}))
    assert "Not answered (optional): " in note
    assert "Depression" in note.split("Not answered (optional): ")[1]
    assert "PHQ-9 item 9 (0-3)" in note.split("Not answered (optional): ")[1]


def test_what_the_worst_case_leaves_out_is_said() -> None:
    note = note_of(EVERYTHING)
    # Every stop finding is named; the answers that do not fit are counted, not lost quietly.
    assert "Answers used: PHQ-9 item 9 (0-3): 3; " in note
    assert "more, see decision-aid." in note


def with_rule_texts(**changes: str) -> Content:
    """The built-in pack with every rule's title and text replaced by ``changes``."""
    rulebook = content().rulebook
    rules = {rule_id: text.model_copy(update=changes) for rule_id, text in rulebook.rules.items()}
    return content().model_copy(update={"rulebook": rulebook.model_copy(update={"rules": rules})})


def test_a_pack_with_long_titles_drops_whole_findings_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock, "today", lambda: content().pack.next_review + dt.timedelta(days=1))
    long_pack = with_rule_texts(title="A very long clinic title " * 4, text="Clinic text " * 20)
    assessment = assess(EVERYTHING, long_pack)
    note = clinician_note(EVERYTHING, assessment, long_pack)
    assert len(note) <= MAX_CHARACTERS
    listed = [finding for finding in assessment.findings if not finding.urgent]
    hidden = len(listed) - sum(line.startswith("- ") for line in note.splitlines())
    assert hidden > 0
    assert f"(+{hidden} more findings, see decision-aid)" in note
    # What identifies the pack and its review state is never what gets dropped.
    assert note.endswith("Considerations for the clinician, not orders.")
    assert long_pack.label in note
    assert "Content overdue for review" in note


def test_an_absurdly_long_urgent_text_is_cut_at_a_word_and_says_so() -> None:
    words = " ".join(f"word{number}" for number in range(400))
    long_pack = with_rule_texts(text=words)
    note = clinician_note(EVERYTHING, assess(EVERYTHING, long_pack), long_pack)
    assert len(note) <= MAX_CHARACTERS
    urgent = next(line for line in note.splitlines() if line.startswith("URGENT: "))
    kept = urgent.removeprefix("URGENT: ").removesuffix(" ... (note shortened, see decision-aid)")
    assert urgent.endswith("(note shortened, see decision-aid)")
    assert words.startswith(kept + " ")
    assert long_pack.label in note


def test_urgent_comes_before_the_findings() -> None:
    note = note_of(safe_consult(comorbidities={"phq9_item9": 2}))
    assert note.index("URGENT: PHQ-9 item 9 is 2") < note.index("Findings:")
    assert "[Kroenke 2001]" in note


def test_sources_and_answers_are_named() -> None:
    note = note_of(safe_consult(safety={"cardiovascular": "controlled"}))
    assert "[Cohen 2018]" in note
    assert "Answers used: Heart disease or high blood pressure: Controlled." in note


def test_unknown_required_answers_are_listed() -> None:
    note = note_of(safe_consult(safety={"liver": "unknown"}))
    assert "Still unknown (required): Liver disease." in note


def test_the_handout_language_given_is_stated() -> None:
    assert "Handout given: Spanish" in note_of(safe_consult(), handout_language=Language.ES)
    spanish_consult = safe_consult(patient={"handout_language": "es"})
    assert "Handout given: Spanish" in note_of(spanish_consult)


def test_no_identifiers_and_no_orders_to_the_patient() -> None:
    note = note_of(EVERYTHING).lower()
    for word in ("name", "birth", "mrn", "you should", "you must"):
        assert word not in note


def test_overdue_notice_only_after_next_review(monkeypatch: pytest.MonkeyPatch) -> None:
    next_review = content().pack.next_review
    for day in (content().pack.last_reviewed, next_review - dt.timedelta(days=1), next_review):
        monkeypatch.setattr(clock, "today", lambda day=day: day)
        assert "overdue" not in note_of(safe_consult())
    monkeypatch.setattr(clock, "today", lambda: next_review + dt.timedelta(days=1))
    assert "Content overdue for review" in note_of(safe_consult())


def test_the_handout_carries_the_same_stamp_as_the_note_on_every_page() -> None:
    import io

    from pypdf import PdfReader

    from decision_aid.handout import Paper, render_handout

    consult = safe_consult()
    pdf = render_handout(consult, assess(consult, content()), content(), Language.EN, Paper.A4)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert all(f"({content().stamp})" in page.extract_text() for page in pages)
    assert content().stamp in note_of(consult)


@settings(max_examples=150)
@given(consults())
def test_any_consult_fits_and_keeps_the_pack_line(consult: Consult) -> None:
    note = note_of(consult)
    assert len(note) <= MAX_CHARACTERS
    assert f"Content: {content().label}; " in note
