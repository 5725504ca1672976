"""The "do first" rules (docs/design.md section 5): the diagnosis is settled before anything
else (ACR 2016, Wolfe 2016), and standard fibromyalgia care is tried first (EULAR,
Macfarlane 2017), the psychological step included when depression is present."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from decision_aid.consult import Crps, Depression, Diagnosis, Outcome, Therapy, answer_at
from decision_aid.findings import Answer, answer

if TYPE_CHECKING:
    from decision_aid.consult import Consult
    from decision_aid.findings import Collector


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

# Psychological therapies: with current depression, EULAR's tailored step for mood problems.
PSYCHOLOGICAL_THERAPIES: Final = (Therapy.CBT, Therapy.OTHER_PSYCHOLOGICAL_THERAPY)


def criterion1_met(wpi: int, sss: int) -> bool:
    """ACR 2016 criterion 1: WPI >= 7 and SSS >= 5, or WPI 4-6 and SSS >= 9 (Wolfe 2016)."""
    return (wpi >= 7 and sss >= 5) or (4 <= wpi <= 6 and sss >= 9)


def generalized_pain(regions: int) -> bool:
    """ACR 2016 criterion 2: pain in at least 4 of the 5 regions (Wolfe 2016)."""
    return regions >= 4


def diagnosis_rules(consult: Consult, found: Collector) -> None:
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


def psychological_therapy_needed(consult: Consult) -> bool:
    """Depression is current or treatment-resistant and no psychological therapy has a
    recorded outcome: EULAR's tailored step for mood problems comes first (any recorded
    outcome counts as tried, helping included)."""
    if consult.comorbidities.depression not in (
        Depression.CURRENT,
        Depression.TREATMENT_RESISTANT,
    ):
        return False
    return not any(
        entry.therapy in PSYCHOLOGICAL_THERAPIES and entry.outcome is not Outcome.UNKNOWN
        for entry in consult.prior_treatments
    )


def standard_care_rules(consult: Consult, found: Collector) -> None:
    exercise_trial = any(
        entry.therapy is Therapy.EXERCISE and entry.outcome is not Outcome.UNKNOWN
        for entry in consult.prior_treatments
    )
    failed_classes = failed_medicine_classes(consult)
    few_classes = len(failed_classes) < 2
    psychological = psychological_therapy_needed(consult)
    if exercise_trial and not few_classes and not psychological:
        return
    variants = []
    if not exercise_trial:
        variants.append("no_exercise")
    if few_classes:
        variants.append("few_classes")
    if psychological:
        variants.append("no_psychological_therapy")
    if any(entry.outcome is Outcome.HELPING for entry in consult.prior_treatments):
        variants.append("helping")
    unrecorded = unrecorded_outcomes(consult)
    if unrecorded:
        variants.append("unrecorded")
    untried = list(untried_options(consult))
    tried = {entry.therapy for entry in consult.prior_treatments}
    if psychological and not tried.intersection(PSYCHOLOGICAL_THERAPIES):
        untried.append("psychological therapy (CBT or another)")
    questions = found.content.questions
    fired_by: dict[str, Answer] = {"prior_treatments": answer(consult, "prior_treatments")}
    if psychological:
        fired_by["comorbidities.depression"] = consult.comorbidities.depression.value
    found.fire(
        "first.standard_care",
        fired_by,
        tuple(variants),
        untried=", ".join(untried) if untried else "none of the listed options",
        failed_classes=", ".join(failed_classes) if failed_classes else "none",
        unrecorded=", ".join(
            questions.option_label("prior_treatments", therapy) for therapy in unrecorded
        ),
    )
