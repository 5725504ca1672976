"""Every rule of the catalogue fires when it should and not otherwise; statuses and gaps."""

from __future__ import annotations

from typing import Any

import pytest

from decision_aid.catalogue import RULES, Level, Status
from decision_aid.consult import Consult
from decision_aid.rules import (
    Assessment,
    assess,
    criterion1_met,
    failed_medicine_classes,
    missing_answers,
    phq9_band,
)
from tests.helpers import content, safe_consult


def run(consult: Consult) -> Assessment:
    return assess(consult, content())


def fired(consult: Consult) -> set[str]:
    return {finding.rule for finding in run(consult).findings}


ALWAYS = {"info.evidence_fm", "info.insurance"}


def test_safe_consult_has_only_the_always_rules() -> None:
    assessment = run(safe_consult())
    assert fired(safe_consult()) == ALWAYS
    assert assessment.status is Status.MAY_DISCUSS
    assert assessment.missing == ()
    assert assessment.urgent == ()


# (rule, sections that make it fire, sections just short of firing)
SINGLE_RULES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("stop.age", {"patient": {"age_years": 17}}, {"patient": {"age_years": 18}}),
    ("stop.pregnancy", {"patient": {"pregnancy": "pregnant"}}, {"patient": {"pregnancy": "no"}}),
    (
        "stop.psychosis_active",
        {"safety": {"psychosis": "active"}},
        {"safety": {"psychosis": "none"}},
    ),
    (
        "stop.cardiovascular",
        {"safety": {"cardiovascular": "poorly_controlled"}},
        {"safety": {"cardiovascular": "none"}},
    ),
    ("stop.liver_severe", {"safety": {"liver": "severe"}}, {"safety": {"liver": "none"}}),
    (
        "stop.intracranial_pressure",
        {"safety": {"intracranial_pressure": "raised"}},
        {"safety": {"intracranial_pressure": "normal"}},
    ),
    (
        "stop.intraocular_pressure",
        {"safety": {"intraocular_pressure": "raised"}},
        {"safety": {"intraocular_pressure": "normal"}},
    ),
    (
        "stop.substance_use_active",
        {"substance_use": {"status": "active"}},
        {"substance_use": {"status": "none"}},
    ),
    (
        "stop.hypersensitivity",
        {"safety": {"ketamine_hypersensitivity": "yes"}},
        {"safety": {"ketamine_hypersensitivity": "no"}},
    ),
    (
        "caution.cardiovascular",
        {"safety": {"cardiovascular": "controlled"}},
        {"safety": {"cardiovascular": "none"}},
    ),
    ("caution.liver", {"safety": {"liver": "mild_moderate"}}, {"safety": {"liver": "none"}}),
    (
        "caution.psychosis_history",
        {"safety": {"psychosis": "history"}},
        {"safety": {"psychosis": "none"}},
    ),
    (
        "caution.substance_use_remission",
        {"substance_use": {"status": "in_remission"}},
        {"substance_use": {"status": "none"}},
    ),
    (
        "caution.pregnancy_other",
        {"patient": {"pregnancy": "breastfeeding"}},
        {"patient": {"pregnancy": "not_applicable"}},
    ),
    (
        "caution.medications",
        {"safety": {"medications": ["opioid"]}},
        {"safety": {"medications": []}},
    ),
    (
        "caution.urinary",
        {"safety": {"urinary_symptoms": "present"}},
        {"safety": {"urinary_symptoms": "none"}},
    ),
    (
        "urgent.self_harm",
        {"comorbidities": {"phq9_item9": 1}},
        {"comorbidities": {"phq9_item9": 0}},
    ),
    (
        "first.diagnosis",
        {"fibromyalgia": {"diagnosis": "suspected"}},
        {"fibromyalgia": {"diagnosis": "confirmed"}},
    ),
    ("first.standard_care", {"prior_treatments": []}, {}),
    (
        "info.crps",
        {"comorbidities": {"crps": "diagnosed"}},
        {"comorbidities": {"crps": "suspected"}},
    ),
    (
        "info.depression_trd",
        {"comorbidities": {"depression": "treatment_resistant"}},
        {"comorbidities": {"depression": "current"}},
    ),
    (
        "info.depression_current",
        {"comorbidities": {"depression": "current"}},
        {"comorbidities": {"depression": "none"}},
    ),
]


