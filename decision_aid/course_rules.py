"""The course rules: which findings a course's record fires, visit by visit (docs/design.md
section 13.2; docs/design.md here, "Trial plan and course").

Each rule fires at most once, naming every visit that fired it (counted from 1 for people,
from 0 in the paths of ``fired_by``); its variants are the distinct reasons in visit order.
Every threshold comes from the content pack (``course_thresholds``, with the fact base's
keys) and is printed in the finding's text. A rule the plan chose as a stop fires as its
``course.stop.`` twin instead of its ``course.caution.`` one, and changes nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from decision_aid.catalogue import COURSE_RULES, STOP_RULE_TWINS, Level, Status
from decision_aid.consult import (
    BloodPressure,
    Dissociation,
    Leaning,
    SideEffect,
    SuicideRisk,
    YesNo,
    tenths,
)
from decision_aid.findings import Answer, Finding

if TYPE_CHECKING:
    from decision_aid.consult import Consult, Plan, Visit
    from decision_aid.content import Content
    from decision_aid.content.coursebook import CourseThresholds
    from decision_aid.findings import Assessment

# Outcomes of a visit's suicide-risk assessment that keep its finding urgent.
_URGENT_RISKS: Final = frozenset({SuicideRisk.NOT_ASSESSED, SuicideRisk.UNKNOWN, SuicideRisk.HIGH})


def visit_words(index: int, visit: Visit, infusions_before: int) -> str:
    """A visit as people count it: "visit 5 (infusion 4)", "visit 6 (after infusion 4)"."""
    if visit.with_infusion:
        return f"visit {index + 1} (infusion {visit.infusion_number})"
    if infusions_before:
        return f"visit {index + 1} (after infusion {infusions_before})"
    return f"visit {index + 1} (before infusion 1)"


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(slots=True)
class _Firing:
    """One rule's firing as the visits add to it."""

    visits: list[str] = field(default_factory=list)
    fired_by: dict[str, Answer] = field(default_factory=dict)
    variants: list[str] = field(default_factory=list)
    urgent: bool = False

    def add(self, where: str, fired_by: dict[str, Answer], *variants: str) -> None:
        if where not in self.visits:
            self.visits.append(where)
        self.fired_by.update(fired_by)
        self.variants.extend(variant for variant in variants if variant not in self.variants)


class CourseCollector:
    """Gathers the course's findings, filling each rule's text and sources from the pack."""

    def __init__(self, content: Content) -> None:
        self.rulebook = content.rulebook
        self.thresholds: CourseThresholds = content.rulebook.course_thresholds
        self.findings: list[Finding] = []
        self._firings: dict[str, _Firing] = {}

    def at(self, rule: str, where: str, fired_by: dict[str, Answer], *variants: str) -> _Firing:
        """Adds one visit's part of a rule's firing."""
        firing = self._firings.setdefault(rule, _Firing())
        firing.add(where, fired_by, *variants)
        return firing

    def fire(
        self,
        rule: str,
        fired_by: dict[str, Answer],
        variants: tuple[str, ...] = (),
        *,
        urgent: bool | None = None,
        citations: tuple[str, ...] = (),
        **values: object,
    ) -> None:
        spec = COURSE_RULES[rule]
        entry = self.rulebook.course_rules[rule]
        names = {**dict.fromkeys(spec.placeholders, None), **self._threshold_values(), **values}
        parts = [entry.text]
        if spec.variant_texts:
            parts += [entry.variants[name] for name in variants]
        text = " ".join(part.format_map(names) for part in parts)
        cited = entry.citations + tuple(
            key for name in variants for key in entry.variant_citations.get(name, ())
        )
        self.findings.append(
            Finding(
                rule,
                spec.level,
                entry.title,
                text,
                fired_by,
                tuple(dict.fromkeys(cited + citations)),
                spec.urgent if urgent is None else urgent,
                variants,
            )
        )

    def fire_gathered(self) -> None:
        """Fires every rule the visits added to, in the catalogue's order."""
        for rule in COURSE_RULES:
            firing = self._firings.get(rule)
            if firing is None:
                continue
            self.fire(
                rule,
                firing.fired_by,
                tuple(firing.variants),
                urgent=firing.urgent if COURSE_RULES[rule].urgent else None,
                visits=_listed(firing.visits),
            )

    def _threshold_values(self) -> dict[str, object]:
        limits = self.thresholds
        return {
            "systolic": limits.bp_before_systolic.value,
            "diastolic": limits.bp_before_diastolic.value,
            "high_systolic": limits.bp_before_high_systolic.value,
            "high_diastolic": limits.bp_before_high_diastolic.value,
            "rise_systolic": limits.bp_rise_systolic.value,
            "rise_diastolic": limits.bp_rise_diastolic.value,
            "peak_systolic": limits.bp_peak_systolic.value,
            "peak_diastolic": limits.bp_peak_diastolic.value,
            "alt_ast": limits.liver_transaminase.value,
            "bilirubin": limits.liver_bilirubin.value,
            "alp": limits.liver_alp.value,
        }


