"""The course assessment: a trial plan's record judged against the plan (docs/design.md
section 13.2; docs/design.md here, "Trial plan and course").

``assess_course`` is pure and deterministic, like ``assess`` beside it: it reads only the
consult and the content pack, and returns None when there is no plan. It judges response at
one visit, the judgement visit: the latest visit after at least the plan's number of
infusions, so that a response that fades shows as not responding. The measures are judged in
exact integer arithmetic on the stored whole numbers and tenths. A course whose record leaves a
required answer unknown is never ``responding``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, NamedTuple

from decision_aid.catalogue import COURSE_RULES, CourseStatus, Level
from decision_aid.consult import (
    Dissociation,
    LiverTestStatus,
    Measure,
    Pgic,
    PlanStatus,
    SuicideRisk,
    YesNo,
    tenths,
)
from decision_aid.course_rules import CourseCollector, screening_rules, visit_rules, visit_words
from decision_aid.rules import assess

if TYPE_CHECKING:
    from decision_aid.consult import Consult, Plan, Visit
    from decision_aid.content import Content
    from decision_aid.findings import Assessment, Finding

# PGIC answers that meet pgic_much (farrar2001: the mark of a clinically important change).
_MUCH_IMPROVED: Final = frozenset({Pgic.MUCH_IMPROVED, Pgic.VERY_MUCH_IMPROVED})
_LEVEL_ORDER: Final = {level: rank for rank, level in enumerate(Level)}
_RULE_ORDER: Final = {rule: rank for rank, rule in enumerate(COURSE_RULES)}


class JudgedAt(NamedTuple):
    """The judgement visit: its index (from 0) and the infusions given before it."""

    visit: int
    infusions: int


class MeasureResult(NamedTuple):
    """One chosen measure at the judgement visit. Pain and the FIQR are numbers (the FIQR in
    tenths as a one-decimal number); the PGIC is its category, and its target the least
    category that meets it. ``met`` is None when the value or the baseline is unknown."""

    baseline: int | float | None
    value: int | float | str | None
    target: int | float | str | None
    met: bool | None

    def as_json(self) -> dict[str, object]:
        return {
            "baseline": self.baseline,
            "value": self.value,
            "target": self.target,
            "met": self.met,
        }


@dataclass(frozen=True, slots=True)
class CourseAssessment:
    """The result for one course: its status, its findings (the most serious first), the
    urgent ones (the screening's first), the required answers still unknown, the judgement
    visit, each chosen measure there, and the section 5 assessment of the consult's current
    answers, unchanged."""

    status: CourseStatus
    urgent: tuple[Finding, ...]
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    judged_at: JudgedAt | None
    measures: dict[str, MeasureResult]
    screening: Assessment

    def as_json(self) -> dict[str, object]:
        """The assessment as the JSON object of ``decision-aid course --json``."""
        judged = self.judged_at
        return {
            "status": self.status.value,
            "urgent": [finding.as_json() for finding in self.urgent],
            "findings": [finding.as_json() for finding in self.findings],
            "missing": list(self.missing),
            "judged_at": (
                None if judged is None else {"visit": judged.visit, "infusions": judged.infusions}
            ),
            "measures": {name: result.as_json() for name, result in self.measures.items()},
            "screening": self.screening.as_json(),
        }

    def fired(self, rule: str) -> Finding | None:
        """The finding of one rule id, or None when that rule did not fire."""
        return next((finding for finding in self.findings if finding.rule == rule), None)


def assess_course(consult: Consult, content: Content) -> CourseAssessment | None:
    """Judges a course's record against its plan; None when the consult has no plan.

    Args:
        consult: the answers, with the plan and the visits.
        content: the content pack: the rules' texts and sources, and the thresholds.
    """
    plan = consult.plan
    if plan is None:
        return None
    screening = assess(consult, content)
    judged = judgement_visit(consult.course, plan.judge_after_infusions)
    limits = content.rulebook.course_thresholds
    percents = {
        Measure.PAIN_30: limits.pain_30_percent.value,
        Measure.PAIN_50: limits.pain_50_percent.value,
        Measure.FIQR_DROP: plan.fiqr_drop_percent,
    }
    judged_visit = consult.course[judged.visit] if judged else None
    measures = {
        str(measure): measure_result(measure, plan, judged_visit, percents.get(measure))
        for measure in plan.measures
    }
    found = CourseCollector(content)
    visit_rules(consult, plan, found)
    found.fire_gathered()
    screening_rules(consult, plan, screening, found)
    _plan_information(consult, plan, judged, measures, found, content)
    missing = tuple(dict.fromkeys((*missing_in_course(consult, plan, judged), *screening.missing)))
    status = course_status(found.findings, missing, judged, measures)
    if status is CourseStatus.RESPONDING:
        found.fire("course.info.follow_on", {"course.status": status.value})
    findings = tuple(
        sorted(
            found.findings,
            key=lambda finding: (
                not finding.urgent,
                _LEVEL_ORDER[finding.level],
                _RULE_ORDER[finding.rule],
            ),
        )
    )
    return CourseAssessment(
        status=status,
        urgent=screening.urgent + tuple(finding for finding in findings if finding.urgent),
        findings=findings,
        missing=missing,
        judged_at=judged,
        measures=measures,
        screening=screening,
    )


def judgement_visit(visits: list[Visit], judge_after: int | None) -> JudgedAt | None:
    """The latest visit after at least ``judge_after`` infusions (given or stopped early),
    or None: there is none until the agreed number has been given and the patient seen
    again."""
    if judge_after is None:
        return None
    judged = None
    infusions = 0
    for index, visit in enumerate(visits):
        if infusions >= judge_after:
            judged = JudgedAt(index, infusions)
        if visit.with_infusion:
            infusions += 1
    return judged


def measure_result(
    measure: Measure, plan: Plan, visit: Visit | None, percent: int | None
) -> MeasureResult:
    """One measure at the judgement visit, in exact arithmetic: pain_30 is met when 100 x pain
    <= (100 - 30) x baseline, the FIQR likewise in tenths."""
    baseline = plan.baseline
    if measure is Measure.PGIC_MUCH:
        pgic = visit.pgic if visit else None
        met = None if pgic is None else pgic in _MUCH_IMPROVED
        return MeasureResult(None, None if pgic is None else pgic.value, "much_improved", met)
    if measure is Measure.FIQR_DROP:
        start = baseline.fiqr_total
        value = visit.fiqr_total if visit else None
        if start is None or percent is None:
            return MeasureResult(start, value, None, None)
        allowed = (100 - percent) * tenths(start)
        target = allowed // 100 / 10
        met = None if value is None else 100 * tenths(value) <= allowed
        return MeasureResult(start, value, target, met)
    pain_start = baseline.pain_week
    pain = visit.pain_week if visit else None
    if pain_start is None or percent is None:
        return MeasureResult(pain_start, pain, None, None)
    # The largest whole pain score that meets the measure.
    pain_target = (100 - percent) * pain_start // 100
    met = None if pain is None else 100 * pain <= (100 - percent) * pain_start
    return MeasureResult(pain_start, pain, pain_target, met)


def course_status(
    findings: list[Finding],
    missing: tuple[str, ...],
    judged: JudgedAt | None,
    measures: dict[str, MeasureResult],
) -> CourseStatus:
    """From worst: a stop; a check or a missing answer; no judgement visit; then every chosen
    measure met, or not."""
    levels = {finding.level for finding in findings}
    if Level.STOP in levels:
        return CourseStatus.STOP_RULE_MET
    if missing or Level.CHECK in levels:
        return CourseStatus.INCOMPLETE_RECORD
    if judged is None:
        return CourseStatus.TOO_EARLY
    if measures and all(result.met is True for result in measures.values()):
        return CourseStatus.RESPONDING
    return CourseStatus.NOT_RESPONDING


def missing_in_course(consult: Consult, plan: Plan, judged: JudgedAt | None) -> list[str]:
    """The required answers of docs/design.md section 13.1 still unknown, as paths: the
    plan's first, then each visit's in order."""
    missing = [f"plan.{name}" for name in _plan_unknowns(plan)]
    every = plan.liver_tests_every
    for index, visit in enumerate(consult.course):
        path = f"course[{index}]"
        missing += [f"{path}.{name}" for name in _visit_unknowns(visit)]
        if judged is not None and index == judged.visit:
            if Measure.PGIC_MUCH in plan.measures and visit.pgic is None:
                missing.append(f"{path}.pgic")
            if Measure.FIQR_DROP in plan.measures and visit.fiqr_total is None:
                missing.append(f"{path}.fiqr_total")
        number = visit.infusion_number
        due = every is not None and number is not None and (number - 1) % every == 0
        if due and (visit.liver is None or visit.liver.status is not LiverTestStatus.DONE):
            missing.append(f"{path}.liver")
    return missing


def _plan_unknowns(plan: Plan) -> list[str]:
    unknown = []
    if not plan.measures:
        unknown.append("measures")
    if Measure.FIQR_DROP in plan.measures and plan.fiqr_drop_percent is None:
        unknown.append("fiqr_drop_percent")
    if plan.judge_after_infusions is None:
        unknown.append("judge_after_infusions")
    if (
        plan.made_at_status is PlanStatus.SPECIALIST_REVIEW
        and plan.specialist_agreed is YesNo.UNKNOWN
    ):
        unknown.append("specialist_agreed")
    if plan.baseline.pain_week is None:
        unknown.append("baseline.pain_week")
    if Measure.FIQR_DROP in plan.measures and plan.baseline.fiqr_total is None:
        unknown.append("baseline.fiqr_total")
    if plan.baseline.bladder is None:
        unknown.append("baseline.bladder")
    return unknown


def _visit_unknowns(visit: Visit) -> list[str]:
    """A visit's required answers left unknown, in the order of the visit's fields."""
    item9 = visit.phq9_item9
    risk_asked = item9 is not None and item9 >= 1
    needed: list[tuple[str, bool]] = [("pain_week", visit.pain_week is None)]
    if visit.with_infusion:
        needed += [
            ("bp_before", visit.bp_before is None),
            ("bp_peak", visit.bp_peak is None),
            ("bp_after", visit.bp_after is None),
            ("dissociation", visit.dissociation is Dissociation.UNKNOWN),
            ("side_effects", visit.side_effects is None),
            ("side_effects_acceptable", visit.side_effects_acceptable is YesNo.UNKNOWN),
        ]
    needed += [
        ("phq9_item9", item9 is None),
        (
            "suicide_risk",
            risk_asked and visit.suicide_risk in (SuicideRisk.UNKNOWN, SuicideRisk.NOT_ASSESSED),
        ),
        ("bladder", visit.bladder is None),
        ("misuse_signs", visit.misuse_signs is None),
        ("screening_reviewed", visit.screening_reviewed is YesNo.UNKNOWN),
    ]
    return [name for name, unknown in needed if unknown]


def _plan_information(
    consult: Consult,
    plan: Plan,
    judged: JudgedAt | None,
    measures: dict[str, MeasureResult],
    found: CourseCollector,
    content: Content,
) -> None:
    """The information findings that read the plan and the judgement."""
    limit = content.rulebook.course_thresholds.low_baseline_pain.value
    pain_chosen = {Measure.PAIN_30, Measure.PAIN_50} & set(plan.measures)
    start = plan.baseline.pain_week
    if pain_chosen and start is not None and start < limit:
        found.fire(
            "course.info.low_baseline",
            {"plan.baseline.pain_week": start},
            baseline=start,
            limit=limit,
        )
    if judged is not None and measures:
        visit = consult.course[judged.visit]
        words = content.rulebook.course_measures
        results = content.rulebook.course_results
        lines = [
            words[name].format_map(
                {
                    "baseline": _shown(result.baseline),
                    "value": _shown(result.value),
                    "target": _shown(result.target),
                    "result": results[_result_key(result.met)],
                }
            )
            for name, result in measures.items()
        ]
        every = all(result.met is True for result in measures.values())
        found.fire(
            "course.info.response",
            {
                f"course[{judged.visit}].{field}": value
                for field, value in (
                    ("pain_week", visit.pain_week if pain_chosen else None),
                    ("pgic", visit.pgic),
                    ("fiqr_total", None if visit.fiqr_total is None else str(visit.fiqr_total)),
                )
                if value is not None
            },
            ("met",) if every else ("not_met",),
            visit=visit_words(judged.visit, visit, judged.infusions),
            infusions=judged.infusions,
            measures=" ".join(lines),
        )
    if consult.course_end is not None and judged is None:
        found.fire(
            "course.info.ended_early", {"course_end.reason": consult.course_end.reason.value}
        )


def _result_key(met: bool | None) -> str:
    return "unknown" if met is None else "met" if met else "not_met"


def _shown(value: object) -> str:
    """A measure's number or category as a text prints it; an unknown one as "?"."""
    if value is None:
        return "?"
    return str(value).replace("_", " ")


def format_course(assessment: CourseAssessment | None, content: Content) -> str:
    """The course assessment as plain text for a terminal: status, judgement and measures,
    urgent items, findings with what fired them and their sources, the unknown answers, and
    the screening's status."""
    rulebook = content.rulebook
    if assessment is None:
        return "Course: no trial plan (nothing to judge)"
    lines = [f"Course: {rulebook.course_statuses[assessment.status]}"]
    judged = assessment.judged_at
    if judged is None:
        lines.append("  No judgement visit yet.")
    else:
        lines.append(
            f"  Judged at visit {judged.visit + 1}, after {judged.infusions} infusions "
            f"(course[{judged.visit}])."
        )
    for name, result in assessment.measures.items():
        lines.append(
            f"  {name}: baseline {_shown(result.baseline)}, value {_shown(result.value)}, "
            f"target {_shown(result.target)}: {rulebook.course_results[_result_key(result.met)]}"
        )
    if assessment.urgent:
        lines += ["", "URGENT - act today:"]
        lines.extend(f"  ! {finding.text}" for finding in assessment.urgent)
    lines += ["", "Findings:"]
    for finding in assessment.findings:
        lines.append(f"  [{rulebook.levels[finding.level]}] {finding.title} ({finding.rule})")
        lines.append(f"      {finding.text}")
        if finding.fired_by:
            because = "; ".join(f"{path} = {value}" for path, value in finding.fired_by.items())
            lines.append(f"      Because: {because}")
        if finding.citations:
            sources = ", ".join(content.evidence.sources[key].short for key in finding.citations)
            lines.append(f"      Sources: {sources}")
    if assessment.missing:
        lines += ["", "Still unknown (required):"]
        lines.extend(f"  - {path}" for path in assessment.missing)
    lines += ["", f"Screening: {rulebook.statuses[assessment.screening.status]}"]
    lines.append(f"Content: {content.pack.name}, version {content.pack.version}")
    return "\n".join(lines)
