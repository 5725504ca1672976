"""The course assessment (docs/design.md section 13.2): the issue's acceptance checks, the
thresholds at their edges (13.7 item 5), purity (item 2) and never responding when the record
is incomplete (item 4)."""

from __future__ import annotations

import builtins
import os
import socket
from typing import Any

import pytest

from decision_aid.catalogue import CourseStatus
from decision_aid.course import assess_course
from tests.course_helpers import (
    four_infusions,
    infusion,
    judged,
    planned,
    responding,
    review,
    rules_of,
)
from tests.helpers import content, safe_consult

# --- the acceptance checks -----------------------------------------------------------


def test_four_complete_infusions_are_too_early() -> None:
    assessment = judged(four_infusions())
    assert assessment.status is CourseStatus.TOO_EARLY
    assert assessment.judged_at is None
    assert assessment.missing == ()
    assert assessment.measures["pain_30"].met is None


def test_the_next_visit_at_pain_4_is_responding() -> None:
    assessment = judged([*four_infusions(), review(pain_week=4)])
    assert assessment.status is CourseStatus.RESPONDING
    assert assessment.judged_at == (4, 4)
    assert assessment.measures["pain_30"] == (7, 4, 4, True)
    assert "course.info.follow_on" in rules_of(assessment)


def test_the_next_visit_at_pain_5_is_not_responding() -> None:
    assessment = judged([*four_infusions(), review(pain_week=5)])
    assert assessment.status is CourseStatus.NOT_RESPONDING
    assert assessment.measures["pain_30"] == (7, 5, 4, False)
    assert "course.info.follow_on" not in rules_of(assessment)


def test_item_9_unknown_at_the_next_visit_is_an_incomplete_record() -> None:
    assessment = judged([*four_infusions(), review(phq9_item9=None)])
    assert assessment.status is CourseStatus.INCOMPLETE_RECORD
    assert assessment.missing == ("course[4].phq9_item9",)


@pytest.mark.parametrize(
    ("risk", "urgent", "status"),
    [
        ("unknown", True, CourseStatus.INCOMPLETE_RECORD),
        ("not_assessed", True, CourseStatus.INCOMPLETE_RECORD),
        ("low", False, CourseStatus.RESPONDING),
        ("moderate", False, CourseStatus.RESPONDING),
        ("high", True, CourseStatus.STOP_RULE_MET),
    ],
)
def test_item_9_of_1_is_urgent_until_that_visits_risk_is_low_or_moderate(
    risk: str, urgent: bool, status: CourseStatus
) -> None:
    assessment = judged([*four_infusions(), review(phq9_item9=1, suicide_risk=risk)])
    finding = assessment.fired("course.urgent.self_harm")
    assert finding is not None
    assert finding.urgent is urgent
    assert (finding in assessment.urgent) is urgent
    assert finding.variants == ("not_assessed" if risk == "unknown" else risk,)
    assert assessment.status is status
    assert ("course.stop.suicide_risk_high" in rules_of(assessment)) is (risk == "high")
    assert "visit 5 (after infusion 4)" in finding.text.split(". ")[0]


def test_pregnant_on_a_responding_course_stops_it_with_the_screening_rule() -> None:
    assessment = judged(responding(), patient={"pregnancy": "pregnant"})
    assert assessment.status is CourseStatus.STOP_RULE_MET
    finding = assessment.fired("course.stop.screening")
    assert finding is not None
    assert finding.variants == ("stop.pregnancy",)
    assert assessment.screening.status.value == "not_advised"
    # The section 5 rule's sources are the finding's.
    assert finding.citations
    assert set(finding.citations) <= set(assessment.screening.findings[0].citations)


@pytest.mark.parametrize("chosen", [False, True])
def test_a_rise_of_40_systolic_during_an_infusion(chosen: bool) -> None:
    course = responding()
    course[2] = infusion(
        3, bp_before={"systolic": 120, "diastolic": 80}, bp_peak={"systolic": 160, "diastolic": 84}
    )
    assessment = judged(course, {"stop_rules": ["bp_during"] if chosen else []})
    rule = "course.stop.bp_during" if chosen else "course.caution.bp_during"
    finding = assessment.fired(rule)
    assert finding is not None
    assert finding.variants == ("rise",)
    assert finding.text.startswith(
        "Blood pressure rose during the infusion at visit 3 (infusion 3)"
    )
    # The label's category, from the pack, is printed with the finding.
    assert "40 systolic or 25 diastolic" in finding.text
    expected = CourseStatus.STOP_RULE_MET if chosen else CourseStatus.RESPONDING
    assert assessment.status is expected


def test_alt_3_with_bilirubin_2_1_stops() -> None:
    course = responding()
    course[1] = infusion(2, liver={"status": "done", "alt": 3.0, "bilirubin": 2.1})
    assessment = judged(course)
    assert assessment.status is CourseStatus.STOP_RULE_MET
    assert "course.stop.liver_injury" in rules_of(assessment)
    assert not {"course.caution.liver_raised", "course.stop.liver_raised"} & rules_of(assessment)


# --- thresholds at their edges, one test each ------------------------------------------------


