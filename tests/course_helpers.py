"""Building consults with a trial plan and a course for the tests of the course assessment
(docs/design.md section 13): a complete, uneventful record to change one answer of."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from decision_aid.consult import Consult
from decision_aid.course import assess_course
from tests.helpers import content, safe_consult

if TYPE_CHECKING:
    from decision_aid.course import CourseAssessment

PLAN: Final[dict[str, Any]] = {
    "made_at_status": "may_discuss",
    "made_with_findings": [],
    "measures": ["pain_30"],
    "judge_after_infusions": 4,
    "stop_rules": [],
    "liver_tests_every": None,
    "baseline": {"pain_week": 7, "bladder": []},
}


def infusion(number: int, day: int | None = None, **answers: Any) -> dict[str, Any]:
    """A complete visit with an infusion and nothing of note."""
    visit = {
        "infusion": "given",
        "infusion_number": number,
        "day": 2 * (number - 1) if day is None else day,
        "pain_week": 6,
        "bp_before": {"systolic": 120, "diastolic": 80},
        "bp_peak": {"systolic": 130, "diastolic": 84},
        "bp_after": {"systolic": 122, "diastolic": 80},
        "dissociation": "mild",
        "side_effects": [],
        "side_effects_acceptable": "yes",
        "phq9_item9": 0,
        "bladder": [],
        "misuse_signs": [],
        "screening_reviewed": "yes",
    }
    return visit | answers


def review(day: int = 14, **answers: Any) -> dict[str, Any]:
    """A complete visit without an infusion, pain 4 (30% below 7)."""
    visit = {
        "infusion": "not_given",
        "day": day,
        "pain_week": 4,
        "phq9_item9": 0,
        "bladder": [],
        "misuse_signs": [],
        "screening_reviewed": "yes",
    }
    return visit | answers


def four_infusions(**answers: Any) -> list[dict[str, Any]]:
    return [infusion(number, **answers) for number in range(1, 5)]


def planned(
    course: list[dict[str, Any]],
    plan: dict[str, Any] | None = None,
    course_end: dict[str, Any] | None = None,
    **sections: Any,
) -> Consult:
    """A may_discuss consult leaning to ketamine, with a plan (PLAN updated by ``plan``) and
    the course."""
    decision = {"leaning": "ketamine"} | sections.pop("decision", {})
    consult = safe_consult(decision=decision, **sections)
    data = consult.model_dump(mode="json")
    data["plan"] = PLAN | (plan or {})
    data["course"] = course
    data["course_end"] = course_end
    return Consult.model_validate(data)


def judged(
    course: list[dict[str, Any]],
    plan: dict[str, Any] | None = None,
    course_end: dict[str, Any] | None = None,
    **sections: Any,
) -> CourseAssessment:
    assessment = assess_course(planned(course, plan, course_end, **sections), content())
    assert assessment is not None
    return assessment


def responding() -> list[dict[str, Any]]:
    """Four infusions and a review at pain 4: responding to the default plan."""
    return [*four_infusions(), review()]


def rules_of(assessment: CourseAssessment) -> set[str]:
    return {finding.rule for finding in assessment.findings}
