"""The clinician note: length, content for every status, urgent first, overdue notice."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, Final

import pytest
from hypothesis import given, settings

from decision_aid import clock
from decision_aid.catalogue import Level, Status
from decision_aid.consult import Consult, Language, Medication
from decision_aid.files import read_consult_file
from decision_aid.note import MAX_CHARACTERS, clinician_note, key_sentence
from decision_aid.rules import assess
from tests.helpers import content, example_paths, safe_consult
from tests.strategies import consults

if TYPE_CHECKING:
    from pathlib import Path

    from decision_aid.content import Content


def note_of(consult: Consult) -> str:
    return clinician_note(consult, assess(consult, content()), content())


# Every finding that can fire at once (one value per answer): more than a note can hold.
EVERYTHING = safe_consult(
    patient={"age_years": 16, "pregnancy": "pregnant"},
    fibromyalgia={
        "diagnosis": "suspected",
        "symptom_months": 2,
        "wpi": 3,
        "sss": 3,
        "pain_regions": 2,
    },
    prior_treatments=[
        {"therapy": "cbt", "outcome": "helping"},
        {"therapy": "duloxetine", "outcome": "unknown"},
    ],
    comorbidities={"depression": "current", "phq9_total": 22, "phq9_item9": 3, "crps": "diagnosed"},
    safety={
        "cardiovascular": "poorly_controlled",
        "vascular_hazard": "present",
        "liver": "severe",
        "psychosis": "active",
        "bipolar": "history",
        "intracranial_pressure": "raised",
        "intraocular_pressure": "raised",
        "urinary_symptoms": "present",
        "hyperthyroidism": "present",
        "sleep_apnea": "present",
        "porphyria": "present",
        "ketamine_hypersensitivity": "yes",
        "medications": [medication.value for medication in Medication],
    },
    substance_use={"status": "active", "substances": ["alcohol", "ketamine_or_dissociatives"]},
    insurance={"coverage": "uninsured", "covers_ketamine_for_pain": "no", "can_self_pay": "no"},
)

# A consult for each status, each small enough for the note to hold every finding in full.
BY_STATUS = {
    Status.MAY_DISCUSS: safe_consult(),
    Status.STANDARD_CARE_FIRST: safe_consult(prior_treatments=[]),
    Status.SPECIALIST_REVIEW: safe_consult(safety={"cardiovascular": "controlled"}),
    Status.INCOMPLETE: safe_consult(safety={"liver": "unknown", "psychosis": "unknown"}),
    Status.NOT_ADVISED: safe_consult(
        safety={"liver": "severe"}, comorbidities={"phq9_total": 4, "phq9_item9": 1}
    ),
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
    assert "Handout: no handout given yet." in note
    assert "\nDecision: leaning: Unsure; SURE 4/4: no decisional conflict" in note
    for finding in assessment.findings:
        assert finding.title in note or finding.text in note
    assert note.endswith("Considerations for the clinician, not orders.")


def test_the_longest_consult_fits_keeps_every_stop_and_counts_what_it_leaves_out() -> None:
    assessment = assess(EVERYTHING, content())
    note = note_of(EVERYTHING)
    assert len(note) <= MAX_CHARACTERS
    assert assessment.urgent
    # Urgent, stop and check findings are never dropped (docs/design.md section 8).
    assert sum(finding.level is Level.STOP for finding in assessment.findings) >= 13
    for finding in assessment.urgent:
        assert f"URGENT: {finding.text}" in note
    for finding in assessment.findings:
        if finding.level is Level.STOP:
            key = key_sentence(finding.text).removesuffix(".")
            assert finding.title in note or key in note, finding.rule
    listed = [finding for finding in assessment.findings if not finding.urgent]
    shown = sum(line.startswith("- ") for line in note.splitlines())
    hidden = len(listed) - shown
    assert hidden > 0
    assert f"(+{hidden} more findings, see decision-aid)" in note
    assert "Handout: no handout given yet." in note
    assert "suicide risk today: outcome not recorded" in note


@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.name)
def test_every_example_fits(path: Path) -> None:
    consult = read_consult_file(path)
    note = note_of(consult)
    assert len(note) <= MAX_CHARACTERS
    assert "\nDecision: leaning: " in note
    assert "\nHandout: no handout given yet." in note or "\nHandout given: " in note


def test_optional_questions_not_answered_are_named() -> None:
    consult = safe_consult(
        patient={"weight_kg": None},
        comorbidities={"crps": "unknown"},
        fibromyalgia={"pain_nrs": None},
    )
    note = note_of(consult)
    assert "Still unknown (required)" not in note
    optional = note.split("Not answered (optional): ")[1].splitlines()[0]
    for path in ("patient.weight_kg", "comorbidities.crps", "fibromyalgia.pain_nrs"):
        assert content().questions.label(path) in optional
    # A required answer is never listed as optional.
    assert content().questions.label("comorbidities.depression") not in optional


def test_required_item9_is_named_as_required_not_optional() -> None:
    consult = safe_consult(comorbidities={"depression": "current", "phq9_item9": None})
    note = note_of(consult)
    required = note.split("Still unknown (required): ")[1].splitlines()[0]
    assert content().questions.label("comorbidities.phq9_item9") in required


def test_answers_in_conflict_are_named() -> None:
    note = note_of(safe_consult(substance_use={"status": "none", "substances": ["opioids"]}))
    title = content().rulebook.rules["check.substances_vs_status"].title
    assert f"In conflict (correct one answer): {title}." in note
    assert "Status: Incomplete" in note


def test_what_the_worst_case_leaves_out_is_said() -> None:
    note = note_of(EVERYTHING)
    # The answers that do not fit are counted, not lost quietly.
    assert re.search(r"Answers used: (\d+|.*; \+\d+ more), see decision-aid\.", note), note


def test_weight_and_age_are_in_the_note() -> None:
    assert "\nAge 45; weight 70 kg.\n" in note_of(safe_consult())
    unknown = safe_consult(patient={"weight_kg": None, "age_years": None})
    assert "\nAge not known; weight not known.\n" in note_of(unknown)


@pytest.mark.parametrize(
    ("sure", "shown"),
    [
        ({}, "SURE 4/4: no decisional conflict [Légaré 2010];"),
        ({"has_support_and_advice": "no"}, "SURE 3/4: any 'no' suggests decisional conflict ["),
        (
            {"sure_of_best_choice": "no", "clear_what_matters": "no"},
            "SURE 2/4: any 'no' suggests decisional conflict [Légaré 2010];",
        ),
        # Three yes and one not asked: the score cannot rule conflict in or out.
        ({"has_support_and_advice": "unknown"}, "SURE 3/4 (1 not asked);"),
        (
            {"has_support_and_advice": "unknown", "clear_what_matters": "no"},
            "SURE 2/4 (1 not asked): any 'no' suggests decisional conflict [",
        ),
        (
            {
                "sure_of_best_choice": "unknown",
                "knows_benefits_and_risks": "unknown",
                "clear_what_matters": "unknown",
                "has_support_and_advice": "unknown",
            },
            "SURE 0/4 (4 not asked);",
        ),
    ],
)
def test_the_decision_line_gives_the_sure_score(sure: dict[str, str], shown: str) -> None:
    note = note_of(safe_consult(decision={"sure": sure}))
    decision = next(line for line in note.splitlines() if line.startswith("Decision: "))
    assert shown in decision


def test_the_decision_line_gives_leaning_and_teach_back() -> None:
    consult = safe_consult(decision={"leaning": "research_study", "teach_back": "not_done"})
    decision = next(line for line in note_of(consult).splitlines() if line.startswith("Decision: "))
    questions = content().questions
    # As the pack writes them, never re-cased ("IV", "Not done").
    assert "leaning: " + questions.option_label("decision.leaning", "research_study") in decision
    assert "teach-back: " + questions.option_label("decision.teach_back", "not_done") in decision
    ketamine = safe_consult(decision={"leaning": "ketamine"})
    assert "leaning: IV ketamine infusions;" in note_of(ketamine)


@pytest.mark.parametrize(
    ("item9", "risk", "shown"),
    [
        (0, "high", None),
        (None, "not_assessed", None),
        (1, "low", "suicide risk today: low."),
        (2, "moderate", "suicide risk today: moderate."),
        (3, "high", "suicide risk today: HIGH."),
        (1, "not_assessed", "suicide risk today: not yet assessed."),
        (2, "unknown", "suicide risk today: outcome not recorded."),
    ],
)
def test_the_suicide_risk_outcome_is_stated_when_item9_calls_for_it(
    item9: int | None, risk: str, shown: str | None
) -> None:
    consult = safe_consult(
        comorbidities={"phq9_total": 5, "phq9_item9": item9}, decision={"suicide_risk": risk}
    )
    decision = next(line for line in note_of(consult).splitlines() if line.startswith("Decision: "))
    if shown is None:
        assert "suicide risk" not in decision
    else:
        assert decision.endswith(shown)


def test_the_handout_given_is_stated() -> None:
    assert "\nHandout: no handout given yet.\n" in note_of(safe_consult())
    # The handout language the patient would get is not a handout given.
    spanish = safe_consult(patient={"handout_language": "es"})
    assert "Handout: no handout given yet." in note_of(spanish)
    stamp = content().stamp
    given = {"language": "es", "paper": "a4", "content_stamp": stamp}
    # The language's name is the pack's (questions.yaml), as the window shows it.
    note = note_of(safe_consult(decision={"handout": given}))
    assert "\nHandout given: Spanish (español), A4.\n" in note
    older = {"language": "en", "paper": "letter", "content_stamp": "abcdef12"}
    note = note_of(safe_consult(decision={"handout": older}))
    assert "\nHandout given: English, Letter, content abcdef12.\n" in note


def with_rule_texts(**changes: str) -> Content:
    """The built-in pack with every rule's title and text replaced by ``changes``."""
    rulebook = content().rulebook
    rules = {rule_id: text.model_copy(update=changes) for rule_id, text in rulebook.rules.items()}
    return content().model_copy(update={"rulebook": rulebook.model_copy(update={"rules": rules})})


