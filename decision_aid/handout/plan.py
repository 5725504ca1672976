"""The patient page "Your plan" (docs/design.md section 13.5; docs/design.md "The plan page").

Given to a patient who agreed to a trial of infusions: what will be checked and the target of
each chosen measure, when the trial is judged, what every visit checks and what could stop the
infusions (the same on every copy), a table of visits to write in, and the support lines.

Privacy by construction, as the handout's :class:`~decision_aid.handout.tailoring.Tailoring`:
the consult's plan is reduced here to a :class:`PlanSheet` that holds only the plan's numbers,
and the renderer is given only that, so no screening answer, finding, visit or date can reach
the page. This module stays light (no reportlab) so that the command line can build the sheet
and refuse a consult without a plan before anything heavy is imported; the page is made by
:func:`decision_aid.handout.render_plan` and :func:`decision_aid.handout.render_plan_html`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from decision_aid.consult import Measure, tenths

if TYPE_CHECKING:
    from decision_aid.consult import Plan

__all__ = ["NoPlan", "PlanSheet", "plan_sheet"]

# The measure ids of docs/design.md section 13.1, printed in this order whatever order the plan
# lists them in: the page reads alike for the same plan.
PAIN_30: Final = Measure.PAIN_30.value
PAIN_50: Final = Measure.PAIN_50.value
PGIC_MUCH: Final = Measure.PGIC_MUCH.value
FIQR_DROP: Final = Measure.FIQR_DROP.value
MEASURE_ORDER: Final = (PAIN_30, PAIN_50, PGIC_MUCH, FIQR_DROP)


class NoPlan(ValueError):
    """The consult records no trial plan: there is no page to print."""


@dataclass(frozen=True)
class PlanSheet:
    """All the plan page may know of a consult: the plan's measures and numbers.

    Attributes:
        measures: the chosen measure ids, in :data:`MEASURE_ORDER`.
        pain_now: the baseline pain over the past 7 days (0-10), when a pain measure is chosen.
        fiqr_now_tenths: the baseline FIQR total in tenths (620 for 62.0), with ``fiqr_drop``.
        fiqr_drop_percent: the fall the clinician chose for the FIQR, with ``fiqr_drop``.
        judge_after_infusions: the number of infusions after which response is judged.
        liver_tests_every: liver tests before infusion 1 and every k-th after it, or None.
    """

    measures: tuple[str, ...]
    judge_after_infusions: int
    pain_now: int | None = None
    fiqr_now_tenths: int | None = None
    fiqr_drop_percent: int | None = None
    liver_tests_every: int | None = None

    def __post_init__(self) -> None:
        unknown = [measure for measure in self.measures if measure not in MEASURE_ORDER]
        if unknown or not self.measures:
            raise ValueError(f"measures: expected some of {', '.join(MEASURE_ORDER)}")
        if self.judge_after_infusions < 1:
            raise ValueError("judge_after_infusions must be 1 or more")
        if self.has_pain and self.pain_now is None:
            raise ValueError("a pain measure needs the baseline pain")
        if FIQR_DROP in self.measures and (
            self.fiqr_now_tenths is None or self.fiqr_drop_percent is None
        ):
            raise ValueError("fiqr_drop needs the baseline FIQR and the percent")

    @property
    def has_pain(self) -> bool:
        return PAIN_30 in self.measures or PAIN_50 in self.measures

    @property
    def pain_target(self) -> int | None:
        """The largest whole pain score that meets the pain measure (docs/design.md 13.2:
        ``pain_30`` when 10 x pain <= 7 x baseline, ``pain_50`` when 2 x pain <= baseline)."""
        if self.pain_now is None:
            return None
        if PAIN_30 in self.measures:
            return (7 * self.pain_now) // 10
        if PAIN_50 in self.measures:
            return self.pain_now // 2
        return None

    @property
    def fiqr_target(self) -> int | None:
        """The largest whole FIQR total that meets ``fiqr_drop``: 100 x fiqr <= (100 - percent)
        x baseline, in exact arithmetic on the tenths."""
        if (
            FIQR_DROP not in self.measures
            or self.fiqr_now_tenths is None
            or self.fiqr_drop_percent is None
        ):
            return None
        return ((100 - self.fiqr_drop_percent) * self.fiqr_now_tenths) // 1000

    @property
    def fiqr_now(self) -> str | None:
        """The baseline FIQR as printed: "62" for 62.0, "61.5" for 61.5."""
        if self.fiqr_now_tenths is None:
            return None
        whole, tenth = divmod(self.fiqr_now_tenths, 10)
        return str(whole) if tenth == 0 else f"{whole}.{tenth}"


def _tenths(value: float | None) -> int | None:
    """A total of 0-100 with one decimal (as the consult holds it) as a whole number of
    tenths: 62.3 is 623, so the target is found without floating point."""
    return None if value is None else tenths(value)


def plan_sheet(plan: Plan | None) -> PlanSheet:
    """The consult's plan reduced to what its page prints.

    Raises:
        NoPlan: there is no plan, or it lacks what the page prints (the measures or the
            infusion count the trial is judged after, or a baseline a chosen measure needs);
            the message says which.
    """
    if plan is None:
        raise NoPlan("the consult has no trial plan")
    chosen = {measure.value for measure in plan.measures}
    measures = tuple(measure for measure in MEASURE_ORDER if measure in chosen)
    judge = plan.judge_after_infusions
    if judge is None:
        raise NoPlan("it does not say after how many infusions it is judged")
    try:
        return PlanSheet(
            measures=measures,
            judge_after_infusions=judge,
            pain_now=plan.baseline.pain_week if PAIN_30 in chosen or PAIN_50 in chosen else None,
            fiqr_now_tenths=_tenths(plan.baseline.fiqr_total) if FIQR_DROP in chosen else None,
            fiqr_drop_percent=plan.fiqr_drop_percent if FIQR_DROP in chosen else None,
            liver_tests_every=plan.liver_tests_every,
        )
    except ValueError as error:
        raise NoPlan(str(error)) from None
