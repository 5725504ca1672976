"""The plan page's sheet (docs/design.md section 13.5): what it takes from the consult's plan,
and its targets, the largest whole numbers that meet each measure as section 13.2 judges it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from decision_aid.consult import Plan
from decision_aid.handout.plan import NoPlan, PlanSheet, plan_sheet
from tests.course_strategies import plan_data


def _meets_pain(sheet: PlanSheet, pain: int) -> bool:
    # docs/design.md 13.2, in exact arithmetic: pain_30 when 10 x pain <= 7 x baseline,
    # pain_50 when 2 x pain <= baseline.
    assert sheet.pain_now is not None
    if "pain_30" in sheet.measures:
        return 10 * pain <= 7 * sheet.pain_now
    return 2 * pain <= sheet.pain_now


def _meets_fiqr(sheet: PlanSheet, fiqr_tenths: int) -> bool:
    # 100 x fiqr <= (100 - percent) x baseline, on tenths.
    assert sheet.fiqr_now_tenths is not None
    assert sheet.fiqr_drop_percent is not None
    return 100 * fiqr_tenths <= (100 - sheet.fiqr_drop_percent) * sheet.fiqr_now_tenths


@given(plan_data(complete=True))
def test_targets_are_the_largest_whole_numbers_that_meet_the_measures(data: dict[str, Any]) -> None:
    sheet = plan_sheet(Plan.model_validate(data))
    assert set(sheet.measures) == set(data["measures"])
    assert sheet.judge_after_infusions == data["judge_after_infusions"]
    assert sheet.liver_tests_every == data["liver_tests_every"]
    if sheet.has_pain:
        target = sheet.pain_target
        assert target is not None
        assert _meets_pain(sheet, target)
        assert not _meets_pain(sheet, target + 1)
    else:
        assert sheet.pain_now is None
        assert sheet.pain_target is None
    if "fiqr_drop" in sheet.measures:
        target = sheet.fiqr_target
        assert target is not None
        assert _meets_fiqr(sheet, 10 * target)
        assert not _meets_fiqr(sheet, 10 * (target + 1))
    else:
        # Numbers of a measure the plan did not choose are not on the sheet.
        assert sheet.fiqr_now_tenths is None
        assert sheet.fiqr_target is None


@pytest.mark.parametrize(
    ("baseline", "percent", "target"),
    # 62.3 less 10% is 56.07 (56); 50.0 less 50% is 25.0 exactly; 0.5 less 5% is 0.475 (0).
    [(62.3, 10, 56), (50.0, 50, 25), (0.5, 5, 0)],
)
def test_the_fiqr_target_is_found_in_tenths_without_floating_point(
    baseline: float, percent: int, target: int
) -> None:
    plan = Plan.model_validate(
        {
            "made_at_status": "may_discuss",
            "measures": ["fiqr_drop"],
            "fiqr_drop_percent": percent,
            "judge_after_infusions": 3,
            "baseline": {"fiqr_total": baseline},
        }
    )
    sheet = plan_sheet(plan)
    assert sheet.fiqr_target == target
    assert sheet.fiqr_now == (str(int(baseline)) if baseline == int(baseline) else str(baseline))


def test_no_plan_and_an_incomplete_plan_make_no_sheet() -> None:
    with pytest.raises(NoPlan, match="no trial plan"):
        plan_sheet(None)
    incomplete = Plan.model_validate({"made_at_status": "may_discuss", "measures": ["pain_30"]})
    with pytest.raises(NoPlan, match="after how many infusions"):
        plan_sheet(incomplete)
