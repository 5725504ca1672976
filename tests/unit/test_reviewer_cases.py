"""The cases the December 2026 clinical review found unsafe (issue 22), each written as a
one-change variant of the may-discuss example: each gives the status of docs/design.md
section 5, and the rule that says why."""

from __future__ import annotations

from typing import Any, Final

import pytest

from decision_aid.catalogue import Status
from decision_aid.consult import Consult
from decision_aid.files import read_consult_file
from decision_aid.rules import Assessment, assess
from tests.helpers import EXAMPLES, content, with_sections

MAY_DISCUSS: Final = EXAMPLES / "may-discuss.consult.json"


def variant(**sections: Any) -> Assessment:
    data = read_consult_file(MAY_DISCUSS).model_dump(mode="json")
    return assess(Consult.model_validate(with_sections(data, sections)), content())


def test_the_baseline_may_be_discussed() -> None:
    assessment = variant()
    assert assessment.status is Status.MAY_DISCUSS
    assert assessment.missing == ()


# (case, the one change, the status, the rule that must say why)
CASES: Final[list[tuple[str, dict[str, Any], Status, str]]] = [
    (
        "esketamine nasal spray now",
        {"ketamine_exposure": {"status": "esketamine_now", "harms": []}},
        Status.SPECIALIST_REVIEW,
        "caution.esketamine_now",
    ),
    (
        "compounded at-home ketamine lozenges",
        {"ketamine_exposure": {"status": "other_ketamine_now", "harms": []}},
        Status.SPECIALIST_REVIEW,
        "caution.other_ketamine_now",
    ),
    (
        "restart after ketamine liver injury",
        {"ketamine_exposure": {"status": "past_course", "harms": ["liver_injury"]}},
        Status.NOT_ADVISED,
        "stop.ketamine_liver_injury",
    ),
    (
        "a stroke two months ago",
        {"safety": {"heart_or_stroke_event": "recent"}},
        Status.NOT_ADVISED,
        "stop.recent_heart_or_stroke_event",
    ),
    (
        "a heart attack four months ago",
        {"safety": {"heart_or_stroke_event": "recent"}},
        Status.NOT_ADVISED,
        "stop.recent_heart_or_stroke_event",
    ),
    (
        "PTSD with weekly depersonalisation",
        {"safety": {"dissociative_disorder": "present"}},
        Status.SPECIALIST_REVIEW,
        "caution.dissociative_disorder",
    ),
    (
        "PHQ-9 22",
        {"comorbidities": {"depression": "current", "phq9_total": 22, "phq9_item9": 0}},
        Status.SPECIALIST_REVIEW,
        "caution.depression_severe",
    ),
    (
        "treatment-resistant depression with PHQ-9 16",
        {
            "comorbidities": {
                "depression": "treatment_resistant",
                "phq9_total": 16,
                "phq9_item9": 0,
            }
        },
        Status.SPECIALIST_REVIEW,
        "caution.depression_severe",
    ),
    (
        "suicide risk assessed today and found high",
        {
            "comorbidities": {"phq9_total": 8, "phq9_item9": 2},
            "decision": {"suicide_risk": "high"},
        },
        Status.NOT_ADVISED,
        "stop.suicide_risk_high",
    ),
    (
        "age 80 with nothing else",
        {"patient": {"age_years": 80}},
        Status.SPECIALIST_REVIEW,
        "caution.older_age",
    ),
]


@pytest.mark.parametrize(("case", "change", "status", "rule"), CASES, ids=[c[0] for c in CASES])
def test_each_case_the_review_found_unsafe_gives_the_design_status(
    case: str, change: dict[str, Any], status: Status, rule: str
) -> None:
    assessment = variant(**change)
    assert assessment.status is status, case
    assert assessment.fired(rule) is not None, case
    assert assessment.missing == (), case


def test_a_high_suicide_risk_stays_urgent_once_recorded() -> None:
    # Version 2 cleared the urgent flag once "assessed" was ticked, even when the risk was
    # found high.
    assessment = variant(
        comorbidities={"phq9_total": 8, "phq9_item9": 2}, decision={"suicide_risk": "high"}
    )
    assert [finding.rule for finding in assessment.urgent] == ["urgent.self_harm"]
    assert assessment.urgent[0].variants == ("high",)


def test_an_exposure_with_its_harms_unanswered_is_incomplete_with_honest_bounds() -> None:
    assessment = variant(ketamine_exposure={"status": "esketamine_now", "harms": None})
    assert assessment.status is Status.INCOMPLETE
    assert assessment.missing == ("ketamine_exposure.harms",)
    assert (assessment.bounds.best, assessment.bounds.worst) == (
        Status.SPECIALIST_REVIEW,
        Status.NOT_ADVISED,
    )


@pytest.mark.parametrize(
    ("change", "status"),
    [
        # Levels that now match their sources.
        ({"safety": {"porphyria": "present"}}, Status.NOT_ADVISED),
        ({"safety": {"hyperthyroidism": "present"}}, Status.NOT_ADVISED),
        ({"safety": {"psychosis": "chronic_disorder"}}, Status.NOT_ADVISED),
        ({"safety": {"medications": ["thyroid_hormone"]}}, Status.MAY_DISCUSS),
        ({"safety": {"medications": ["lamotrigine"]}}, Status.MAY_DISCUSS),
        ({"safety": {"intraocular_pressure": "controlled_glaucoma"}}, Status.SPECIALIST_REVIEW),
        ({"safety": {"intraocular_pressure": "raised"}}, Status.NOT_ADVISED),
    ],
)
def test_levels_follow_their_sources(change: dict[str, Any], status: Status) -> None:
    assert variant(**change).status is status