def test_every_rule_of_the_catalogue_is_tested() -> None:
    tested = {rule for rule, _, _ in SINGLE_RULES} | ALWAYS
    assert tested == set(RULES)


@pytest.mark.parametrize(
    ("rule", "firing", "not_firing"), SINGLE_RULES, ids=[rule for rule, _, _ in SINGLE_RULES]
)
def test_rule_fires_only_on_its_answer(
    rule: str, firing: dict[str, Any], not_firing: dict[str, Any]
) -> None:
    assessment = run(safe_consult(**firing))
    finding = assessment.fired(rule)
    assert finding is not None
    assert finding.level is RULES[rule].level
    assert finding.citations, "every finding cites its source"
    assert all(key in content().evidence.sources for key in finding.citations)
    # The answers that fired it are the answers that were changed.
    changed = {
        f"{section}.{name}"
        for section, values in firing.items()
        if isinstance(values, dict)
        for name in values
    }
    if changed:
        assert changed <= set(finding.fired_by)
    assert rule not in fired(safe_consult(**not_firing))


@pytest.mark.parametrize("rule", sorted(RULES))
def test_texts_of_fired_rules_have_no_unfilled_placeholders(rule: str) -> None:
    everything = safe_consult(
        patient={"age_years": 16, "pregnancy": "planning"},
        fibromyalgia={"diagnosis": "suspected", "symptom_months": 2, "wpi": 3, "sss": 3},
        prior_treatments=[{"therapy": "cbt", "outcome": "helping"}],
        comorbidities={
            "depression": "current",
            "phq9_total": 21,
            "phq9_item9": 3,
            "crps": "diagnosed",
        },
        safety={
            "cardiovascular": "controlled",
            "liver": "mild_moderate",
            "psychosis": "history",
            "urinary_symptoms": "present",
            "medications": ["benzodiazepine", "opioid", "lamotrigine", "other_cns_depressant"],
        },
        substance_use={
            "status": "in_remission",
            "substances": ["alcohol", "ketamine_or_dissociatives"],
        },
    )
    for finding in run(everything).findings:
        assert "{" not in finding.text, finding.text
        assert "}" not in finding.text, finding.text


def test_stop_rules_give_not_advised_even_with_unknown_answers() -> None:
    consult = Consult.model_validate({"safety": {"liver": "severe"}})
    assessment = run(consult)
    assert assessment.status is Status.NOT_ADVISED
    assert "safety.liver" not in assessment.missing
    assert "safety.cardiovascular" in assessment.missing


@pytest.mark.parametrize(
    ("sections", "status"),
    [
        ({}, Status.MAY_DISCUSS),
        ({"prior_treatments": []}, Status.STANDARD_CARE_FIRST),
        ({"safety": {"urinary_symptoms": "present"}}, Status.SPECIALIST_REVIEW),
        (
            {"safety": {"urinary_symptoms": "present", "liver": "unknown"}},
            Status.INCOMPLETE,
        ),
        ({"safety": {"liver": "severe", "psychosis": "unknown"}}, Status.NOT_ADVISED),
        # Info findings alone never change the status.
        (
            {"comorbidities": {"crps": "diagnosed", "depression": "treatment_resistant"}},
            Status.MAY_DISCUSS,
        ),
        # A caution outranks a first finding.
        (
            {"prior_treatments": [], "safety": {"cardiovascular": "controlled"}},
            Status.SPECIALIST_REVIEW,
        ),
    ],
)
def test_status_is_the_worst_finding_or_gap(sections: dict[str, Any], status: Status) -> None:
    assert run(safe_consult(**sections)).status is status


# --- missing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "name", "unknown_value"),
    [
        ("patient", "age_years", None),
        ("patient", "pregnancy", "unknown"),
        ("safety", "cardiovascular", "unknown"),
        ("safety", "liver", "unknown"),
        ("safety", "psychosis", "unknown"),
        ("safety", "intracranial_pressure", "unknown"),
        ("safety", "intraocular_pressure", "unknown"),
        ("substance_use", "status", "unknown"),
        ("safety", "ketamine_hypersensitivity", "unknown"),
    ],
)
def test_each_required_unknown_answer_is_missing(
    section: str, name: str, unknown_value: object
) -> None:
    consult = safe_consult(**{section: {name: unknown_value}})
    assessment = run(consult)
    assert assessment.missing == (f"{section}.{name}",)
    assert assessment.status is Status.INCOMPLETE


