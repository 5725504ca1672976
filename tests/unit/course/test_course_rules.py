"""One test per course rule (docs/design.md section 13.2 and 13.7 item 6): it fires, and the
neighbouring value does not; a chosen stop rule turns its caution into a stop and changes
nothing else; each section 5 stop rule on a responding course stops it."""

from __future__ import annotations

from typing import Any, Final

import pytest

from decision_aid.catalogue import COURSE_RULES, RULES, STOP_RULE_TWINS, CourseStatus, Level
from decision_aid.consult import StopRule
from tests.course_helpers import four_infusions, infusion, judged, responding, review, rules_of
from tests.unit.test_rules import CASES


def _at_infusion_2(**answers: Any) -> list[dict[str, Any]]:
    course = responding()
    course[1] = infusion(2, **answers)
    return course


def _bp(systolic: int, diastolic: int) -> dict[str, int]:
    return {"systolic": systolic, "diastolic": diastolic}


# rule id: (the course and plan that fire it, the neighbouring ones that do not), on a
# responding course; each also changes nothing but its own finding where it can.
Case = tuple[list[dict[str, Any]], dict[str, Any]]
RULE_CASES: Final[dict[str, tuple[Case, Case]]] = {
    "course.urgent.self_harm": (
        ([*four_infusions(), review(phq9_item9=1, suicide_risk="low")], {}),
        ([*four_infusions(), review(phq9_item9=0, suicide_risk="low")], {}),
    ),
    "course.stop.suicide_risk_high": (
        ([*four_infusions(), review(phq9_item9=0, suicide_risk="high")], {}),
        ([*four_infusions(), review(phq9_item9=0, suicide_risk="moderate")], {}),
    ),
    "course.caution.screening_not_reviewed": (
        (_at_infusion_2(screening_reviewed="no"), {}),
        ([*four_infusions(), review(screening_reviewed="no")], {}),
    ),
    "course.check.plan_vs_decision": (
        (responding(), {"made_at_status": "specialist_review", "specialist_agreed": "no"}),
        (responding(), {"made_at_status": "specialist_review", "specialist_agreed": "yes"}),
    ),
    "course.stop.liver_injury": (
        (_at_infusion_2(liver={"status": "done", "alt": 3.0, "bilirubin": 2.1}), {}),
        (_at_infusion_2(liver={"status": "done", "alt": 2.9, "bilirubin": 2.1}), {}),
    ),
    "course.caution.liver_raised": (
        (_at_infusion_2(liver={"status": "done", "ast": 1.0, "alp": 2.0}), {}),
        (_at_infusion_2(liver={"status": "done", "ast": 1.0, "alp": 1.9}), {}),
    ),
    "course.info.liver_above_normal": (
        (_at_infusion_2(liver={"status": "done", "alt": 1.1}), {}),
        (_at_infusion_2(liver={"status": "done", "alt": 1.0, "bilirubin": 1.0}), {}),
    ),
    "course.caution.bp_before": (
        (_at_infusion_2(bp_before=_bp(141, 80), bp_peak=_bp(150, 84)), {}),
        (_at_infusion_2(bp_before=_bp(140, 90), bp_peak=_bp(150, 94)), {}),
    ),
    "course.caution.bp_during": (
        (_at_infusion_2(bp_peak=_bp(130, 105)), {}),
        (_at_infusion_2(bp_peak=_bp(130, 104)), {}),
    ),
    "course.caution.bp_not_settled": (
        (_at_infusion_2(bp_after=_bp(160, 80)), {}),
        (_at_infusion_2(bp_after=_bp(159, 104)), {}),
    ),
    "course.caution.dissociation": (
        (_at_infusion_2(dissociation="severe"), {}),
        (_at_infusion_2(dissociation="mild"), {}),
    ),
    "course.info.dissociation": (
        (_at_infusion_2(dissociation="moderate"), {}),
        (_at_infusion_2(dissociation="mild"), {}),
    ),
    "course.caution.side_effects": (
        (_at_infusion_2(side_effects_acceptable="no"), {}),
        (_at_infusion_2(side_effects_acceptable="yes"), {}),
    ),
    "course.caution.breathing": (
        (_at_infusion_2(side_effects=["breathing_problem"]), {}),
        (_at_infusion_2(side_effects=["sedation", "dizziness"]), {}),
    ),
    "course.caution.bladder": (
        (_at_infusion_2(bladder=["frequency"]), {}),
        (
            _at_infusion_2(bladder=["frequency"]),
            {"baseline": {"pain_week": 7, "bladder": ["frequency"]}},
        ),
    ),
    "course.caution.misuse": (
        ([*four_infusions(), review(misuse_signs=["ketamine_elsewhere"])], {}),
        ([*four_infusions(), review(misuse_signs=[])], {}),
    ),
    "course.info.response": (
        (responding(), {}),
        (four_infusions(), {}),
    ),
    "course.info.infusion_day_relief": (
        (_at_infusion_2(pain_before=6, pain_after=2), {}),
        (_at_infusion_2(pain_before=6), {}),
    ),
    "course.info.low_baseline": (
        (responding(), {"baseline": {"pain_week": 3, "bladder": []}}),
        (responding(), {"baseline": {"pain_week": 4, "bladder": []}}),
    ),
    "course.info.follow_on": (
        (responding(), {}),
        ([*four_infusions(), review(pain_week=5)], {}),
    ),
}