def test_a_pack_with_long_titles_shortens_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock, "today", lambda: content().pack.next_review + dt.timedelta(days=1))
    long_pack = with_rule_texts(title="A very long clinic title " * 4, text="Clinic text " * 20)
    assessment = assess(EVERYTHING, long_pack)
    note = clinician_note(EVERYTHING, assessment, long_pack)
    assert len(note) <= MAX_CHARACTERS
    # Every stop's title shares one line before anything is cut, and the cut says so.
    stops = sum(finding.level is Level.STOP for finding in assessment.findings)
    assert stops > 10
    assert "- Stop: A very long clinic title" in note
    assert "(note shortened, see decision-aid)" in note
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
    assert "[Kroenke 2001; ICSI depression guideline]" in note


def test_sources_and_answers_are_named() -> None:
    note = note_of(safe_consult(safety={"cardiovascular": "controlled"}))
    assert "[Cohen 2018]" in note
    assert "Answers used: Heart disease or high blood pressure: Controlled." in note


def test_unknown_required_answers_are_listed() -> None:
    note = note_of(safe_consult(safety={"liver": "unknown"}))
    assert "Still unknown (required): Liver disease." in note


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
    assert all(content().stamp in page.extract_text() for page in pages)
    assert content().stamp in note_of(consult)


