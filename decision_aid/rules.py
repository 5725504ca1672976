"""The eligibility rules: a consult's answers in, an assessment out (design.md section 5).

``assess`` is pure and deterministic: it reads only the consult and the content pack's rule
texts, and every finding carries the rule that fired, the answers that fired it and the
sources behind it, so that the clinician can check the basis of every result.
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from decision_aid.catalogue import PHQ9_BANDS, REQUIRED_FIELDS, RULES, Level, Status
from decision_aid.consult import (
    Cardiovascular,
    Consult,
    Crps,
    Depression,
    Diagnosis,
    Hypersensitivity,
    Liver,
    Outcome,
    Pregnancy,
    Pressure,
    PriorTreatment,
    Psychosis,
    Substance,
    SubstanceStatus,
    Therapy,
    UrinarySymptoms,
)

if TYPE_CHECKING:
    from decision_aid.content import Content, RuleBook

Answer = str | int | list[str] | None

# Medicine classes whose failure counts toward "standard care tried" (design.md section 5).
MEDICINE_CLASSES: Final[dict[str, tuple[Therapy, ...]]] = {
    "SNRI": (Therapy.DULOXETINE, Therapy.MILNACIPRAN),
    "gabapentinoid": (Therapy.PREGABALIN, Therapy.GABAPENTIN),
    "tricyclic-type": (Therapy.AMITRIPTYLINE, Therapy.CYCLOBENZAPRINE),
}

_LEVEL_ORDER: Final = {Level.STOP: 0, Level.CAUTION: 1, Level.FIRST: 2, Level.INFO: 3}


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule that fired: what it says, why it fired and what it rests on."""

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


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result for one consult.

    ``findings`` holds every finding, the most serious first; ``urgent`` repeats those that need
    action today so that they can be shown above everything else.
    """

    status: Status
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    urgent: tuple[Finding, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        """The assessment as the JSON object of ``decision-aid assess --json``."""
        return {
            "status": self.status.value,
            "urgent": [finding.as_json() for finding in self.urgent],
            "findings": [finding.as_json() for finding in self.findings],
            "missing": list(self.missing),
        }

    def fired(self, rule: str) -> Finding | None:
        """The finding of one rule id, or None when that rule did not fire."""
        return next((finding for finding in self.findings if finding.rule == rule), None)


class _Collector:
    """Gathers findings, filling each rule's text from the content pack."""

    def __init__(self, rulebook: RuleBook) -> None:
        self._rulebook = rulebook
        self.findings: list[Finding] = []

    def fire(
        self,
        rule: str,
        fired_by: dict[str, Answer],
        variants: tuple[str, ...] = (),
        **values: object,
    ) -> None:
        spec = RULES[rule]
        entry = self._rulebook.rules[rule]
        text = _rule_text(self._rulebook, rule, variants, tuple(sorted(values.items())))
        self.findings.append(
            Finding(
                rule=rule,
                level=spec.level,
                title=entry.title,
                text=text,
                fired_by=fired_by,
                citations=entry.citations,
                urgent=spec.urgent,
            )
        )


# Filled rule texts by rule book: consults repeat the same few combinations of rule, variants
# and values. A rule book is kept here (so that its id cannot be reused) until four newer
# ones have been seen; a process normally has one.
_TEXTS: Final[OrderedDict[int, tuple[RuleBook, dict[object, str]]]] = OrderedDict()


def _rule_text(
    rulebook: RuleBook, rule: str, variants: tuple[str, ...], values: tuple[tuple[str, object], ...]
) -> str:
    """A rule's text with its variants and values filled in."""
    key = id(rulebook)
    if key not in _TEXTS:
        _TEXTS[key] = (rulebook, {})
        while len(_TEXTS) > 4:
            _TEXTS.popitem(last=False)
    texts = _TEXTS[key][1]
    cache_key = (rule, variants, values)
    text = texts.get(cache_key)
    if text is None:
        entry = rulebook.rules[rule]
        parts = [entry.text, *(entry.variants[name] for name in variants)]
        filled = dict(values)
        text = texts[cache_key] = " ".join(part.format_map(filled) for part in parts)
    return text


def assess(consult: Consult, content: Content) -> Assessment:
    """Applies every rule of the catalogue to a consult.

    Args:
        consult: the answers.
        content: the content pack that supplies the rules' texts and sources.

    Returns:
        The assessment: status, findings (most serious first), urgent findings and the
        required answers that are still unknown.
    """
    found = _Collector(content.rulebook)
    _single_answer_rules(consult, found)
    _safety_cautions(consult, found)
    _diagnosis(consult, found)
    _standard_care(consult, found)
    _information(consult, found, content.rulebook)

    # Urgent findings first, then by level; sorted() is stable, so catalogue order breaks ties.
    findings = tuple(
        sorted(
            found.findings, key=lambda finding: (not finding.urgent, _LEVEL_ORDER[finding.level])
        )
    )
    missing = missing_answers(consult)
    return Assessment(
        status=_status(findings, missing),
        findings=findings,
        missing=missing,
        urgent=tuple(finding for finding in findings if finding.urgent),
    )


_REQUIRED_GETTERS: Final = tuple((path, operator.attrgetter(path)) for path in REQUIRED_FIELDS)