def _twin(plan: Plan, stop_rule: str) -> str:
    """The rule a finding fires as: its stop when the plan chose it, else its caution."""
    name = STOP_RULE_TWINS[stop_rule]
    chosen = stop_rule in plan.stop_rules
    return f"course.stop.{name}" if chosen else f"course.caution.{name}"


def _bp(reading: BloodPressure) -> str:
    return f"{reading.systolic}/{reading.diastolic}"


def visit_rules(consult: Consult, plan: Plan, found: CourseCollector) -> None:
    """The rules that read the visits, each visit on its own."""
    limits = found.thresholds
    baseline_bladder = set(plan.baseline.bladder or ())
    infusions = 0
    for index, visit in enumerate(consult.course):
        where = visit_words(index, visit, infusions)
        path = f"course[{index}]"
        _suicide_rules(visit, path, where, found)
        _blood_pressure_rules(visit, plan, path, where, found, limits)
        _liver_rules(visit, plan, path, where, found, limits)
        if visit.dissociation is Dissociation.SEVERE:
            found.at(_twin(plan, "dissociation_severe"), where, {f"{path}.dissociation": "severe"})
        elif visit.dissociation is Dissociation.MODERATE:
            found.at("course.info.dissociation", where, {f"{path}.dissociation": "moderate"})
        if visit.side_effects_acceptable is YesNo.NO:
            rule = _twin(plan, "side_effects_not_acceptable")
            found.at(rule, where, {f"{path}.side_effects_acceptable": "no"})
        if SideEffect.BREATHING_PROBLEM in (visit.side_effects or ()):
            found.at(
                "course.caution.breathing",
                where,
                {f"{path}.side_effects": [str(effect) for effect in visit.side_effects or ()]},
            )
        new_bladder = [str(s) for s in visit.bladder or () if s not in baseline_bladder]
        if new_bladder:
            rule = _twin(plan, "bladder_new")
            found.at(rule, where, {f"{path}.bladder": new_bladder}, *new_bladder)
        if visit.misuse_signs:
            signs = [str(sign) for sign in visit.misuse_signs]
            found.at(_twin(plan, "misuse_signs"), where, {f"{path}.misuse_signs": signs}, *signs)
        if visit.screening_reviewed is YesNo.NO and visit.with_infusion:
            found.at(
                "course.caution.screening_not_reviewed",
                where,
                {f"{path}.screening_reviewed": "no"},
            )
        if visit.pain_after is not None:
            found.at(
                "course.info.infusion_day_relief",
                where,
                {f"{path}.pain_before": visit.pain_before, f"{path}.pain_after": visit.pain_after},
            )
        if visit.with_infusion:
            infusions += 1


def _suicide_rules(visit: Visit, path: str, where: str, found: CourseCollector) -> None:
    item9, risk = visit.phq9_item9, visit.suicide_risk
    if (item9 is not None and item9 >= 1) or risk is SuicideRisk.HIGH:
        outcome = "not_assessed" if risk is SuicideRisk.UNKNOWN else risk.value
        firing = found.at(
            "course.urgent.self_harm",
            where,
            {f"{path}.phq9_item9": item9, f"{path}.suicide_risk": risk.value},
            outcome,
        )
        firing.urgent = firing.urgent or risk in _URGENT_RISKS
    if risk is SuicideRisk.HIGH:
        found.at("course.stop.suicide_risk_high", where, {f"{path}.suicide_risk": "high"})


def _blood_pressure_rules(
    visit: Visit,
    plan: Plan,
    path: str,
    where: str,
    found: CourseCollector,
    limits: CourseThresholds,
) -> None:
    before, peak, after = visit.bp_before, visit.bp_peak, visit.bp_after
    if before is not None and visit.with_infusion:
        if (
            before.systolic > limits.bp_before_high_systolic.value
            or before.diastolic > limits.bp_before_high_diastolic.value
        ):
            variant = "above_180_100"
        elif (
            before.systolic > limits.bp_before_systolic.value
            or before.diastolic > limits.bp_before_diastolic.value
        ):
            variant = "above_140_90"
        else:
            variant = ""
        if variant:
            firing = found.at(
                "course.caution.bp_before", where, {f"{path}.bp_before": _bp(before)}, variant
            )
            # A reading above 180/100 anywhere replaces the lower category (docs/design.md
            # section 13.8).
            if "above_180_100" in firing.variants and "above_140_90" in firing.variants:
                firing.variants.remove("above_140_90")
    if peak is not None:
        variants = _raised(before, peak, limits)
        if variants:
            fired_by: dict[str, Answer] = {f"{path}.bp_peak": _bp(peak)}
            if before is not None:
                fired_by[f"{path}.bp_before"] = _bp(before)
            found.at(_twin(plan, "bp_during"), where, fired_by, *variants)
    if after is not None and _raised(before, after, limits):
        fired_by = {f"{path}.bp_after": _bp(after)}
        if before is not None:
            fired_by[f"{path}.bp_before"] = _bp(before)
        found.at("course.caution.bp_not_settled", where, fired_by)