@settings(max_examples=150, deadline=None)
@given(consults())
def test_any_consult_fits_and_keeps_the_pack_line(consult: Consult) -> None:
    note = note_of(consult)
    assert len(note) <= MAX_CHARACTERS
    assert f"Content: {content().label}; " in note


# Five cautions with interacting medicines: their full texts do not fit together, their key
# sentences do.
SEVERAL_CAUTIONS: Final = {
    "safety": {
        "psychosis": "past_episode",
        "bipolar": "history",
        "dissociative_disorder": "present",
        "urinary_symptoms": "present",
        "medications": ["benzodiazepine", "opioid", "lamotrigine", "maoi"],
    }
}


def test_a_shortened_note_keeps_each_findings_key_sentence() -> None:
    consult = safe_consult(**SEVERAL_CAUTIONS)
    assessment = assess(consult, content())
    note = note_of(consult)
    assert len(note) <= MAX_CHARACTERS
    full = [finding for finding in assessment.findings if finding.text in note]
    assert len(full) < len(assessment.findings)  # it had to shorten
    for finding in assessment.findings:
        if finding.level is not Level.INFO:
            assert key_sentence(finding.text).removesuffix(".") in note, finding.rule
    # The shortened medicines caution still names the medicines it cautions about (lamotrigine
    # is information, in a finding of its own).
    named = content().questions.answer_text(
        "safety.medications", ["benzodiazepine", "opioid", "maoi"]
    )
    assert f"({named})." in note