# The rules that need more than the record of visits: tested below on their own.
ELSEWHERE: Final = {
    "course.stop.screening",
    "course.check.screening_incomplete",
    "course.caution.screening_changed",
    "course.caution.liver_not_planned",
    "course.info.ended_early",
}
STOP_TWINS: Final = {f"course.stop.{name}" for name in STOP_RULE_TWINS.values()}


def test_every_course_rule_has_a_case() -> None:
    assert set(COURSE_RULES) == set(RULE_CASES) | ELSEWHERE | STOP_TWINS


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_the_rule_fires_and_the_neighbouring_value_does_not(rule: str) -> None:
    (course, plan), (near_course, near_plan) = RULE_CASES[rule]
    fired = judged(course, plan)
    finding = fired.fired(rule)
    assert finding is not None, rule
    assert finding.level is COURSE_RULES[rule].level
    assert finding.citations or not COURSE_RULES[rule].sourced
    # The first sentence stands alone: it ends with a full stop and names no {placeholder}.
    first = finding.text.split(". ")[0]
    assert "{" not in finding.text
    assert first
    assert judged(near_course, near_plan).fired(rule) is None, rule


@pytest.mark.parametrize(
    "rule",
    sorted(rule for rule in RULE_CASES if COURSE_RULES[rule].placeholders & {"visits"}),
)
def test_the_first_sentence_names_the_visit_counting_from_1(rule: str) -> None:
    (course, plan), _ = RULE_CASES[rule]
    finding = judged(course, plan).fired(rule)
    assert finding is not None
    first = finding.text.split(". ")[0]
    assert "visit " in first
    # People count from 1: no "visit 0", and the paths of fired_by count from 0.
    assert "visit 0" not in finding.text
    assert all(path.startswith(("course[", "plan.")) for path in finding.fired_by)


@pytest.mark.parametrize("stop_rule", list(StopRule))
def test_a_chosen_stop_rule_turns_its_caution_into_a_stop_and_changes_nothing_else(
    stop_rule: StopRule,
) -> None:
    twin = STOP_RULE_TWINS[stop_rule]
    (course, plan), _ = RULE_CASES[f"course.caution.{twin}"]
    as_caution = judged(course, plan)
    as_stop = judged(course, plan | {"stop_rules": [stop_rule.value]})
    caution = as_caution.fired(f"course.caution.{twin}")
    stop = as_stop.fired(f"course.stop.{twin}")
    assert caution is not None
    assert stop is not None
    assert as_stop.fired(f"course.caution.{twin}") is None
    assert stop.level is Level.STOP
    assert (stop.fired_by, stop.variants) == (caution.fired_by, caution.variants)
    assert as_caution.status is not CourseStatus.STOP_RULE_MET
    assert as_stop.status is CourseStatus.STOP_RULE_MET
    # The follow-on options are given with a response only: the stop ends that.
    same = {caution.rule, stop.rule, "course.info.follow_on"}
    assert rules_of(as_caution) - same == rules_of(as_stop) - same
    assert (as_stop.missing, as_stop.judged_at, as_stop.measures) == (
        as_caution.missing,
        as_caution.judged_at,
        as_caution.measures,
    )