def _raised(
    before: BloodPressure | None, reading: BloodPressure, limits: CourseThresholds
) -> list[str]:
    """``rise`` and ``peak`` as a reading meets them: a rise of at least the label's
    categories from before the infusion, or a reading at or above its peak categories."""
    variants = []
    if before is not None and (
        reading.systolic - before.systolic >= limits.bp_rise_systolic.value
        or reading.diastolic - before.diastolic >= limits.bp_rise_diastolic.value
    ):
        variants.append("rise")
    if (
        reading.systolic >= limits.bp_peak_systolic.value
        or reading.diastolic >= limits.bp_peak_diastolic.value
    ):
        variants.append("peak")
    return variants


def _liver_rules(
    visit: Visit,
    plan: Plan,
    path: str,
    where: str,
    found: CourseCollector,
    limits: CourseThresholds,
) -> None:
    # Judged visit by visit: the worst pattern of this visit's test fires, and one visit's
    # pattern never silences another's (docs/design.md section 13.8).
    test = visit.liver
    if test is None:
        return
    values = {"alt": test.alt, "ast": test.ast, "alp": test.alp, "bilirubin": test.bilirubin}
    known = {name: tenths(value) for name, value in values.items() if value is not None}
    if not known:
        return
    fired_by: dict[str, Answer] = {f"{path}.liver.{name}": str(values[name]) for name in known}
    transaminase = max(known.get("alt", 0), known.get("ast", 0))
    raised_transaminase = transaminase >= tenths(limits.liver_transaminase.value)
    if raised_transaminase and known.get("bilirubin", 0) > tenths(limits.liver_bilirubin.value):
        found.at("course.stop.liver_injury", where, fired_by)
        return
    variants = ["alt_ast"] if raised_transaminase else []
    if known.get("alp", 0) >= tenths(limits.liver_alp.value):
        variants.append("alp")
    if variants:
        found.at(_twin(plan, "liver_raised"), where, fired_by, *variants)
    elif max(known.values()) > tenths(limits.liver_normal.value):
        found.at("course.info.liver_above_normal", where, fired_by)


def screening_rules(
    consult: Consult, plan: Plan, screening: Assessment, found: CourseCollector
) -> None:
    """The rules that read the section 5 assessment of the consult's current answers, and the
    plan against the decision."""
    titles = found.rulebook.rules
    if screening.status is Status.NOT_ADVISED:
        stops = [finding for finding in screening.findings if finding.level is Level.STOP]
        found.fire(
            "course.stop.screening",
            {"screening.status": screening.status.value},
            tuple(finding.rule for finding in stops),
            citations=tuple(key for finding in stops for key in finding.citations),
            rules="; ".join(titles[finding.rule].title for finding in stops),
        )
    elif screening.status is Status.INCOMPLETE:
        found.fire("course.check.screening_incomplete", {"screening.status": "incomplete"})
    agreed = set(plan.made_with_findings)
    changed = [
        finding
        for finding in screening.findings
        if finding.level in (Level.CAUTION, Level.FIRST) and finding.rule not in agreed
    ]
    if changed:
        found.fire(
            "course.caution.screening_changed",
            {"plan.made_with_findings": list(plan.made_with_findings)},
            tuple(finding.rule for finding in changed),
            citations=tuple(key for finding in changed for key in finding.citations),
            rules="; ".join(titles[finding.rule].title for finding in changed),
        )
    mismatch: list[str] = []
    fired_by: dict[str, Answer] = {}
    if consult.decision.leaning is not Leaning.KETAMINE:
        mismatch.append("leaning")
        fired_by["decision.leaning"] = consult.decision.leaning.value
    if plan.specialist_agreed is YesNo.NO:
        mismatch.append("no_review")
        fired_by["plan.specialist_agreed"] = "no"
    if mismatch:
        found.fire("course.check.plan_vs_decision", fired_by, tuple(mismatch))
    if plan.liver_tests_every is None and screening.fired("caution.liver") is not None:
        found.fire("course.caution.liver_not_planned", {"plan.liver_tests_every": None})
