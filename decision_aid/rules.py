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
from typing import TYPE_CHECKING, Final

from decision_aid.bounds import fill_bounds
from decision_aid.catalogue import INFO_MEDICATIONS, PHQ9_BANDS, RULES, Level, Status
from decision_aid.consult import (
    Bipolar,
    Cardiovascular,
    Consult,
    Coverage,
    CoversKetamine,
    Crps,
    Depression,
    EyePressure,
    HeartOrStrokeEvent,
    Hypersensitivity,
    KetamineExposure,
    KetamineHarm,
    KetamineResponse,
    Liver,
    Medication,
    Pregnancy,
    Presence,
    Pressure,
    Psychosis,
    SelfPay,
    Substance,
    SubstanceStatus,
    SuicideRisk,
    missing_required,
)
from decision_aid.findings import Answer, Assessment, Bounds, Collector, Finding, answer
from decision_aid.first_rules import (
    MEDICINE_CLASSES,
    diagnosis_rules,
    failed_medicine_classes,
    standard_care_rules,
    unrecorded_outcomes,
    untried_options,
)

if TYPE_CHECKING:
    from decision_aid.content import Content

# Assessment, Finding, Bounds and answer are used by every reader of an assessment, which
# imports them from here, beside assess.
__all__ = [
    "ADULT_AGE",
    "MEDICINE_CLASSES",
    "failed_medicine_classes",
    "unrecorded_outcomes",
    "untried_options",
    "OLDER_AGE",
    "Answer",
    "Assessment",
    "Bounds",
    "Finding",
    "answer",
    "assess",
]


# Medicines that add to the breathing risk of sleep apnoea (gabapentinoids too: FDA 2019).
_SEDATING: Final = frozenset(
    {
        Medication.BENZODIAZEPINE,
        Medication.OPIOID,
        Medication.GABAPENTINOID,
        Medication.OTHER_CNS_DEPRESSANT,
    }
)

# The ages where the rules change: the evidence is in adults, and a randomised fibromyalgia
# trial enrolled no one over 65; an age this old beside a pregnancy is probably a slip.
ADULT_AGE: Final = 18
OLDER_AGE: Final = 65
PREGNANCY_AGE_LIMIT: Final = 60

# PHQ-9 totals from which depression is severe, and moderately severe (Kroenke 2001).
PHQ9_SEVERE: Final = 20
PHQ9_MODERATELY_SEVERE: Final = 15

# Harms of earlier ketamine treatment that are a caution, one sentence each.
_PAST_REACTIONS: Final = (
    KetamineHarm.SEVERE_PSYCHIATRIC_REACTION,
    KetamineHarm.BLOOD_PRESSURE_EVENT,
)

# The suicide-risk outcomes under which the self-harm finding stays urgent: no outcome yet,
# or a high risk.
_URGENT_RISKS: Final = frozenset({SuicideRisk.NOT_ASSESSED, SuicideRisk.UNKNOWN, SuicideRisk.HIGH})

