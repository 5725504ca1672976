"""The clinician note's course block (docs/design.md sections 13.4 and 13.7, items 7 and 8): the
plan, the record, the status with its measures, the course's findings and end, in the pack's
words; the whole note under 1,500 characters for the worst consult with a 20-visit course, its
urgent, stop and check findings all there; no date in the block."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.catalogue import Level
from decision_aid.consult import Consult
from decision_aid.content import load_content
from decision_aid.course import assess_course
from decision_aid.note import MAX_CHARACTERS, clinician_note, key_sentence
from decision_aid.note_course import course_summary
from decision_aid.rules import assess
from tests.course_consults import (
    DATE_SHAPED,
    DESIGN_PLAN,
    WORST_PLAN,
    design_example,
    visit,
    with_course,
    worst_visits,
)
from tests.course_strategies import planned_consult_data
from tests.helpers import content, copy_pack, edit, safe_consult
from tests.unit.test_note import EVERYTHING

if TYPE_CHECKING:
    from pathlib import Path

    from decision_aid.content import Content


def note_of(consult: Consult, pack: Content | None = None) -> str:
    pack = pack or content()
    return clinician_note(consult, assess(consult, pack), pack)


def course_block(note: str) -> list[str]:
    """The lines between the decision line and the handout line."""
    lines = note.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Decision: "))
    end = next(i for i, line in enumerate(lines) if line.startswith("Handout"))
    return lines[start + 1 : end]


DESIGN_SENTENCE = (
    "Trial plan (made at may discuss): pain over the past 7 days at least 30% below 7 (4 or "
    "less) and PGIC much or very much improved; judged after infusion 4; stop rules: blood "
    "pressure during infusion, new bladder symptoms; liver tests before infusion 1 and every 3."
)


def test_the_design_example_reads_as_the_design_writes_it() -> None:
    block = course_block(note_of(design_example()))
    assert block[0] == DESIGN_SENTENCE
    assert block[1] == (
        "5 infusions over 28 days and 1 review; pain (7 days): 7, 6, 5, 5, 4, 4; "
        "ketamine recorded 420 mg in 5 infusions."
    )
    assert block[2] == (
        "Course: responding, judged after 5 infusions (plan: from 4): pain 4, 43% lower than "
        "7, met; PGIC much improved, met."
    )


def test_a_consult_without_a_plan_has_no_course_block() -> None:
    consult = safe_consult()
    note = note_of(consult)
    assert course_block(note) == []
    assert "Trial plan" not in note
    assert "Course:" not in note


def test_the_block_follows_the_decision_line_and_ends_with_the_course_end() -> None:
    consult = design_example()
    ended = with_course(
        consult,
        DESIGN_PLAN,
        [entry.model_dump(mode="json") for entry in consult.course],
        {"reason": "patient_choice"},
    )
    block = course_block(note_of(ended))
    assert block[0].startswith("Trial plan (made at may discuss)")
    assert block[-1] == "Course ended: the patient's choice."


def test_each_finding_of_the_course_is_listed_with_its_level_and_sources() -> None:
    consult = with_course(
        safe_consult(decision={"leaning": "ketamine"}),
        DESIGN_PLAN,
        [visit(1, 0, pain_week=7, bp_peak={"systolic": 165, "diastolic": 85})],
    )
    course = assess_course(consult, content())
    assert course is not None
    stops = [finding for finding in course.findings if finding.level is Level.STOP]
    assert [finding.rule for finding in stops] == ["course.stop.bp_during"]
    note = note_of(consult)
    levels = content().rulebook.levels
    assert f"- {levels[Level.STOP]}: {stops[0].text}" in note
    for key in stops[0].citations:
        assert content().evidence.sources[key].short.split(" (")[0] in note


def test_too_early_says_how_many_infusions_of_the_plan_were_given() -> None:
    consult = with_course(
        safe_consult(decision={"leaning": "ketamine"}),
        DESIGN_PLAN,
        [visit(1, 0, pain_week=7, liver={"status": "done", "alt": 0.5}), visit(2, 7, pain_week=6)],
    )
    block = course_block(note_of(consult))
    assert block[2] == "Course: too early, not judged yet, 2 of 4 infusions given."


def test_unknown_required_answers_of_the_course_are_counted() -> None:
    consult = with_course(
        safe_consult(decision={"leaning": "ketamine"}),
        DESIGN_PLAN,
        [visit(1, 0, pain_week=None, phq9_item9=None)],
    )
    course = assess_course(consult, content())
    assert course is not None
    assert {"course[0].pain_week", "course[0].phq9_item9"} <= set(course.missing)
    status = course_block(note_of(consult))[2]
    assert status.startswith("Course: record incomplete, ")
    assert f"{len(course.missing)} required answers unknown, see decision-aid" in status


def worst() -> Consult:
    return with_course(EVERYTHING, WORST_PLAN, worst_visits())


# The worst consult that can carry a plan (a plan is made at may discuss or specialist
# review): every caution of the screening, none of its stops.
CAUTIONS = safe_consult(
    safety={
        "cardiovascular": "controlled",
        "liver": "mild_moderate",
        "bipolar": "history",
        "urinary_symptoms": "present",
        "sleep_apnea": "present",
        "medications": ["benzodiazepine", "opioid"],
    },
    comorbidities={"depression": "current", "phq9_total": 22, "phq9_item9": 0, "crps": "none"},
    decision={"leaning": "ketamine"},
)

# Every course rule that can fire at once does (the others exclude these: a caution twin of a
# chosen stop, a response with a stop, an early end with a judgement).
FIRED_AT_ONCE = {
    "course.urgent.self_harm",
    "course.stop.suicide_risk_high",
    "course.check.plan_vs_decision",
    "course.caution.screening_changed",
    "course.caution.screening_not_reviewed",
    "course.stop.liver_injury",
    "course.stop.liver_raised",
    "course.info.liver_above_normal",
    "course.caution.bp_before",
    "course.stop.bp_during",
    "course.caution.bp_not_settled",
    "course.stop.dissociation",
    "course.info.dissociation",
    "course.stop.side_effects",
    "course.caution.breathing",
    "course.stop.bladder",
    "course.stop.misuse",
    "course.info.response",
    "course.info.infusion_day_relief",
    "course.info.low_baseline",
}


def assert_never_dropped(consult: Consult, note: str) -> None:
    """Every urgent, stop and check finding of both parts is in the note: an urgent one by its
    key sentence, a stop or a check by its key sentence or, as the last resort, its title."""
    course = assess_course(consult, content())
    assert course is not None
    block = "\n".join(course_block(note))
    for finding in (*course.urgent, *course.findings):
        if not finding.rule.startswith("course."):
            continue
        key = key_sentence(finding.text).removesuffix(".")
        if finding.urgent:
            assert f"URGENT: {key}" in block, finding.rule
        elif finding.level in (Level.STOP, Level.CHECK):
            assert key in block or finding.title in block, finding.rule
    screening = assess(consult, content())
    for finding in screening.urgent:
        assert f"URGENT: {key_sentence(finding.text)}" in note
    for finding in screening.findings:
        if finding.level in (Level.STOP, Level.CHECK):
            key = key_sentence(finding.text).removesuffix(".")
            assert finding.title in note or key in note, finding.rule


@pytest.mark.parametrize("chosen", [True, False], ids=["every stop chosen", "no stop chosen"])
def test_the_worst_consult_with_a_plan_and_a_20_visit_course_fits_and_keeps_every_stop(
    chosen: bool,
) -> None:
    plan = WORST_PLAN if chosen else {**WORST_PLAN, "stop_rules": []}
    consult = with_course(CAUTIONS, plan, worst_visits())
    assert len(consult.course) == 20
    course = assess_course(consult, content())
    assert course is not None
    fired = {finding.rule for finding in (*course.urgent, *course.findings)}
    if chosen:
        assert fired >= FIRED_AT_ONCE
    else:
        assert fired >= {rule.replace(".stop.", ".caution.") for rule in FIRED_AT_ONCE} - {
            "course.caution.suicide_risk_high",
            "course.caution.liver_injury",
        }
    note = note_of(consult)
    assert len(note) <= MAX_CHARACTERS, len(note)
    assert_never_dropped(consult, note)
    assert "(note shortened, see decision-aid)" not in note


@pytest.mark.xfail(
    strict=True,
    reason=(
        "not feasible with today's rule texts: the worst consult of section 8 (13 stops, "
        "urgent) with every course stop chosen is 2,107 characters at its shortest, every "
        "stop by its title, so the note is cut at 1,500 and loses course findings"
    ),
)
def test_the_worst_consult_of_section_8_with_the_worst_course_keeps_every_stop() -> None:
    consult = worst()
    note = note_of(consult)
    assert len(note) <= MAX_CHARACTERS
    assert_never_dropped(consult, note)


def test_the_worst_course_shortens_in_the_designed_order() -> None:
    block = course_block(note_of(with_course(CAUTIONS, WORST_PLAN, worst_visits())))
    # The plan in its short form, the series to its last six values, the cautions counted.
    assert block[0] == (
        "Plan: pain 30% lower (2 or less), PGIC, FIQR 20% lower (48 or less); judge after 4; "
        "stops: BP, dissociation, side effects, bladder, liver, misuse; no liver tests."
    )
    assert "pain (7 days): …, 3, 3, 3, 3, 3, 3." in block[1]
    info = f"- {content().rulebook.levels[Level.INFO]}"
    assert not any(line.startswith(info) for line in block)
    assert re.search(r"^\(\+\d+ more course findings, see decision-aid\)$", block[-1])


def test_information_goes_first_and_is_counted() -> None:
    # The design's example is short: its plan and record keep their full form, and only
    # information findings (the consult's first, then the course's) can have given way.
    consult = design_example()
    note = note_of(consult)
    course = assess_course(consult, content())
    assert course is not None
    assert DESIGN_SENTENCE in note
    assert "pain (7 days): 7, 6, 5, 5, 4, 4;" in note
    course_findings = [finding for finding in course.findings if finding.rule.startswith("course.")]
    missing = [finding for finding in course_findings if finding.text not in note]
    assert all(finding.level is Level.INFO for finding in missing)
    if missing:
        count = len(missing)
        assert f"(+{count} more course finding{'s' if count != 1 else ''}, see" in note
        # The consult's went before the course's.
        consult_part = note.split("\nDecision: ")[0]
        assert f"- {content().rulebook.levels[Level.INFO]}" not in consult_part


def test_no_date_shaped_string_in_the_course_block() -> None:
    for consult in (design_example(), worst(), with_course(CAUTIONS, WORST_PLAN, worst_visits())):
        block = "\n".join(course_block(note_of(consult)))
        assert DATE_SHAPED.search(block) is None, DATE_SHAPED.search(block)


def test_the_date_pattern_finds_dates() -> None:
    # The check above could not fail if its pattern found nothing.
    for text in ("2026-12-06", "6/12/2026", "06.12.26", "6 December", "Dec 6", "14:35"):
        assert DATE_SHAPED.search(text), text
    for text in ("Cohen 2018", "7, 6, 5", "180/110", "420 mg", "day 28"):
        assert DATE_SHAPED.search(text) is None, text


def test_the_words_are_the_packs(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack")
    words = pack / "course_words.yaml"
    edit(words, "    responding: responding\n", "    responding: responding (as the pack says)\n")
    edit(words, '  plan: "Trial plan (made at', '  plan: "Agreed trial (made at')
    edited = load_content(pack)
    block = course_block(note_of(design_example(), edited))
    assert block[0].startswith("Agreed trial (made at may discuss)")
    assert block[2].startswith("Course: responding (as the pack says), judged after 5")


def test_the_summary_for_the_chart_is_the_notes_record_and_status() -> None:
    consult = design_example()
    block = course_block(note_of(consult))
    assert course_summary(consult, content()) == f"{block[1]} {block[2]}"
    assert course_summary(safe_consult(), content()) == ""


@settings(max_examples=25, deadline=None)
@given(pains=st.lists(st.integers(0, 10), min_size=1, max_size=20))
def test_any_pain_series_fits_with_no_date(pains: list[int]) -> None:
    visits = [
        visit(number, 3 * (number - 1), pain_week=pain)
        for number, pain in enumerate(pains, start=1)
    ]
    consult = with_course(CAUTIONS, WORST_PLAN, visits)
    note = note_of(consult)
    assert len(note) <= MAX_CHARACTERS
    assert "(note shortened, see decision-aid)" not in note
    assert DATE_SHAPED.search("\n".join(course_block(note))) is None


def test_the_fiqr_measure_is_judged_in_tenths_and_a_missing_pgic_is_said() -> None:
    plan = {
        **DESIGN_PLAN,
        "measures": ["fiqr_drop", "pgic_much"],
        "fiqr_drop_percent": 20,
        "judge_after_infusions": 1,
        "liver_tests_every": None,
        "baseline": {"pain_week": 7, "fiqr_total": 60.5, "bladder": []},
    }
    consult = with_course(
        safe_consult(decision={"leaning": "ketamine"}),
        plan,
        [visit(1, 0, pain_week=7), visit(None, 7, pain_week=6, fiqr_total=48.4)],
    )
    block = course_block(note_of(consult))
    # 20% below 60.5 is 48.4 or less: 484 tenths <= 80% of 605.
    assert "FIQR total at least 20% below 60.5 (48.4 or less)" in block[0]
    assert block[2].startswith(
        "Course: record incomplete, judged after 1 infusion (plan: from 1): FIQR 48.4, 20% "
        "lower than 60.5, met; PGIC not recorded, not known"
    )


@settings(max_examples=40, deadline=None)
@given(data=planned_consult_data())
def test_any_course_fits_names_every_stop_and_prints_no_date(data: dict[str, Any]) -> None:
    consult = Consult.model_validate(data)
    note = note_of(consult)
    assert len(note) <= MAX_CHARACTERS
    block = course_block(note)
    assert block[0].startswith(("Trial plan (made at ", "Plan: "))
    assert DATE_SHAPED.search("\n".join(block)) is None
    if "(note shortened, see decision-aid)" not in note:
        assert_never_dropped(consult, note)