def missing_answers(consult: Consult) -> tuple[str, ...]:
    """The required answers (design.md section 5) that are still unknown, as dotted paths."""
    return tuple(
        path
        for path, get in _REQUIRED_GETTERS
        if (value := get(consult)) is None or value == "unknown"
    )


def answer(consult: Consult, path: str) -> Answer:
    """One answer by its dotted path, as plain JSON data ("unknown", a number, None, a list)."""
    section, _, name = path.partition(".")
    value: object = getattr(consult, section)
    if name:
        value = getattr(value, name)
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
    if missing:
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
    ("stop.liver_severe", "safety.liver", Liver.SEVERE),
    ("stop.intracranial_pressure", "safety.intracranial_pressure", Pressure.RAISED),
    ("stop.intraocular_pressure", "safety.intraocular_pressure", Pressure.RAISED),
    ("stop.substance_use_active", "substance_use.status", SubstanceStatus.ACTIVE),
    ("stop.hypersensitivity", "safety.ketamine_hypersensitivity", Hypersensitivity.YES),
    ("caution.cardiovascular", "safety.cardiovascular", Cardiovascular.CONTROLLED),
    ("caution.psychosis_history", "safety.psychosis", Psychosis.HISTORY),
    ("caution.urinary", "safety.urinary_symptoms", UrinarySymptoms.PRESENT),
)


_GETTERS: Final = {path: operator.attrgetter(path) for _, path, _ in _FIRES_ON_ANSWER}


def _single_answer_rules(consult: Consult, found: _Collector) -> None:
    age = consult.patient.age_years
    if age is not None and age < 18:
        found.fire("stop.age", {"patient.age_years": age}, age=age)
    for rule, path, firing_value in _FIRES_ON_ANSWER:
        if _GETTERS[path](consult) is firing_value:
            found.fire(rule, {path: firing_value.value})


def _safety_cautions(consult: Consult, found: _Collector) -> None:
    patient, safety, substance_use = consult.patient, consult.safety, consult.substance_use
    substances = [str(substance) for substance in substance_use.substances]

    liver_variants: list[str] = []
    liver_answers: dict[str, Answer] = {}
    if safety.liver is Liver.MILD_MODERATE:
        liver_variants.append("liver")
        liver_answers["safety.liver"] = safety.liver.value
    if Substance.ALCOHOL in substance_use.substances:
        liver_variants.append("alcohol")
        liver_answers["substance_use.substances"] = substances
    if liver_variants:
        found.fire("caution.liver", liver_answers, tuple(liver_variants))

    if substance_use.status is SubstanceStatus.IN_REMISSION:
        remission_answers: dict[str, Answer] = {"substance_use.status": "in_remission"}
        remission_variants: tuple[str, ...] = ()
        if Substance.KETAMINE_OR_DISSOCIATIVES in substance_use.substances:
            remission_answers["substance_use.substances"] = substances
            remission_variants = ("ketamine_or_dissociatives",)
        found.fire("caution.substance_use_remission", remission_answers, remission_variants)

    if patient.pregnancy in (Pregnancy.BREASTFEEDING, Pregnancy.PLANNING):
        found.fire(
            "caution.pregnancy_other",
            {"patient.pregnancy": patient.pregnancy.value},
            (patient.pregnancy.value,),
        )

    if safety.medications:
        medications = [str(medication) for medication in safety.medications]
        found.fire("caution.medications", {"safety.medications": medications}, tuple(medications))

    item9 = consult.comorbidities.phq9_item9
    if item9 is not None and item9 >= 1:
        found.fire("urgent.self_harm", {"comorbidities.phq9_item9": item9}, item9=item9)


def criterion1_met(wpi: int, sss: int) -> bool:
    """ACR 2016 criterion 1: WPI >= 7 and SSS >= 5, or WPI 4-6 and SSS >= 9 (Wolfe 2016)."""
    return (wpi >= 7 and sss >= 5) or (4 <= wpi <= 6 and sss >= 9)


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
    if variants:
        found.fire(
            "first.diagnosis",
            fired_by,
            tuple(variants),
            months=fm.symptom_months,
            wpi=fm.wpi,
            sss=fm.sss,
        )


def failed_medicine_classes(consult: Consult) -> tuple[str, ...]:
    """The medicine classes with at least one medicine tried without adequate benefit."""
    failed = {
        entry.therapy for entry in consult.prior_treatments if entry.outcome is not Outcome.HELPING
    }
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


def _standard_care(consult: Consult, found: _Collector) -> None:
    tried = {entry.therapy for entry in consult.prior_treatments}
    failed_classes = failed_medicine_classes(consult)
    no_exercise = Therapy.EXERCISE not in tried
    few_classes = len(failed_classes) < 2
    if not (no_exercise or few_classes):
        return
    variants = []
    if no_exercise:
        variants.append("no_exercise")
    if few_classes:
        variants.append("few_classes")
    if any(entry.outcome is Outcome.HELPING for entry in consult.prior_treatments):
        variants.append("helping")
    untried = untried_options(consult)
    found.fire(
        "first.standard_care",
        {"prior_treatments": answer(consult, "prior_treatments")},
        tuple(variants),
        untried=", ".join(untried) if untried else "none of the listed options",
        failed_classes=", ".join(failed_classes) if failed_classes else "none",
    )


def _information(consult: Consult, found: _Collector, rulebook: RuleBook) -> None:
    found.fire("info.evidence_fm", {})
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
                band=rulebook.phq9_bands[phq9_band(total)],
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
