"""The eligibility rules: a consult's answers in, an assessment out (docs/design.md
section 5).

``assess`` is pure and deterministic: it reads only the consult and the content pack's rule
texts, and every finding carries the rule that fired, the answers that fired it and the
sources behind it, so that the clinician can check the basis of every result.

An answer that was never given is unknown, never "none": a required answer left unknown makes
the consult incomplete, and two answers that contradict each other make it incomplete until one
is corrected. So no consult looks safer because a question was skipped.
"""

from __future__ import annotations

import operator
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, NamedTuple

from decision_aid.bounds import fill_bounds
from decision_aid.catalogue import PHQ9_BANDS, RULES, Level, Status
from decision_aid.consult import (
    Bipolar,
    Cardiovascular,
    Consult,
    Crps,
    Depression,
    Diagnosis,
    Hypersensitivity,
    Liver,
    Medication,
    Outcome,
    Pregnancy,
    Presence,
    Pressure,
    PriorTreatment,
    Psychosis,
    Substance,
    SubstanceStatus,
    Therapy,
    YesNo,
    answer_at,
    missing_required,
)

if TYPE_CHECKING:
    from decision_aid.content import Content, RuleBook

Answer = str | int | list[str] | None

# Medicine classes whose failure counts toward "standard care tried".
MEDICINE_CLASSES: Final[dict[str, tuple[Therapy, ...]]] = {
    "SNRI": (Therapy.DULOXETINE, Therapy.MILNACIPRAN),
    "gabapentinoid": (Therapy.PREGABALIN, Therapy.GABAPENTIN),
    "tricyclic-type": (Therapy.AMITRIPTYLINE, Therapy.CYCLOBENZAPRINE),
}

# Outcomes that count as "tried without adequate benefit". Helping is working, and an outcome
# that was not recorded is not assumed to be a failure.
_FAILED: Final = frozenset(
    {Outcome.NO_BENEFIT, Outcome.PARTIAL_BENEFIT, Outcome.STOPPED_SIDE_EFFECTS}
)

# Medicines that add to the breathing risk of sleep apnoea.
_SEDATING: Final = frozenset(
    {Medication.BENZODIAZEPINE, Medication.OPIOID, Medication.OTHER_CNS_DEPRESSANT}
)

_LEVEL_ORDER: Final = {level: rank for rank, level in enumerate(Level)}


class Finding(NamedTuple):
    """One rule that fired: what it says, why it fired and what it rests on.

    A named tuple rather than a frozen dataclass: a consult fires a dozen findings, and a
    frozen dataclass costs several times more to build (docs/design.md section 10).
    """

    rule: str
    level: Level
    title: str
    text: str
    fired_by: dict[str, Answer]
    citations: tuple[str, ...]
    urgent: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "level": self.level.value,
            "urgent": self.urgent,
            "title": self.title,
            "text": self.text,
            "fired_by": self.fired_by,
            "citations": list(self.citations),
        }


class Bounds(NamedTuple):
    """The best and the worst status a consult can still reach by answering its unknown
    required answers, the known ones left as they are (docs/design.md section 5)."""

    best: Status
    worst: Status


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result for one consult.

    ``findings`` holds every finding, the most serious first; ``urgent`` repeats those that need
    action today so that they can be shown above everything else; ``missing`` names the
    required answers still unknown, as dotted paths in the order of the consult file.
    """

    status: Status
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    urgent: tuple[Finding, ...]
    # The best and the worst status the consult can still reach once its unknown required
    # answers are given; both are the status when none is unknown.
    bounds: Bounds

    def as_json(self) -> dict[str, object]:
        """The assessment as the JSON object of ``decision-aid assess --json``."""
        return {
            "status": self.status.value,
            "bounds": {"best": self.bounds.best.value, "worst": self.bounds.worst.value},
            "urgent": [finding.as_json() for finding in self.urgent],
            "findings": [finding.as_json() for finding in self.findings],
            "missing": list(self.missing),
        }

    def fired(self, rule: str) -> Finding | None:
        """The finding of one rule id, or None when that rule did not fire."""
        return next((finding for finding in self.findings if finding.rule == rule), None)

    @property
    def conflicts(self) -> tuple[Finding, ...]:
        """The findings of answers that contradict each other (level ``check``)."""
        return tuple(finding for finding in self.findings if finding.level is Level.CHECK)


class _Collector:
    """Gathers findings, filling each rule's text and sources from the content pack."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._rulebook = content.rulebook
        self._made = _made_by(content.rulebook)
        self.findings: list[Finding] = []

    def fire(
        self,
        rule: str,
        fired_by: dict[str, Answer],
        variants: tuple[str, ...] = (),
        *,
        urgent: bool | None = None,
        **values: object,
    ) -> None:
        key = (rule, variants, tuple(values.items()) if values else ())
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _made_finding(self._rulebook, rule, variants, values)
        level, title, text, citations, spec_urgent = made
        self.findings.append(
            Finding(
                rule,
                level,
                title,
                text,
                fired_by,
                citations,
                spec_urgent if urgent is None else urgent,
            )
        )


