"""The course chart as data: what to draw and where, with no Qt (docs/design.md section 13).

The Course step draws average pain over the past 7 days against the number of infusions
given. Everything that decides the picture (which lines, at which values, with which words,
which markers at which visits) is computed here, so that a test checks the geometry and the
words without pixels, and the widget (``ui/course_chart_view.py``) only paints what it is
given. Fields are read by the names of the consult's schema 4 (``plan.baseline.pain_week``,
``course[].infusion``, ...); enums are read by their values, so this module needs neither the
consult model nor the course assessment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

# The y axis: the 0-10 numeric rating scale of pain.
PAIN_TOP: Final = 10
INFUSION_VALUES: Final = frozenset({"given", "stopped_early"})
# The largest whole pain that meets each pain measure, in exact arithmetic on integers as
# the course assessment judges it (docs/design.md section 13): 10 x pain <= 7 x baseline
# for a fall of 30%, 2 x pain <= baseline for 50%.
PAIN_MEASURES: Final = {"pain_30": (30, 7, 10), "pain_50": (50, 1, 2)}
END_WORDS: Final = {
    "plan_completed": "plan completed",
    "not_responding": "not responding",
    "stop_rule": "a stop rule",
    "side_effects": "side effects",
    "patient_choice": "the patient's choice",
    "other": "another reason",
}
_VISIT_PATH = re.compile(r"^course\[(\d+)\]")

LineStyle = Literal["solid", "dashed", "dotted"]


@dataclass(frozen=True)
class HorizontalLine:
    """A line across the chart at pain ``y``."""

    y: float
    style: LineStyle
    label: str


@dataclass(frozen=True)
class VerticalLine:
    """A line up the chart at ``x`` infusions."""

    x: float
    style: LineStyle
    label: str


@dataclass(frozen=True)
class VisitPoint:
    """One visit's 7-day pain at ``x`` (infusions given before it), or None: not recorded,
    drawn hollow with "?" in the strip above the scale. ``stop``: a stop finding fired at
    this visit (a triangle)."""

    visit: int
    x: int
    y: int | None
    stop: bool


@dataclass(frozen=True)
class InfusionBar:
    """Pain before and after infusion ``number``, a short light bar at ``number - 0.5``."""

    number: int
    x: float
    before: int
    after: int


@dataclass(frozen=True)
class ChartModel:
    """Everything the chart shows, in data units: x in infusions given, y in pain 0-10."""

    x_max: int
    baseline: HorizontalLine | None
    targets: tuple[HorizontalLine, ...]
    judgement: VerticalLine | None
    points: tuple[VisitPoint, ...]
    bars: tuple[InfusionBar, ...]
    end: VerticalLine | None

    @property
    def segments(self) -> tuple[tuple[VisitPoint, VisitPoint], ...]:
        """The visits' pain joined in visit order; a visit without pain is passed over."""
        known = [point for point in self.points if point.y is not None]
        return tuple(zip(known, known[1:], strict=False))


def _value(item: object) -> str | None:
    """An enum's value, a plain string as it is, None as None."""
    if item is None:
        return None
    return str(getattr(item, "value", item))


def pain_target(measure: str, baseline: int) -> int:
    """The largest whole pain that meets ``measure`` from ``baseline``: 4 from 7 for a fall
    of 30%, 3 from 7 for 50%."""
    _percent, numerator, denominator = PAIN_MEASURES[measure]
    return (numerator * baseline) // denominator


def infusions_before(course: Sequence[object]) -> list[int]:
    """For each visit, m: the number of visits with an infusion before it."""
    counts, given = [], 0
    for visit in course:
        counts.append(given)
        if _value(getattr(visit, "infusion", None)) in INFUSION_VALUES:
            given += 1
    return counts


def stop_visits(findings: Iterable[object]) -> frozenset[int]:
    """The visits (counted from 0) at which a stop finding fired: the visit indices in the
    paths of the answers that fired each finding of level ``stop``."""
    visits = set()
    for finding in findings:
        if _value(getattr(finding, "level", None)) != "stop":
            continue
        for path in getattr(finding, "fired_by", {}) or {}:
            match = _VISIT_PATH.match(str(path))
            if match:
                visits.add(int(match.group(1)))
    return frozenset(visits)


def infusion_words(number: int) -> str:
    return f"infusion {number}"


def chart_model(
    plan: object,
    course: Sequence[object],
    course_end: object | None = None,
    stops: frozenset[int] = frozenset(),
) -> ChartModel:
    """The chart of one course judged against its plan.

    Args:
        plan: the consult's ``plan`` (``baseline.pain_week``, ``measures``,
            ``judge_after_infusions``).
        course: the consult's visits, in order.
        course_end: the consult's ``course_end`` (its ``reason``), or None while it goes on.
        stops: the visits at which a stop finding fired (``stop_visits``).
    """
    baseline_pain = getattr(getattr(plan, "baseline", None), "pain_week", None)
    measures = [_value(measure) for measure in getattr(plan, "measures", ()) or ()]
    judge_after = getattr(plan, "judge_after_infusions", None)
    before = infusions_before(course)
    given = sum(
        1 for visit in course if _value(getattr(visit, "infusion", None)) in INFUSION_VALUES
    )
    baseline = None
    targets = []
    if baseline_pain is not None:
        baseline = HorizontalLine(baseline_pain, "solid", f"baseline {baseline_pain}")
        for measure in measures:
            if measure in PAIN_MEASURES:
                target = pain_target(measure, baseline_pain)
                percent = PAIN_MEASURES[measure][0]
                targets.append(
                    HorizontalLine(target, "dashed", f"{percent}% less: {target} or less")
                )
    judgement = None
    if judge_after is not None:
        judgement = VerticalLine(judge_after, "dotted", f"decide after infusion {judge_after}")
    points = tuple(
        VisitPoint(index, before[index], getattr(visit, "pain_week", None), index in stops)
        for index, visit in enumerate(course)
    )
    bars = []
    for visit in course:
        number = getattr(visit, "infusion_number", None)
        pain_before = getattr(visit, "pain_before", None)
        pain_after = getattr(visit, "pain_after", None)
        if number is not None and pain_before is not None and pain_after is not None:
            bars.append(InfusionBar(number, number - 0.5, pain_before, pain_after))
    end = None
    if course_end is not None:
        reason = _value(getattr(course_end, "reason", None)) or ""
        end = VerticalLine(given, "solid", f"course ended: {END_WORDS.get(reason, reason)}")
    x_max = max(given, judge_after or 0, 1) + 1
    return ChartModel(x_max, baseline, tuple(targets), judgement, points, tuple(bars), end)


@dataclass(frozen=True)
class Frame:
    """Where the plot sits in a widget of ``width`` x ``height`` pixels (device-independent),
    with room for the labels: left and bottom for the scales, top for the "?" strip."""

    width: float
    height: float
    left: float = 44.0
    right: float = 150.0
    top: float = 24.0
    bottom: float = 34.0

    @property
    def plot_width(self) -> float:
        return max(1.0, self.width - self.left - self.right)

    @property
    def plot_height(self) -> float:
        return max(1.0, self.height - self.top - self.bottom)

    def x(self, infusions: float, x_max: int) -> float:
        return self.left + self.plot_width * infusions / x_max

    def y(self, pain: float | None) -> float:
        """Pain 0 at the plot's foot, 10 at its head; not recorded in the strip above it."""
        if pain is None:
            return self.top / 2
        return self.top + self.plot_height * (1 - pain / PAIN_TOP)