def test_not_applicable_pregnancy_is_an_answer() -> None:
    assert missing_answers(safe_consult(patient={"pregnancy": "not_applicable"})) == ()


def test_an_empty_consult_misses_every_required_answer() -> None:
    assessment = run(Consult())
    assert len(assessment.missing) == 9
    assert assessment.status is Status.INCOMPLETE


@pytest.mark.parametrize(
    ("section", "name"),
    [
        ("comorbidities", "depression"),
        ("comorbidities", "crps"),
        ("safety", "urinary_symptoms"),
        ("insurance", "coverage"),
        ("fibromyalgia", "diagnosis"),
    ],
)
def test_optional_unknown_answers_are_not_required(section: str, name: str) -> None:
    consult = safe_consult(**{section: {name: "unknown"}})
    assert run(consult).missing == ()


# --- urgent --------------------------------------------------------------------------------


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_self_harm_is_urgent_and_listed_first(item9: int) -> None:
    assessment = run(safe_consult(comorbidities={"phq9_item9": item9}, safety={"liver": "severe"}))
    assert [finding.rule for finding in assessment.urgent] == ["urgent.self_harm"]
    assert assessment.findings[0].rule == "urgent.self_harm"
    assert str(item9) in assessment.urgent[0].text
    assert assessment.urgent[0].level is Level.CAUTION


def test_no_item9_answer_is_not_urgent() -> None:
    assert run(safe_consult(comorbidities={"phq9_item9": None})).urgent == ()


# --- the diagnosis rule and ACR 2016 criterion 1 -------------------------------------------


@pytest.mark.parametrize(
    ("wpi", "sss", "met"),
    [
        (7, 5, True),
        (7, 4, False),
        (6, 9, True),
        (6, 8, False),
        (4, 9, True),
        (3, 12, False),
        (19, 12, True),
        (0, 0, False),
        (19, 4, False),
        (4, 8, False),
        (8, 5, True),
    ],
)
def test_acr_2016_criterion_1_boundaries(wpi: int, sss: int, met: bool) -> None:
    assert criterion1_met(wpi, sss) is met
    rules = fired(safe_consult(fibromyalgia={"wpi": wpi, "sss": sss}))
    assert ("first.diagnosis" in rules) is not met


@pytest.mark.parametrize(("wpi", "sss"), [(3, None), (None, 3)])
def test_criterion_needs_both_scores(wpi: int | None, sss: int | None) -> None:
    assert "first.diagnosis" not in fired(safe_consult(fibromyalgia={"wpi": wpi, "sss": sss}))


@pytest.mark.parametrize(("months", "fires"), [(0, True), (2, True), (3, False), (None, False)])
def test_symptom_duration_of_three_months(months: int | None, fires: bool) -> None:
    consult = safe_consult(fibromyalgia={"symptom_months": months})
    assert ("first.diagnosis" in fired(consult)) is fires


@pytest.mark.parametrize("diagnosis", ["suspected", "not_diagnosed", "unknown"])
def test_unconfirmed_diagnosis_fires(diagnosis: str) -> None:
    finding = run(safe_consult(fibromyalgia={"diagnosis": diagnosis})).fired("first.diagnosis")
    assert finding is not None
    assert finding.fired_by == {"fibromyalgia.diagnosis": diagnosis}


# --- standard care and medicine classes ----------------------------------------------------


def treatments(*pairs: str) -> list[dict[str, str]]:
    return [dict(zip(("therapy", "outcome"), pair.split(":"), strict=True)) for pair in pairs]