_Made = tuple[Level, str, str, tuple[str, ...], bool]

# What a rule says for one combination of variants and values, by rule book: consults repeat
# the same few combinations. The cache belongs to its rule book and dies with it:
# - keyed by id(rulebook), since a RuleBook (a frozen pydantic model of content.py) holds
#   dicts and so is not hashable, which rules out a WeakKeyDictionary, and its class has no
#   place for a cache of ours;
# - an id is unique among living objects and reused only after its object is gone, so a
#   weakref.finalize drops the entry when its rule book is collected (before the id can be
#   given to another object); it holds the key, never the rule book.
# So a cached text can never be served for another pack, however many packs a process loads,
# and no rule book is kept alive by the cache.
_MADE: Final[dict[int, dict[object, _Made]]] = {}


def _made_by(rulebook: RuleBook) -> dict[object, _Made]:
    key = id(rulebook)
    made = _MADE.get(key)
    if made is None:
        made = _MADE[key] = {}
        weakref.finalize(rulebook, _MADE.pop, key, None)
    return made


def _made_finding(
    rulebook: RuleBook, rule: str, variants: tuple[str, ...], values: dict[str, object]
) -> _Made:
    """A rule's level, title, text with its variants and values filled in, and its sources
    (the rule's own, then each shown variant's)."""
    spec = RULES[rule]
    entry = rulebook.rules[rule]
    parts = [entry.text, *(entry.variants[name] for name in variants)]
    text = " ".join(part.format_map(values) for part in parts)
    citations = entry.citations + tuple(
        key for variant in variants for key in entry.variant_citations.get(variant, ())
    )
    return spec.level, entry.title, text, tuple(dict.fromkeys(citations)), spec.urgent


def assess(consult: Consult, content: Content) -> Assessment:
    """Applies every rule of the catalogue to a consult.

    Args:
        consult: the answers.
        content: the content pack that supplies the rules' texts, sources and answer labels.

    Returns:
        The assessment: status, findings (most serious first), urgent findings, the required
        answers that are still unknown and the bounds of the status they leave open.
    """
    findings = _findings(consult, content)
    missing = missing_answers(consult)
    status = _status(findings, missing)
    return Assessment(
        status=status,
        findings=findings,
        missing=missing,
        urgent=tuple(finding for finding in findings if finding.urgent),
        bounds=_bounds(consult, content, status, missing),
    )


def _findings(consult: Consult, content: Content) -> tuple[Finding, ...]:
    found = _Collector(content)
    _single_answer_rules(consult, found)
    _conflicts(consult, found)
    _safety_cautions(consult, found)
    _diagnosis(consult, found)
    _standard_care(consult, found)
    _information(consult, found)
    # Urgent findings first, then by level; sorted() is stable, so catalogue order breaks ties.
    return tuple(
        sorted(
            found.findings, key=lambda finding: (not finding.urgent, _LEVEL_ORDER[finding.level])
        )
    )


def _bounds(consult: Consult, content: Content, status: Status, missing: tuple[str, ...]) -> Bounds:
    """The best and the worst status the consult can reach by answering what is missing
    (``decision_aid/bounds.py`` fills the answers; the rules here judge each filling)."""
    if not missing or status is Status.NOT_ADVISED:
        return Bounds(status, status)
    best, worst = fill_bounds(
        consult,
        status_of=lambda filled: _status(_findings(filled, content), ()),
        conflicts_of=lambda filled: _conflict_keys(filled, content),
    )
    return Bounds(best, worst)


def _conflict_keys(consult: Consult, content: Content) -> frozenset[str]:
    """The check findings of a consult, by rule and the answers that fired them."""
    found = _Collector(content)
    _conflicts(consult, found)
    return frozenset(f"{finding.rule}:{finding.fired_by}" for finding in found.findings)


