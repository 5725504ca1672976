"""The course chart's model: lines, points and markers computed from the plan and the visits,
with no Qt (docs/design.md section 13.3)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from decision_aid.course_chart import (
    Frame,
    chart_model,
    infusions_before,
    pain_target,
    stop_visits,
)


def plan(**fields: Any) -> SimpleNamespace:
    baseline = SimpleNamespace(pain_week=fields.pop("pain", 7), fiqr_total=None, bladder=None)
    values = {"measures": ["pain_30", "pgic_much"], "judge_after_infusions": 4}
    return SimpleNamespace(baseline=baseline, **(values | fields))


def visit(infusion: str, number: int | None, pain: int | None, **fields: Any) -> SimpleNamespace:
    values = {"day": 0, "pain_before": None, "pain_after": None}
    return SimpleNamespace(
        infusion=infusion, infusion_number=number, pain_week=pain, **(values | fields)
    )


def course() -> list[SimpleNamespace]:
    return [
        visit("given", 1, 7, pain_before=6, pain_after=2),
        visit("given", 2, 6, day=7),
        visit("stopped_early", 3, None, day=14),
        visit("not_given", None, 5, day=18),
        visit("given", 4, 4, day=21),
        visit("not_given", None, 4, day=28),
    ]


@pytest.mark.parametrize(
    ("measure", "baseline", "target"),
    [
        ("pain_30", 7, 4),
        ("pain_30", 10, 7),
        ("pain_30", 1, 0),
        ("pain_50", 7, 3),
        ("pain_50", 8, 4),
    ],
)
def test_a_target_is_the_largest_whole_pain_that_meets_the_measure(
    measure: str, baseline: int, target: int
) -> None:
    assert pain_target(measure, baseline) == target
    numerator, denominator = (7, 10) if measure == "pain_30" else (1, 2)
    # The assessment's own arithmetic: the target meets it and one more does not.
    assert denominator * target <= numerator * baseline
    assert denominator * (target + 1) > numerator * baseline


def test_the_target_and_judgement_lines_follow_the_plan() -> None:
    model = chart_model(plan(pain=7, judge_after_infusions=4), course())
    assert model.baseline is not None
    assert (model.baseline.y, model.baseline.style, model.baseline.label) == (
        7,
        "solid",
        "baseline 7",
    )
    (target,) = model.targets
    assert (target.y, target.style, target.label) == (4, "dashed", "30% less: 4 or less")
    assert model.judgement is not None
    assert (model.judgement.x, model.judgement.style) == (4, "dotted")
    assert model.judgement.label == "decide after infusion 4"

    other = chart_model(plan(pain=8, measures=["pain_50"], judge_after_infusions=6), course())
    assert [(line.y, line.label) for line in other.targets] == [(4, "50% less: 4 or less")]
    assert other.judgement is not None
    assert other.judgement.x == 6
    assert other.x_max == 7  # room right of the judgement point
    # No pain measure, no target line: PGIC alone draws none.
    assert chart_model(plan(measures=["pgic_much"]), course()).targets == ()


def test_visits_sit_at_the_infusions_given_before_them() -> None:
    visits = course()
    assert infusions_before(visits) == [0, 1, 2, 3, 3, 4]
    model = chart_model(plan(), visits, stops=frozenset({4}))
    assert [(p.x, p.y) for p in model.points] == [(0, 7), (1, 6), (2, None), (3, 5), (3, 4), (4, 4)]
    # A visit without pain is a hollow "?" and the line passes it by.
    assert [(a.visit, b.visit) for a, b in model.segments] == [(0, 1), (1, 3), (3, 4), (4, 5)]
    assert [point.visit for point in model.points if point.stop] == [4]
    (bar,) = model.bars
    assert (bar.number, bar.x, bar.before, bar.after) == (1, 0.5, 6, 2)
    assert model.end is None
    # No visit yet: the plan's lines alone.
    empty = chart_model(plan(), [])
    assert (empty.points, empty.bars, empty.x_max) == ((), (), 5)


def test_the_course_end_is_a_labelled_line_at_the_infusions_given() -> None:
    ended = chart_model(plan(), course(), SimpleNamespace(reason="patient_choice"))
    assert ended.end is not None
    assert (ended.end.x, ended.end.label) == (4, "course ended: the patient's choice")


def test_stop_visits_are_read_from_the_paths_of_stop_findings() -> None:
    findings = [
        SimpleNamespace(level="stop", fired_by={"course[2].bp_peak": 1, "course[2].bp_before": 1}),
        SimpleNamespace(level="caution", fired_by={"course[5].bladder": 1}),
        SimpleNamespace(level="stop", fired_by={"safety.pregnancy": "yes", "course[0].liver": 1}),
    ]
    assert stop_visits(findings) == {0, 2}


def test_the_frame_puts_pain_0_at_the_foot_and_10_at_the_head() -> None:
    frame = Frame(800, 300)
    assert frame.y(0) == 300 - frame.bottom
    assert frame.y(10) == frame.top
    assert frame.y(None) < frame.top  # the "?" strip, above the scale
    assert frame.x(0, 5) == frame.left
    assert frame.x(5, 5) == 800 - frame.right