_LEVEL_ORDER: Final = {level: rank for rank, level in enumerate(Level)}
_RULE_ORDER: Final = {rule: rank for rank, rule in enumerate(RULES)}


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
    found = Collector(content)
    _single_answer_rules(consult, found)
    _conflicts(consult, found)
    _safety_cautions(consult, found)
    diagnosis_rules(consult, found)
    standard_care_rules(consult, found)
    _information(consult, found)
    # Urgent findings first, then by level, then in the order of the catalogue.
    return tuple(
        sorted(
            found.findings,
            key=lambda finding: (
                not finding.urgent,
                _LEVEL_ORDER[finding.level],
                _RULE_ORDER[finding.rule],
            ),
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
    found = Collector(content)
    _conflicts(consult, found)
    return frozenset(f"{finding.rule}:{finding.fired_by}" for finding in found.findings)


def missing_answers(consult: Consult) -> tuple[str, ...]:
    """The required answers that are still unknown, as dotted paths in file order.

    Which answers are required, always or when another answer calls for them, is the table
    of answers' to say (``decision_aid/consult/answers.py``; docs/design.md section 4.2):
    today age, pregnancy, depression, every safety answer (a medication list that was not
    reviewed is unknown), the ketamine-exposure status and the substance-use status always;
    the harms of ketamine when it was or is taken; the substances when use is in remission
    or active; the PHQ-9 total when depression is present, item 9 when it is or the total
    is 10 or more; the outcome of the suicide-risk assessment (not "not assessed") when
    item 9 is 1 or more.
    """
    return missing_required(consult)


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
    ("stop.psychotic_disorder", "safety.psychosis", Psychosis.CHRONIC_DISORDER),
    ("stop.cardiovascular", "safety.cardiovascular", Cardiovascular.POORLY_CONTROLLED),
    (
        "stop.recent_heart_or_stroke_event",
        "safety.heart_or_stroke_event",
        HeartOrStrokeEvent.RECENT,
    ),
    ("stop.vascular_hazard", "safety.vascular_hazard", Presence.PRESENT),
    ("stop.liver_severe", "safety.liver", Liver.SEVERE),
    ("stop.intracranial_pressure", "safety.intracranial_pressure", Pressure.RAISED),
    ("stop.intraocular_pressure", "safety.intraocular_pressure", EyePressure.RAISED),
    ("stop.hyperthyroidism", "safety.hyperthyroidism", Presence.PRESENT),
    ("stop.porphyria", "safety.porphyria", Presence.PRESENT),
    ("stop.substance_use_active", "substance_use.status", SubstanceStatus.ACTIVE),
    ("stop.suicide_risk_high", "decision.suicide_risk", SuicideRisk.HIGH),
    ("stop.hypersensitivity", "safety.ketamine_hypersensitivity", Hypersensitivity.YES),
    ("caution.cardiovascular", "safety.cardiovascular", Cardiovascular.CONTROLLED),
    (
        "caution.earlier_heart_or_stroke_event",
        "safety.heart_or_stroke_event",
        HeartOrStrokeEvent.EARLIER,
    ),
    ("caution.psychosis_history", "safety.psychosis", Psychosis.PAST_EPISODE),
    ("caution.bipolar", "safety.bipolar", Bipolar.HISTORY),
    ("caution.dissociative_disorder", "safety.dissociative_disorder", Presence.PRESENT),
    ("caution.substance_use_remission", "substance_use.status", SubstanceStatus.IN_REMISSION),
    ("caution.esketamine_now", "ketamine_exposure.status", KetamineExposure.ESKETAMINE_NOW),
    (
        "caution.other_ketamine_now",
        "ketamine_exposure.status",
        KetamineExposure.OTHER_KETAMINE_NOW,
    ),
    ("caution.breastfeeding", "patient.pregnancy", Pregnancy.BREASTFEEDING),
    ("caution.urinary", "safety.urinary_symptoms", Presence.PRESENT),
    (
        "caution.controlled_glaucoma",
        "safety.intraocular_pressure",
        EyePressure.CONTROLLED_GLAUCOMA,
    ),
)


_GETTERS: Final = {path: operator.attrgetter(path) for _, path, _ in _FIRES_ON_ANSWER}


def _single_answer_rules(consult: Consult, found: Collector) -> None:
    age = consult.patient.age_years
    if age is not None and age < ADULT_AGE:
        found.fire("stop.age", {"patient.age_years": age}, age=age)
    if age is not None and age >= OLDER_AGE:
        found.fire("caution.older_age", {"patient.age_years": age}, age=age)
    for rule, path, firing_value in _FIRES_ON_ANSWER:
        if _GETTERS[path](consult) is firing_value:
            found.fire(rule, {path: firing_value.value})
    if consult.patient.pregnancy is Pregnancy.PLANNING and not _pregnancy_age_slip(consult):
        found.fire("caution.pregnancy_planning", {"patient.pregnancy": "planning"})


def _pregnancy_age_slip(consult: Consult) -> bool:
    """An age of 60 or more beside a pregnancy or a planned one: one answer is probably a
    slip, and which one cannot be told."""
    age = consult.patient.age_years
    return (
        age is not None
        and age >= PREGNANCY_AGE_LIMIT
        and consult.patient.pregnancy in (Pregnancy.PREGNANT, Pregnancy.PLANNING)
    )


def _ketamine_among_substances(consult: Consult) -> bool:
    return Substance.KETAMINE_OR_DISSOCIATIVES in (consult.substance_use.substances or ())


def _conflicts(consult: Consult, found: Collector) -> None:
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

    if _pregnancy_age_slip(consult):
        found.fire(
            "check.age_vs_pregnancy",
            {
                "patient.age_years": consult.patient.age_years,
                "patient.pregnancy": consult.patient.pregnancy.value,
            },
            age=consult.patient.age_years,
        )

    exposure = consult.ketamine_exposure
    if (
        exposure.harms
        and exposure.status is KetamineExposure.NONE
        and not _ketamine_among_substances(consult)
    ):
        found.fire(
            "check.ketamine_harms_vs_exposure",
            {
                "ketamine_exposure.status": "none",
                "ketamine_exposure.harms": answer(consult, "ketamine_exposure.harms"),
            },
        )


def _safety_cautions(consult: Consult, found: Collector) -> None:
    safety = consult.safety
    substances = consult.substance_use.substances or []

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

    _earlier_ketamine(consult, found)

    medications = safety.medications or []
    cautions = tuple(str(item) for item in medications if item not in INFO_MEDICATIONS)
    if cautions:
        found.fire("caution.medications", {"safety.medications": list(cautions)}, cautions)
    informative = tuple(str(item) for item in medications if item in INFO_MEDICATIONS)
    if informative:
        found.fire("info.medications", {"safety.medications": list(informative)}, informative)

    if safety.sleep_apnea is Presence.PRESENT:
        sedating = _SEDATING.intersection(medications)
        sleep_answers: dict[str, Answer] = {"safety.sleep_apnea": "present"}
        if sedating:
            sleep_answers["safety.medications"] = answer(consult, "safety.medications")
        found.fire("caution.sleep_apnea", sleep_answers, ("with_sedatives",) if sedating else ())

    _depression_and_suicide_risk(consult, found)


def _earlier_ketamine(consult: Consult, found: Collector) -> None:
    """Ketamine used before or now: misuse, liver or bladder injury and severe reactions."""
    exposure = consult.ketamine_exposure
    harms = exposure.harms or []
    harms_answer: dict[str, Answer] = {
        "ketamine_exposure.harms": answer(consult, "ketamine_exposure.harms")
    }

    misuse_variants: list[str] = []
    misuse_answers: dict[str, Answer] = {}
    if _ketamine_among_substances(consult):
        misuse_variants.append("substances")
        misuse_answers["substance_use.substances"] = answer(consult, "substance_use.substances")
        misuse_answers["substance_use.status"] = consult.substance_use.status.value
    if KetamineHarm.MISUSE in harms:
        misuse_variants.append("harms")
        misuse_answers |= harms_answer
    if misuse_variants:
        found.fire("stop.ketamine_misuse_history", misuse_answers, tuple(misuse_variants))

    if KetamineHarm.LIVER_INJURY in harms:
        found.fire("stop.ketamine_liver_injury", harms_answer)
    if KetamineHarm.BLADDER_INJURY in harms:
        found.fire("stop.ketamine_bladder_injury", harms_answer)
    reactions = tuple(str(harm) for harm in _PAST_REACTIONS if harm in harms)
    if reactions:
        found.fire("caution.ketamine_past_reaction", harms_answer, reactions)


def _depression_and_suicide_risk(consult: Consult, found: Collector) -> None:
    comorbidities = consult.comorbidities
    total, depression = comorbidities.phq9_total, comorbidities.depression
    if total is not None and total >= PHQ9_SEVERE:
        found.fire(
            "caution.depression_severe",
            {"comorbidities.phq9_total": total},
            ("severe",),
            total=total,
        )
    elif (
        total is not None
        and total >= PHQ9_MODERATELY_SEVERE
        and depression is Depression.TREATMENT_RESISTANT
    ):
        found.fire(
            "caution.depression_severe",
            {"comorbidities.phq9_total": total, "comorbidities.depression": depression.value},
            ("trd",),
            total=total,
        )

    item9 = comorbidities.phq9_item9
    risk = consult.decision.suicide_risk
    if (item9 is not None and item9 >= 1) or risk is SuicideRisk.HIGH:
        outcome = "not_assessed" if risk is SuicideRisk.UNKNOWN else risk.value
        found.fire(
            "urgent.self_harm",
            {"comorbidities.phq9_item9": item9, "decision.suicide_risk": risk.value},
            (outcome,),
            urgent=risk in _URGENT_RISKS,
            item9="not recorded" if item9 is None else item9,
        )


def _information(consult: Consult, found: Collector) -> None:
    found.fire("info.evidence_fm", {})
    found.fire("info.liver_monitoring", {})
    _pregnancy_information(consult, found)
    exposure = consult.ketamine_exposure
    if exposure.status is KetamineExposure.PAST_COURSE:
        response = exposure.response
        found.fire(
            "info.past_ketamine_course",
            {
                "ketamine_exposure.status": "past_course",
                "ketamine_exposure.response": response.value,
            },
            () if response is KetamineResponse.UNKNOWN else (response.value,),
        )
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
    found.fire("info.insurance", *_insurance_sentences(consult))


def _pregnancy_information(consult: Consult, found: Collector) -> None:
    pregnancy, age = consult.patient.pregnancy, consult.patient.age_years
    if pregnancy is Pregnancy.UNKNOWN:
        found.fire("info.pregnancy", {"patient.pregnancy": "unknown"}, ("unknown",))
    elif pregnancy is Pregnancy.NO and (age is None or age < PREGNANCY_AGE_LIMIT):
        found.fire("info.pregnancy", {"patient.pregnancy": "no", "patient.age_years": age}, ("no",))


def _insurance_sentences(consult: Consult) -> tuple[dict[str, Answer], tuple[str, ...]]:
    """The answers and the sentences of info.insurance: one coverage sentence chosen by the
    coverage and the plan's answer, then the ability to self-pay when the patient said "no" or
    "unsure" (not asked, it adds nothing). An uninsured patient has no plan: its answer is
    ignored, and no sentence speaks of one."""
    insurance = consult.insurance
    coverage, plan = insurance.coverage, insurance.covers_ketamine_for_pain
    fired_by: dict[str, Answer] = {"insurance.coverage": coverage.value}
    variants: list[str] = []
    if coverage is Coverage.UNINSURED:
        variants.append("uninsured")
    elif coverage is Coverage.UNKNOWN:
        variants.append("coverage_unknown")
    else:
        fired_by["insurance.covers_ketamine_for_pain"] = plan.value
        if plan is CoversKetamine.YES_PRIOR_AUTH:
            variants.append("plan_prior_auth")
        elif plan is CoversKetamine.NO:
            variants.append("plan_does_not_cover")
            if coverage is Coverage.MEDICARE:
                variants.append("medicare_abn")
        else:
            variants.append("plan_unknown")
    fired_by["insurance.can_self_pay"] = insurance.can_self_pay.value
    if insurance.can_self_pay in (SelfPay.NO, SelfPay.UNSURE):
        variants.append(f"self_pay_{insurance.can_self_pay.value}")
    return fired_by, tuple(variants)


def phq9_band(total: int) -> str:
    """The PHQ-9 severity band of a total score (Kroenke 2001)."""
    return next(band for lower, band in PHQ9_BANDS if total >= lower)