SECTION_5_STOPS: Final = [case for case in CASES if case[1] is Level.STOP]


def test_every_section_5_stop_rule_has_a_case() -> None:
    names = {case[0] for case in SECTION_5_STOPS}
    assert names == {rule for rule, spec in RULES.items() if spec.level is Level.STOP}


@pytest.mark.parametrize(
    ("rule", "sections"),
    [case[::2] for case in SECTION_5_STOPS],
    ids=[c[0] for c in SECTION_5_STOPS],
)
def test_a_section_5_stop_rule_on_a_responding_course_stops_it(
    rule: str, sections: dict[str, Any]
) -> None:
    assessment = judged(responding(), **sections)
    assert assessment.status is CourseStatus.STOP_RULE_MET
    finding = assessment.fired("course.stop.screening")
    assert finding is not None
    assert rule in finding.variants
    assert assessment.screening.fired(rule) is not None


def test_an_incomplete_screening_checks_the_course() -> None:
    assessment = judged(responding(), safety={"porphyria": "unknown"})
    assert "course.check.screening_incomplete" in rules_of(assessment)
    assert "safety.porphyria" in assessment.missing
    assert judged(responding()).fired("course.check.screening_incomplete") is None


def test_a_screening_finding_not_there_when_the_plan_was_made_is_a_caution() -> None:
    sections = {"safety": {"cardiovascular": "controlled"}}
    changed = judged(responding(), **sections)
    finding = changed.fired("course.caution.screening_changed")
    assert finding is not None
    assert finding.variants == ("caution.cardiovascular",)
    assert changed.status is CourseStatus.RESPONDING
    agreed = judged(responding(), {"made_with_findings": ["caution.cardiovascular"]}, **sections)
    assert agreed.fired("course.caution.screening_changed") is None


def test_no_liver_tests_planned_with_a_liver_caution() -> None:
    sections = {"safety": {"liver": "mild_moderate"}}
    plan = {"made_with_findings": ["caution.liver"]}
    assert "course.caution.liver_not_planned" in rules_of(judged(responding(), plan, **sections))
    planned_tests = plan | {"liver_tests_every": 20}
    course = responding()
    course[0] = infusion(1, liver={"status": "done", "alt": 0.5})
    assert (
        judged(course, planned_tests, **sections).fired("course.caution.liver_not_planned") is None
    )
    assert judged(responding(), plan).fired("course.caution.liver_not_planned") is None


def test_a_course_ended_before_the_judgement_says_so() -> None:
    ended = judged(four_infusions(), course_end={"reason": "patient_choice"})
    assert "course.info.ended_early" in rules_of(ended)
    assert ended.status is CourseStatus.TOO_EARLY
    judged_then_ended = judged(responding(), course_end={"reason": "plan_completed"})
    assert judged_then_ended.fired("course.info.ended_early") is None


def test_the_leaning_must_still_be_ketamine() -> None:
    assessment = judged(responding(), decision={"leaning": "unsure"})
    finding = assessment.fired("course.check.plan_vs_decision")
    assert finding is not None
    assert finding.variants == ("leaning",)
    assert assessment.status is CourseStatus.INCOMPLETE_RECORD


def test_bp_above_180_100_replaces_the_lower_category() -> None:
    course = responding()
    course[0] = infusion(1, bp_before=_bp(150, 80), bp_peak=_bp(160, 84), bp_after=_bp(150, 80))
    course[1] = infusion(2, bp_before=_bp(150, 101), bp_peak=_bp(160, 104), bp_after=_bp(150, 101))
    finding = judged(course).fired("course.caution.bp_before")
    assert finding is not None
    assert finding.variants == ("above_180_100",)
    assert "visit 1 (infusion 1) and visit 2 (infusion 2)" in finding.text


def test_one_visits_liver_pattern_does_not_silence_anothers() -> None:
    course = responding()
    course[0] = infusion(1, liver={"status": "done", "alt": 3.0, "bilirubin": 2.5})
    course[1] = infusion(2, liver={"status": "done", "alp": 2.0, "alt": 1.0})
    assert {"course.stop.liver_injury", "course.caution.liver_raised"} <= rules_of(judged(course))