def _pain_status(baseline: int, pain: int, measure: str = "pain_30") -> CourseStatus:
    plan = {"measures": [measure], "baseline": {"pain_week": baseline, "bladder": []}}
    return judged([*four_infusions(), review(pain_week=pain)], plan).status


def test_baseline_7_pain_4_meets_pain_30_and_5_does_not() -> None:
    assert _pain_status(7, 4) is CourseStatus.RESPONDING
    assert _pain_status(7, 5) is CourseStatus.NOT_RESPONDING


def test_baseline_10_pain_7_meets_pain_30() -> None:
    assert _pain_status(10, 7) is CourseStatus.RESPONDING
    assert _pain_status(10, 8) is CourseStatus.NOT_RESPONDING


def test_baseline_7_pain_3_meets_pain_50_and_4_does_not() -> None:
    assert _pain_status(7, 3, "pain_50") is CourseStatus.RESPONDING
    assert _pain_status(7, 4, "pain_50") is CourseStatus.NOT_RESPONDING


def test_fiqr_60_with_20_percent_48_0_meets_and_48_1_does_not() -> None:
    plan = {
        "measures": ["fiqr_drop"],
        "fiqr_drop_percent": 20,
        "baseline": {"pain_week": 7, "fiqr_total": 60.0, "bladder": []},
    }
    met = judged([*four_infusions(), review(fiqr_total=48.0)], plan)
    assert met.status is CourseStatus.RESPONDING
    assert met.measures["fiqr_drop"] == (60.0, 48.0, 48.0, True)
    not_met = judged([*four_infusions(), review(fiqr_total=48.1)], plan)
    assert not_met.status is CourseStatus.NOT_RESPONDING


def test_much_improved_meets_pgic_much_and_minimally_improved_does_not() -> None:
    plan = {"measures": ["pgic_much"]}
    assert judged([*four_infusions(), review(pgic="much_improved")], plan).status is (
        CourseStatus.RESPONDING
    )
    assert judged([*four_infusions(), review(pgic="minimally_improved")], plan).status is (
        CourseStatus.NOT_RESPONDING
    )


def _during(peak: tuple[int, int], before: tuple[int, int] = (120, 80)) -> set[str]:
    course = responding()
    course[0] = infusion(
        1,
        bp_before={"systolic": before[0], "diastolic": before[1]},
        bp_peak={"systolic": peak[0], "diastolic": peak[1]},
        bp_after={"systolic": before[0], "diastolic": before[1]},
    )
    finding = judged(course).fired("course.caution.bp_during")
    return set(finding.variants) if finding else set()


def test_a_rise_of_40_25_fires_bp_during_and_39_24_does_not() -> None:
    assert _during((160, 105)) == {"rise"}
    assert _during((160, 84)) == {"rise"}
    assert _during((124, 105)) == {"rise"}
    assert _during((159, 104)) == set()


def test_180_110_fires_peak() -> None:
    assert _during((180, 100), before=(150, 90)) == {"peak"}
    assert _during((170, 110), before=(150, 90)) == {"peak"}
    assert _during((179, 109), before=(150, 90)) == set()


def _liver(**values: float) -> set[str]:
    course = responding()
    course[1] = infusion(2, liver={"status": "done", **values})
    return rules_of(judged(course)) & {
        "course.stop.liver_injury",
        "course.caution.liver_raised",
        "course.info.liver_above_normal",
    }


def test_alt_3_with_bilirubin_2_1_fires_liver_injury_and_with_2_0_only_liver_raised() -> None:
    assert _liver(alt=3.0, bilirubin=2.1) == {"course.stop.liver_injury"}
    assert _liver(alt=3.0, bilirubin=2.0) == {"course.caution.liver_raised"}
    assert _liver(ast=3.0, bilirubin=2.1) == {"course.stop.liver_injury"}
    assert _liver(alt=2.9, bilirubin=2.1) == {"course.info.liver_above_normal"}


def test_a_liver_test_pending_when_due_is_missing() -> None:
    plan = {"liver_tests_every": 3}
    course = responding()
    course[0] = infusion(1, liver={"status": "done", "alt": 0.8})
    course[3] = infusion(4, liver={"status": "pending"})
    assessment = judged(course, plan)
    assert assessment.missing == ("course[3].liver",)
    assert assessment.status is CourseStatus.INCOMPLETE_RECORD
    course[3] = infusion(4, liver={"status": "done", "ast": 1.0})
    assert judged(course, plan).status is CourseStatus.RESPONDING


# --- purity ----------------------------------------------------------------------------------


def test_assess_course_is_pure() -> None:
    consult = planned([*four_infusions(pain_after=3, pain_before=6), review(phq9_item9=1)])
    before = consult.model_dump()
    loaded = content()
    first = assess_course(consult, loaded)
    with pytest.MonkeyPatch.context() as patch:
        for module, name in [(builtins, "open"), (os, "open"), (socket, "socket")]:
            patch.setattr(module, name, _refuse)
        second = assess_course(consult, loaded)
    assert first == second
    assert first is not None
    assert second is not None
    assert first.as_json() == second.as_json()
    assert consult.model_dump() == before