def missing_answers(consult: Consult) -> tuple[str, ...]:
    """The required answers that are still unknown, as dotted paths in file order.

    Which answers are required, always or when another answer calls for them, is the table
    of answers' to say (``decision_aid/consult/answers.py``; docs/design.md section 5):
    today age, pregnancy, depression, every safety answer (a medication list that was not
    reviewed is unknown) and the substance-use status always; the substances when use is in
    remission or active; PHQ-9 item 9 when depression is present or the total is 10 or more.
    """
    return missing_required(consult)


def answer(consult: Consult, path: str) -> Answer:
    """One answer by its dotted path, as plain JSON data ("unknown", a number, None, a list).

    A list that was not reviewed is None; a prior treatment is "therapy: outcome".
    """
    value: object = answer_at(consult, path)
    if isinstance(value, list):
        return [
            f"{item.therapy}: {item.outcome}" if isinstance(item, PriorTreatment) else str(item)
            for item in value
        ]
    if value is None or isinstance(value, int):
        return value
    return str(value)


def _status(findings: tuple[Finding, ...], missing: tuple[str, ...]) -> Status:
    levels = {finding.level for finding in findings}
    if Level.STOP in levels:
        return Status.NOT_ADVISED
    if missing or Level.CHECK in levels:
        return Status.INCOMPLETE
    if Level.CAUTION in levels:
        return Status.SPECIALIST_REVIEW
    if Level.FIRST in levels:
        return Status.STANDARD_CARE_FIRST
    return Status.MAY_DISCUSS


# Rules that fire on one answer having one value; the rest need more than a lookup.
_FIRES_ON_ANSWER: Final = (
    ("stop.pregnancy", "patient.pregnancy", Pregnancy.PREGNANT),
    ("stop.psychosis_active", "safety.psychosis", Psychosis.ACTIVE),
    ("stop.cardiovascular", "safety.cardiovascular", Cardiovascular.POORLY_CONTROLLED),
    ("stop.vascular_hazard", "safety.vascular_hazard", Presence.PRESENT),
    ("stop.liver_severe", "safety.liver", Liver.SEVERE),
    ("stop.intracranial_pressure", "safety.intracranial_pressure", Pressure.RAISED),
    ("stop.intraocular_pressure", "safety.intraocular_pressure", Pressure.RAISED),
    ("stop.substance_use_active", "substance_use.status", SubstanceStatus.ACTIVE),
    ("stop.hypersensitivity", "safety.ketamine_hypersensitivity", Hypersensitivity.YES),
    ("caution.cardiovascular", "safety.cardiovascular", Cardiovascular.CONTROLLED),
    ("caution.psychosis_history", "safety.psychosis", Psychosis.PAST_EPISODE),
    ("caution.psychotic_disorder", "safety.psychosis", Psychosis.CHRONIC_DISORDER),
    ("caution.bipolar", "safety.bipolar", Bipolar.HISTORY),
    ("caution.substance_use_remission", "substance_use.status", SubstanceStatus.IN_REMISSION),
    ("caution.breastfeeding", "patient.pregnancy", Pregnancy.BREASTFEEDING),
    ("caution.pregnancy_planning", "patient.pregnancy", Pregnancy.PLANNING),
    ("caution.urinary", "safety.urinary_symptoms", Presence.PRESENT),
    ("caution.hyperthyroidism", "safety.hyperthyroidism", Presence.PRESENT),
    ("caution.porphyria", "safety.porphyria", Presence.PRESENT),
)


_GETTERS: Final = {path: operator.attrgetter(path) for _, path, _ in _FIRES_ON_ANSWER}


def _single_answer_rules(consult: Consult, found: _Collector) -> None:
    age = consult.patient.age_years
    if age is not None and age < 18:
        found.fire("stop.age", {"patient.age_years": age}, age=age)
    for rule, path, firing_value in _FIRES_ON_ANSWER:
        if _GETTERS[path](consult) is firing_value:
            found.fire(rule, {path: firing_value.value})


def _conflicts(consult: Consult, found: _Collector) -> None:
    """Answers that contradict each other: the consult is incomplete until one is corrected."""
    substance_use = consult.substance_use
    status, substances = substance_use.status, substance_use.substances
    fired_by: dict[str, Answer] = {
        "substance_use.status": status.value,
        "substance_use.substances": answer(consult, "substance_use.substances"),
    }
    if substances and status is SubstanceStatus.NONE:
        found.fire("check.substances_vs_status", fired_by, ("listed_while_none",))
    elif substances == [] and status in (SubstanceStatus.IN_REMISSION, SubstanceStatus.ACTIVE):
        found.fire("check.substances_vs_status", fired_by, ("none_listed_while_use",))

    comorbidities = consult.comorbidities
    total = comorbidities.phq9_total
    if total is not None and total >= 10 and comorbidities.depression is Depression.NONE:
        found.fire(
            "check.phq9_vs_depression",
            {"comorbidities.phq9_total": total, "comorbidities.depression": "none"},
            total=total,
        )