@pytest.mark.parametrize(
    ("tried", "classes", "fires"),
    [
        # Two classes failed plus exercise: adequate.
        (("exercise:no_benefit", "duloxetine:no_benefit", "gabapentin:partial_benefit"), 2, False),
        # Two medicines of one class are still one class.
        (("exercise:no_benefit", "duloxetine:no_benefit", "milnacipran:no_benefit"), 1, True),
        # Side effects count as a failed trial.
        (
            ("exercise:helping", "amitriptyline:stopped_side_effects", "pregabalin:no_benefit"),
            2,
            False,
        ),
        # A treatment that is helping is not a failure.
        (("exercise:no_benefit", "duloxetine:helping", "pregabalin:no_benefit"), 1, True),
        # No exercise trial, however many medicines.
        (("duloxetine:no_benefit", "pregabalin:no_benefit", "amitriptyline:no_benefit"), 3, True),
        # Tramadol and CBT are not among the counted classes.
        (
            (
                "exercise:no_benefit",
                "tramadol:no_benefit",
                "cbt:no_benefit",
                "duloxetine:no_benefit",
            ),
            1,
            True,
        ),
        ((), 0, True),
    ],
)
def test_medicine_class_counting(tried: tuple[str, ...], classes: int, fires: bool) -> None:
    consult = safe_consult(prior_treatments=treatments(*tried))
    assert len(failed_medicine_classes(consult)) == classes
    assert ("first.standard_care" in fired(consult)) is fires


def test_standard_care_finding_names_the_untried_options() -> None:
    consult = safe_consult(prior_treatments=treatments("duloxetine:no_benefit"))
    finding = run(consult).fired("first.standard_care")
    assert finding is not None
    assert "exercise" in finding.text
    assert "gabapentinoid (pregabalin or gabapentin)" in finding.text
    assert "tricyclic-type (amitriptyline or cyclobenzaprine)" in finding.text
    assert "SNRI (duloxetine" not in finding.text
    assert finding.fired_by == {"prior_treatments": ["duloxetine: no_benefit"]}


def test_helping_treatment_is_explained() -> None:
    consult = safe_consult(prior_treatments=treatments("exercise:helping", "duloxetine:helping"))
    finding = run(consult).fired("first.standard_care")
    assert finding is not None
    assert "helping counts as working" in finding.text


# --- variants and information rules --------------------------------------------------------


def test_liver_caution_fires_for_alcohol_whatever_the_status() -> None:
    consult = safe_consult(substance_use={"status": "none", "substances": ["alcohol"]})
    finding = run(consult).fired("caution.liver")
    assert finding is not None
    assert "Alcohol" in finding.text
    assert finding.fired_by == {"substance_use.substances": ["alcohol"]}


def test_remission_with_dissociatives_has_the_stronger_text() -> None:
    plain = run(safe_consult(substance_use={"status": "in_remission", "substances": ["cannabis"]}))
    strong = run(
        safe_consult(
            substance_use={"status": "in_remission", "substances": ["ketamine_or_dissociatives"]}
        )
    )
    plain_text = plain.fired("caution.substance_use_remission")
    strong_text = strong.fired("caution.substance_use_remission")
    assert plain_text is not None
    assert strong_text is not None
    assert "dissociatives" not in plain_text.text
    assert "addiction medicine" in strong_text.text


def test_medication_caution_explains_each_medicine() -> None:
    finding = run(safe_consult(safety={"medications": ["lamotrigine", "opioid"]})).fired(
        "caution.medications"
    )
    assert finding is not None
    assert "Lamotrigine may blunt" in finding.text
    assert "breathing risk" in finding.text


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(total: int, band: str) -> None:
    assert phq9_band(total) == band
    finding = run(safe_consult(comorbidities={"depression": "current", "phq9_total": total})).fired(
        "info.depression_current"
    )
    assert finding is not None
    assert content().rulebook.phq9_bands[band] in finding.text


@pytest.mark.parametrize(
    "coverage", ["commercial", "medicare", "medicaid", "military", "uninsured", "other", "unknown"]
)
def test_insurance_text_follows_the_coverage_answer(coverage: str) -> None:
    finding = run(safe_consult(insurance={"coverage": coverage})).fired("info.insurance")
    assert finding is not None
    assert content().rulebook.rules["info.insurance"].variants[coverage] in finding.text


def test_assessment_is_deterministic_and_json_ready() -> None:
    consult = safe_consult(safety={"medications": ["opioid"]}, comorbidities={"phq9_item9": 2})
    first, second = run(consult), run(consult)
    assert first == second
    data = first.as_json()
    assert set(data) == {"status", "urgent", "findings", "missing"}
    for finding in data["findings"]:  # type: ignore[attr-defined]
        assert {"rule", "level", "citations"} <= set(finding)