def _refuse(*_: Any, **__: Any) -> Any:
    raise AssertionError("assess_course did I/O")


def test_no_plan_gives_none() -> None:
    assert assess_course(safe_consult(), content()) is None


# --- never responding when incomplete --------------------------------------------------------

# Every required answer of docs/design.md section 13.1, made unknown one at a time in a
# responding course (visit 0 with an infusion, visit 4 the judgement visit without one).
_UNKNOWN_PLAN: list[tuple[str, dict[str, Any]]] = [
    ("plan.measures", {"measures": []}),
    ("plan.judge_after_infusions", {"judge_after_infusions": None}),
    ("plan.baseline.pain_week", {"baseline": {"pain_week": None, "bladder": []}}),
    ("plan.baseline.bladder", {"baseline": {"pain_week": 7, "bladder": None}}),
]
_VISIT_FIELDS = [
    ("pain_week", None),
    ("phq9_item9", None),
    ("bladder", None),
    ("misuse_signs", None),
    ("screening_reviewed", "unknown"),
]
_INFUSION_FIELDS = [
    ("bp_before", None),
    ("bp_peak", None),
    ("bp_after", None),
    ("dissociation", "unknown"),
    ("side_effects", None),
    ("side_effects_acceptable", "unknown"),
]


@pytest.mark.parametrize(("path", "plan"), _UNKNOWN_PLAN, ids=[p for p, _ in _UNKNOWN_PLAN])
def test_an_unknown_plan_answer_is_never_responding(path: str, plan: dict[str, Any]) -> None:
    assessment = judged(responding(), plan)
    assert assessment.status is CourseStatus.INCOMPLETE_RECORD
    assert path in assessment.missing


@pytest.mark.parametrize(("name", "unknown"), _VISIT_FIELDS + _INFUSION_FIELDS)
def test_an_unknown_visit_answer_is_never_responding(name: str, unknown: Any) -> None:
    course = responding()
    course[0][name] = unknown
    assessment = judged(course)
    assert assessment.status is CourseStatus.INCOMPLETE_RECORD
    assert f"course[0].{name}" in assessment.missing


@pytest.mark.parametrize(
    ("plan", "answer", "path"),
    [
        ({"measures": ["pgic_much"]}, {}, "course[4].pgic"),
        (
            {
                "measures": ["fiqr_drop"],
                "fiqr_drop_percent": 20,
                "baseline": {"pain_week": 7, "fiqr_total": 60.0, "bladder": []},
            },
            {},
            "course[4].fiqr_total",
        ),
        (
            {"measures": ["fiqr_drop"], "baseline": {"pain_week": 7, "bladder": []}},
            {"fiqr_total": 30.0},
            "plan.fiqr_drop_percent",
        ),
        (
            {"made_at_status": "specialist_review", "specialist_agreed": "unknown"},
            {},
            "plan.specialist_agreed",
        ),
    ],
)
def test_a_measure_or_plan_answer_unknown_at_the_judgement_is_missing(
    plan: dict[str, Any], answer: dict[str, Any], path: str
) -> None:
    assessment = judged([*four_infusions(), review(**answer)], plan)
    assert assessment.status is CourseStatus.INCOMPLETE_RECORD
    assert path in assessment.missing


def test_a_complete_course_is_too_early_until_a_visit_after_the_agreed_infusions() -> None:
    for agreed in (1, 3, 5):
        course = [infusion(number) for number in range(1, agreed + 1)]
        plan = {"judge_after_infusions": agreed}
        assert judged(course[:-1], plan).status is CourseStatus.TOO_EARLY
        assert judged(course, plan).status is CourseStatus.TOO_EARLY
        # The next visit, with an infusion or without, is the judgement visit.
        for next_visit in (infusion(agreed + 1, pain_week=4), review(day=2 * agreed + 5)):
            assessment = judged([*course, next_visit], plan)
            assert assessment.judged_at == (agreed, agreed)
            assert assessment.status is CourseStatus.RESPONDING


def test_a_response_that_fades_shows_as_not_responding() -> None:
    course = [*four_infusions(), review(pain_week=4), infusion(5, day=20, pain_week=6)]
    assessment = judged(course)
    assert assessment.judged_at == (5, 4)
    assert assessment.status is CourseStatus.NOT_RESPONDING


def test_the_screenings_missing_answers_join_the_course_and_check_it() -> None:
    assessment = judged(responding(), safety={"liver": "unknown"})
    assert "safety.liver" in assessment.missing
    assert "course.check.screening_incomplete" in rules_of(assessment)
    assert assessment.status is CourseStatus.INCOMPLETE_RECORD


def test_the_json_object_carries_the_contract_fields() -> None:
    data = judged(responding()).as_json()
    assert set(data) == {
        "status",
        "urgent",
        "findings",
        "missing",
        "judged_at",
        "measures",
        "screening",
    }
    assert data["judged_at"] == {"visit": 4, "infusions": 4}
    assert data["measures"] == {"pain_30": {"baseline": 7, "value": 4, "target": 4, "met": True}}
    screening = data["screening"]
    assert isinstance(screening, dict)
    assert screening["status"] == "may_discuss"