def _safety_cautions(consult: Consult, found: _Collector) -> None:
    safety, substance_use = consult.safety, consult.substance_use
    substances = substance_use.substances or []

    liver_variants: list[str] = []
    liver_answers: dict[str, Answer] = {}
    if safety.liver is Liver.MILD_MODERATE:
        liver_variants.append("liver")
        liver_answers["safety.liver"] = safety.liver.value
    if Substance.ALCOHOL in substances:
        liver_variants.append("alcohol")
        liver_answers["substance_use.substances"] = answer(consult, "substance_use.substances")
    if liver_variants:
        found.fire("caution.liver", liver_answers, tuple(liver_variants))

    if Substance.KETAMINE_OR_DISSOCIATIVES in substances:
        found.fire(
            "caution.ketamine_misuse_history",
            {
                "substance_use.substances": answer(consult, "substance_use.substances"),
                "substance_use.status": substance_use.status.value,
            },
        )

    medications = safety.medications or []
    if medications:
        listed = tuple(str(medication) for medication in medications)
        found.fire("caution.medications", {"safety.medications": list(listed)}, listed)

    if safety.sleep_apnea is Presence.PRESENT:
        sedating = _SEDATING.intersection(medications)
        sleep_answers: dict[str, Answer] = {"safety.sleep_apnea": "present"}
        if sedating:
            sleep_answers["safety.medications"] = answer(consult, "safety.medications")
        found.fire("caution.sleep_apnea", sleep_answers, ("with_sedatives",) if sedating else ())

    item9 = consult.comorbidities.phq9_item9
    if item9 is not None and item9 >= 1:
        assessed = consult.decision.self_harm_assessed is YesNo.YES
        found.fire(
            "urgent.self_harm",
            {
                "comorbidities.phq9_item9": item9,
                "decision.self_harm_assessed": consult.decision.self_harm_assessed.value,
            },
            ("assessed",) if assessed else (),
            urgent=not assessed,
            item9=item9,
        )


def criterion1_met(wpi: int, sss: int) -> bool:
    """ACR 2016 criterion 1: WPI >= 7 and SSS >= 5, or WPI 4-6 and SSS >= 9 (Wolfe 2016)."""
    return (wpi >= 7 and sss >= 5) or (4 <= wpi <= 6 and sss >= 9)


def generalized_pain(regions: int) -> bool:
    """ACR 2016 criterion 2: pain in at least 4 of the 5 regions (Wolfe 2016)."""
    return regions >= 4


def _diagnosis(consult: Consult, found: _Collector) -> None:
    fm = consult.fibromyalgia
    variants: list[str] = []
    fired_by: dict[str, Answer] = {}
    if fm.diagnosis is not Diagnosis.CONFIRMED:
        variants.append("not_confirmed")
        fired_by["fibromyalgia.diagnosis"] = fm.diagnosis.value
    if fm.symptom_months is not None and fm.symptom_months < 3:
        variants.append("short_duration")
        fired_by["fibromyalgia.symptom_months"] = fm.symptom_months
    if fm.wpi is not None and fm.sss is not None and not criterion1_met(fm.wpi, fm.sss):
        variants.append("criterion_not_met")
        fired_by["fibromyalgia.wpi"] = fm.wpi
        fired_by["fibromyalgia.sss"] = fm.sss
    if fm.pain_regions is not None and not generalized_pain(fm.pain_regions):
        variants.append("not_generalized")
        fired_by["fibromyalgia.pain_regions"] = fm.pain_regions
    crps = consult.comorbidities.crps
    if crps in (Crps.SUSPECTED, Crps.DIAGNOSED) and fm.pain_regions is None:
        # Regional pain must not be called fibromyalgia: with CRPS in view, generalized pain
        # has to be shown, not assumed.
        variants.append("crps_regions_unknown")
        fired_by["comorbidities.crps"] = crps.value
        fired_by["fibromyalgia.pain_regions"] = None
    if variants:
        found.fire(
            "first.diagnosis",
            fired_by,
            tuple(variants),
            months=fm.symptom_months,
            wpi=fm.wpi,
            sss=fm.sss,
            regions=fm.pain_regions,
        )
    if fm.diagnosis is Diagnosis.CONFIRMED:
        undocumented = [
            path
            for path in (
                "fibromyalgia.wpi",
                "fibromyalgia.sss",
                "fibromyalgia.pain_regions",
                "fibromyalgia.symptom_months",
            )
            if answer_at(consult, path) is None
        ]
        if undocumented:
            labels = found.content.questions
            found.fire(
                "info.criteria_not_documented",
                {"fibromyalgia.diagnosis": "confirmed"} | dict.fromkeys(undocumented),
                undocumented="; ".join(labels.label(path) for path in undocumented),
            )