def test_a_caution_is_never_dropped_while_its_title_could_name_it() -> None:
    consult = safe_consult(
        safety={
            **SEVERAL_CAUTIONS["safety"],
            "sleep_apnea": "present",
            "porphyria": "present",
            "liver": "mild_moderate",
            "medications": ["benzodiazepine", "opioid", "lamotrigine", "maoi", "stimulant"],
        },
        substance_use={"status": "in_remission", "substances": ["alcohol", "cannabis"]},
    )
    assessment = assess(consult, content())
    note = note_of(consult)
    assert len(note) <= MAX_CHARACTERS
    for finding in assessment.findings:
        if finding.level is Level.CAUTION:
            key = key_sentence(finding.text).removesuffix(".")
            assert finding.title in note or key in note, finding.rule


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Age 16: out of scope. The evidence is in adults.", "Age 16: out of scope."),
        ("One sentence only.", "One sentence only."),
        (
            "PHQ-9 item 9 is 2: assess it (grade B). (Then) more.",
            "PHQ-9 item 9 is 2: assess it (grade B).",
        ),
        (
            'Grade D (weak or no evidence) for fibromyalgia. "Quoted" next.',
            "Grade D (weak or no evidence) for fibromyalgia.",
        ),
    ],
)
def test_the_key_sentence_is_the_first_sentence(text: str, key: str) -> None:
    assert key_sentence(text) == key


def test_a_shortened_sleep_apnoea_caution_keeps_that_sedatives_are_also_taken() -> None:
    safety = {
        **SEVERAL_CAUTIONS["safety"],
        "sleep_apnea": "present",
        "dissociative_disorder": "none",
    }
    consult = safe_consult(safety=safety)
    finding = assess(consult, content()).fired("caution.sleep_apnea")
    assert finding is not None
    note = note_of(consult)
    line = next(line for line in note.splitlines() if "Sleep apnoea" in line)
    assert finding.text not in line  # shortened
    variant = content().rulebook.rules["caution.sleep_apnea"].variants["with_sedatives"]
    assert variant in line


@pytest.mark.parametrize(
    ("sections", "line"),
    [
        (
            {},
            "Whatever the remaining answers: not better than standard care first; "
            "at worst not advised.",
        ),
        (
            {"safety": {"liver": "unknown"}},
            "The remaining answers decide: anything from may discuss to not advised.",
        ),
        (
            {"substance_use": {"status": "in_remission", "substances": None}},
            "Whatever the remaining answers: not better than specialist review; at worst not "
            "advised.",
        ),
    ],
)
def test_an_incomplete_note_says_what_the_remaining_answers_can_make_of_it(
    sections: dict[str, Any], line: str
) -> None:
    consult = safe_consult(**sections) if sections else Consult()
    status_line, bounds = note_of(consult).splitlines()[1:3]
    assert status_line.startswith("Status: Incomplete")
    assert bounds == line


def test_no_bounds_line_when_nothing_required_is_unknown() -> None:
    assert "remaining answers" not in note_of(safe_consult())
    # Incomplete only because two answers conflict: the conflict line says what to correct.
    conflict = safe_consult(substance_use={"status": "none", "substances": ["alcohol"]})
    note = note_of(conflict)
    assert "Status: Incomplete" in note
    assert "remaining answers" not in note
    assert "In conflict (correct one answer)" in note


def test_questions_the_consult_does_not_ask_are_not_listed_as_unanswered() -> None:
    never_had_ketamine = note_of(safe_consult(insurance={"coverage": "uninsured"}))
    assert "Not answered (optional)" not in never_had_ketamine
    course = safe_consult(ketamine_exposure={"status": "past_course", "harms": []})
    optional = note_of(course).split("Not answered (optional): ")[1].splitlines()[0]
    assert content().questions.label("ketamine_exposure.response") in optional


def test_a_consistency_check_cites_no_empty_brackets() -> None:
    consult = safe_consult(substance_use={"status": "none", "substances": ["cannabis"]})
    note = note_of(consult)
    line = next(line for line in note.splitlines() if line.startswith("- Check answers:"))
    assert "[]" not in line