def failed_medicine_classes(consult: Consult) -> tuple[str, ...]:
    """The medicine classes with at least one medicine tried without adequate benefit."""
    failed = {entry.therapy for entry in consult.prior_treatments if entry.outcome in _FAILED}
    return tuple(name for name, members in MEDICINE_CLASSES.items() if failed.intersection(members))


def untried_options(consult: Consult) -> tuple[str, ...]:
    """Exercise and the medicine classes with no entry at all among the prior treatments."""
    tried = {entry.therapy for entry in consult.prior_treatments}
    untried = [] if Therapy.EXERCISE in tried else ["exercise"]
    untried += [
        f"{name} ({' or '.join(str(member) for member in members)})"
        for name, members in MEDICINE_CLASSES.items()
        if not tried.intersection(members)
    ]
    return tuple(untried)


def unrecorded_outcomes(consult: Consult) -> tuple[Therapy, ...]:
    """The therapies ticked as tried whose outcome was not recorded."""
    return tuple(
        entry.therapy for entry in consult.prior_treatments if entry.outcome is Outcome.UNKNOWN
    )


def _standard_care(consult: Consult, found: _Collector) -> None:
    exercise_trial = any(
        entry.therapy is Therapy.EXERCISE and entry.outcome is not Outcome.UNKNOWN
        for entry in consult.prior_treatments
    )
    failed_classes = failed_medicine_classes(consult)
    few_classes = len(failed_classes) < 2
    if exercise_trial and not few_classes:
        return
    variants = []
    if not exercise_trial:
        variants.append("no_exercise")
    if few_classes:
        variants.append("few_classes")
    if any(entry.outcome is Outcome.HELPING for entry in consult.prior_treatments):
        variants.append("helping")
    unrecorded = unrecorded_outcomes(consult)
    if unrecorded:
        variants.append("unrecorded")
    untried = untried_options(consult)
    questions = found.content.questions
    found.fire(
        "first.standard_care",
        {"prior_treatments": answer(consult, "prior_treatments")},
        tuple(variants),
        untried=", ".join(untried) if untried else "none of the listed options",
        failed_classes=", ".join(failed_classes) if failed_classes else "none",
        unrecorded=", ".join(
            questions.option_label("prior_treatments", therapy) for therapy in unrecorded
        ),
    )


def _information(consult: Consult, found: _Collector) -> None:
    found.fire("info.evidence_fm", {})
    found.fire("info.liver_monitoring", {})
    comorbidities = consult.comorbidities
    if comorbidities.crps is Crps.DIAGNOSED:
        found.fire("info.crps", {"comorbidities.crps": "diagnosed"})
    if comorbidities.depression is Depression.TREATMENT_RESISTANT:
        found.fire("info.depression_trd", {"comorbidities.depression": "treatment_resistant"})
    if comorbidities.depression is Depression.CURRENT:
        total = comorbidities.phq9_total
        answers: dict[str, Answer] = {"comorbidities.depression": "current"}
        if total is None:
            found.fire("info.depression_current", answers)
        else:
            answers["comorbidities.phq9_total"] = total
            found.fire(
                "info.depression_current",
                answers,
                ("with_total",),
                total=total,
                band=found.content.rulebook.phq9_bands[phq9_band(total)],
            )
    insurance = consult.insurance
    variants = [insurance.coverage.value]
    if insurance.covers_ketamine_for_pain.value != "unknown":
        variants.append(f"covers_{insurance.covers_ketamine_for_pain.value}")
    if insurance.can_self_pay.value != "yes":
        variants.append(f"self_pay_{insurance.can_self_pay.value}")
    found.fire(
        "info.insurance",
        {
            "insurance.coverage": insurance.coverage.value,
            "insurance.covers_ketamine_for_pain": insurance.covers_ketamine_for_pain.value,
            "insurance.can_self_pay": insurance.can_self_pay.value,
        },
        tuple(variants),
    )


def phq9_band(total: int) -> str:
    """The PHQ-9 severity band of a total score (Kroenke 2001)."""
    return next(band for lower, band in PHQ9_BANDS if total >= lower)
