"""Every rule of the catalogue fires when it should and not on the neighbouring answer; the
required answers, the status order, conflicts, the urgent flag and the issue's cases
(docs/design.md sections 4 and 5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import yaml

from decision_aid.catalogue import RULES, Level, Status
from decision_aid.consult import Consult, field_paths, set_answer_at
from decision_aid.first_rules import criterion1_met, failed_medicine_classes
from decision_aid.rules import Assessment, assess, missing_answers, phq9_band
from tests.helpers import (
    ALWAYS_REQUIRED,
    REPO,
    content,
    edit,
    example_data,
    safe_consult,
    set_in_data,
    with_sections,
)

if TYPE_CHECKING:
    from pathlib import Path


def run(consult: Consult) -> Assessment:
    return assess(consult, content())


def fired(consult: Consult) -> set[str]:
    return {finding.rule for finding in run(consult).findings}


# The rules that fire for every consult (docs/design.md section 5, "always").
ALWAYS = {"info.evidence_fm", "info.liver_monitoring", "info.insurance"}


def test_safe_consult_is_complete_and_may_discuss() -> None:
    consult = safe_consult()
    assessment = run(consult)
    assert fired(consult) == ALWAYS
    assert assessment.status is Status.MAY_DISCUSS
    assert assessment.missing == ()
    assert assessment.urgent == ()
    assert consult.schema_version == 4
    assert consult.safety.medications == []
    assert consult.substance_use.substances == []
    assert consult.fibromyalgia.pain_regions == 5
    assert consult.comorbidities.phq9_item9 == 0


# (rule, its level in the catalogue, sections that fire it, the neighbouring answers that
# do not). The neighbour is the nearest value that must not fire the rule: one step safer on
# the same answer where there is an order.
# Prior treatments with a psychological therapy tried: with depression present, standard care
# is then tried in full, so a depression rule alone sets the status.
WITH_THERAPY: list[dict[str, str]] = [
    {"therapy": "exercise", "outcome": "partial_benefit"},
    {"therapy": "cbt", "outcome": "partial_benefit"},
    {"therapy": "duloxetine", "outcome": "no_benefit"},
    {"therapy": "pregabalin", "outcome": "stopped_side_effects"},
]


def depressed(depression: str, total: int, **more: Any) -> dict[str, Any]:
    """Sections for a consult with depression present and a psychological therapy tried."""
    return {
        "comorbidities": {"depression": depression, "phq9_total": total, "phq9_item9": 0},
        "prior_treatments": WITH_THERAPY,
        **more,
    }


def exposure(status: str, harms: list[str] | None = None, **more: Any) -> dict[str, Any]:
    return {"ketamine_exposure": {"status": status, "harms": harms, **more}}


# One case per rule (docs/design.md section 5): the sections that fire it on a safe consult,
# and the neighbouring answers that do not.
CASES: list[tuple[str, Level, dict[str, Any], dict[str, Any]]] = [
    ("stop.age", Level.STOP, {"patient": {"age_years": 17}}, {"patient": {"age_years": 18}}),
    (
        "stop.pregnancy",
        Level.STOP,
        {"patient": {"pregnancy": "pregnant"}},
        {"patient": {"pregnancy": "breastfeeding"}},
    ),
    (
        "stop.psychosis_active",
        Level.STOP,
        {"safety": {"psychosis": "active"}},
        {"safety": {"psychosis": "chronic_disorder"}},
    ),
    (
        "stop.psychotic_disorder",
        Level.STOP,
        {"safety": {"psychosis": "chronic_disorder"}},
        {"safety": {"psychosis": "past_episode"}},
    ),
    (
        "stop.cardiovascular",
        Level.STOP,
        {"safety": {"cardiovascular": "poorly_controlled"}},
        {"safety": {"cardiovascular": "controlled"}},
    ),
    (
        "stop.recent_heart_or_stroke_event",
        Level.STOP,
        {"safety": {"heart_or_stroke_event": "recent"}},
        {"safety": {"heart_or_stroke_event": "earlier"}},
    ),
    (
        "stop.vascular_hazard",
        Level.STOP,
        {"safety": {"vascular_hazard": "present"}},
        {"safety": {"vascular_hazard": "none"}},
    ),
    (
        "stop.liver_severe",
        Level.STOP,
        {"safety": {"liver": "severe"}},
        {"safety": {"liver": "mild_moderate"}},
    ),
    (
        "stop.intracranial_pressure",
        Level.STOP,
        {"safety": {"intracranial_pressure": "raised"}},
        {"safety": {"intracranial_pressure": "normal"}},
    ),
    (
        "stop.intraocular_pressure",
        Level.STOP,
        {"safety": {"intraocular_pressure": "raised"}},
        {"safety": {"intraocular_pressure": "controlled_glaucoma"}},
    ),
    (
        "stop.hyperthyroidism",
        Level.STOP,
        {"safety": {"hyperthyroidism": "present"}},
        {"safety": {"hyperthyroidism": "none"}},
    ),
    (
        "stop.porphyria",
        Level.STOP,
        {"safety": {"porphyria": "present"}},
        {"safety": {"porphyria": "none"}},
    ),
    (
        "stop.substance_use_active",
        Level.STOP,
        {"substance_use": {"status": "active", "substances": ["opioids"]}},
        {"substance_use": {"status": "in_remission", "substances": ["opioids"]}},
    ),
    (
        "stop.ketamine_misuse_history",
        Level.STOP,
        {
            "substance_use": {
                "status": "in_remission",
                "substances": ["ketamine_or_dissociatives"],
            },
            **exposure("none", []),
        },
        {"substance_use": {"status": "in_remission", "substances": ["cannabis"]}},
    ),
    (
        "stop.ketamine_liver_injury",
        Level.STOP,
        exposure("past_course", ["liver_injury"]),
        exposure("past_course", []),
    ),
    (
        "stop.ketamine_bladder_injury",
        Level.STOP,
        exposure("past_course", ["bladder_injury"]),
        exposure("past_course", ["liver_injury"]),
    ),
    (
        "stop.suicide_risk_high",
        Level.STOP,
        {"comorbidities": {"phq9_total": 5, "phq9_item9": 1}, "decision": {"suicide_risk": "high"}},
        {
            "comorbidities": {"phq9_total": 5, "phq9_item9": 1},
            "decision": {"suicide_risk": "moderate"},
        },
    ),
    (
        "stop.hypersensitivity",
        Level.STOP,
        {"safety": {"ketamine_hypersensitivity": "yes"}},
        {"safety": {"ketamine_hypersensitivity": "no"}},
    ),
    (
        "check.substances_vs_status",
        Level.CHECK,
        {"substance_use": {"status": "none", "substances": ["cannabis"]}},
        {"substance_use": {"status": "in_remission", "substances": ["cannabis"]}},
    ),
    (
        "check.phq9_vs_depression",
        Level.CHECK,
        {"comorbidities": {"depression": "none", "phq9_total": 10}},
        {"comorbidities": {"depression": "none", "phq9_total": 9}},
    ),
    (
        "check.age_vs_pregnancy",
        Level.CHECK,
        {"patient": {"age_years": 60, "pregnancy": "planning"}},
        {"patient": {"age_years": 59, "pregnancy": "planning"}},
    ),
    (
        "check.ketamine_harms_vs_exposure",
        Level.CHECK,
        exposure("none", ["severe_psychiatric_reaction"]),
        exposure("past_course", ["severe_psychiatric_reaction"]),
    ),
    (
        "caution.cardiovascular",
        Level.CAUTION,
        {"safety": {"cardiovascular": "controlled"}},
        {"safety": {"cardiovascular": "none"}},
    ),
    (
        "caution.earlier_heart_or_stroke_event",
        Level.CAUTION,
        {"safety": {"heart_or_stroke_event": "earlier"}},
        {"safety": {"heart_or_stroke_event": "none"}},
    ),
    (
        "caution.older_age",
        Level.CAUTION,
        {"patient": {"age_years": 65}},
        {"patient": {"age_years": 64}},
    ),
    (
        "caution.liver",
        Level.CAUTION,
        {"safety": {"liver": "mild_moderate"}},
        {"safety": {"liver": "none"}},
    ),
    (
        "caution.psychosis_history",
        Level.CAUTION,
        {"safety": {"psychosis": "past_episode"}},
        {"safety": {"psychosis": "none"}},
    ),
    (
        "caution.bipolar",
        Level.CAUTION,
        {"safety": {"bipolar": "history"}},
        {"safety": {"bipolar": "none"}},
    ),
    (
        "caution.dissociative_disorder",
        Level.CAUTION,
        {"safety": {"dissociative_disorder": "present"}},
        {"safety": {"dissociative_disorder": "none"}},
    ),
    (
        "caution.depression_severe",
        Level.CAUTION,
        depressed("current", 20),
        depressed("current", 19),
    ),
    (
        "caution.substance_use_remission",
        Level.CAUTION,
        {"substance_use": {"status": "in_remission", "substances": ["cannabis"]}},
        {"substance_use": {"status": "none", "substances": []}},
    ),
    (
        "caution.esketamine_now",
        Level.CAUTION,
        exposure("esketamine_now", []),
        exposure("past_course", []),
    ),
    (
        "caution.other_ketamine_now",
        Level.CAUTION,
        exposure("other_ketamine_now", []),
        exposure("esketamine_now", []),
    ),
    (
        "caution.ketamine_past_reaction",
        Level.CAUTION,
        exposure("past_course", ["blood_pressure_event"]),
        exposure("past_course", []),
    ),
    (
        "caution.breastfeeding",
        Level.CAUTION,
        {"patient": {"pregnancy": "breastfeeding"}},
        {"patient": {"pregnancy": "planning"}},
    ),
    (
        "caution.pregnancy_planning",
        Level.CAUTION,
        {"patient": {"pregnancy": "planning"}},
        {"patient": {"pregnancy": "no"}},
    ),
    (
        "caution.medications",
        Level.CAUTION,
        {"safety": {"medications": ["opioid"]}},
        {"safety": {"medications": ["thyroid_hormone", "lamotrigine"]}},
    ),
    (
        "caution.urinary",
        Level.CAUTION,
        {"safety": {"urinary_symptoms": "present"}},
        {"safety": {"urinary_symptoms": "none"}},
    ),
    (
        "caution.controlled_glaucoma",
        Level.CAUTION,
        {"safety": {"intraocular_pressure": "controlled_glaucoma"}},
        {"safety": {"intraocular_pressure": "normal"}},
    ),
    (
        "caution.sleep_apnea",
        Level.CAUTION,
        {"safety": {"sleep_apnea": "present"}},
        {"safety": {"sleep_apnea": "none"}},
    ),
    (
        "urgent.self_harm",
        Level.CAUTION,
        {"comorbidities": {"phq9_total": 5, "phq9_item9": 1}, "decision": {"suicide_risk": "low"}},
        {"comorbidities": {"phq9_total": 5, "phq9_item9": 0}, "decision": {"suicide_risk": "low"}},
    ),
    (
        "first.diagnosis",
        Level.FIRST,
        {"fibromyalgia": {"diagnosis": "suspected"}},
        {"fibromyalgia": {"diagnosis": "confirmed"}},
    ),
    (
        "first.standard_care",
        Level.FIRST,
        {
            "prior_treatments": [
                {"therapy": "exercise", "outcome": "partial_benefit"},
                {"therapy": "duloxetine", "outcome": "no_benefit"},
            ]
        },
        {
            "prior_treatments": [
                {"therapy": "exercise", "outcome": "partial_benefit"},
                {"therapy": "duloxetine", "outcome": "no_benefit"},
                {"therapy": "gabapentin", "outcome": "no_benefit"},
            ]
        },
    ),
    (
        "info.criteria_not_documented",
        Level.INFO,
        {"fibromyalgia": {"wpi": None}},
        {"fibromyalgia": {"wpi": 10}},
    ),
    (
        "info.medications",
        Level.INFO,
        {"safety": {"medications": ["thyroid_hormone"]}},
        {"safety": {"medications": ["opioid"]}},
    ),
    (
        "info.pregnancy",
        Level.INFO,
        {"patient": {"pregnancy": "no"}},
        {"patient": {"pregnancy": "not_applicable"}},
    ),
    (
        "info.past_ketamine_course",
        Level.INFO,
        exposure("past_course", [], response="good_benefit"),
        exposure("esketamine_now", [], response="good_benefit"),
    ),
    (
        "info.crps",
        Level.INFO,
        {"comorbidities": {"crps": "diagnosed"}},
        {"comorbidities": {"crps": "suspected"}},
    ),
    (
        "info.depression_trd",
        Level.INFO,
        depressed("treatment_resistant", 2),
        depressed("current", 2),
    ),
    (
        "info.depression_current",
        Level.INFO,
        depressed("current", 2),
        depressed("treatment_resistant", 2),
    ),
]

ALWAYS_LEVELS = {
    "info.evidence_fm": Level.INFO,
    "info.liver_monitoring": Level.INFO,
    "info.insurance": Level.INFO,
}

# The status a single finding of each level gives on an otherwise complete consult.
STATUS_OF_LEVEL = {
    Level.STOP: Status.NOT_ADVISED,
    Level.CHECK: Status.INCOMPLETE,
    Level.CAUTION: Status.SPECIALIST_REVIEW,
    Level.FIRST: Status.STANDARD_CARE_FIRST,
    Level.INFO: Status.MAY_DISCUSS,
}


def test_every_rule_of_the_catalogue_is_tested() -> None:
    tested = {rule for rule, _, _, _ in CASES} | set(ALWAYS_LEVELS)
    assert tested == set(RULES)
    assert len(CASES) + len(ALWAYS_LEVELS) == len(RULES)


def changed_paths(sections: dict[str, Any]) -> set[str]:
    return {
        f"{section}.{name}"
        for section, values in sections.items()
        if isinstance(values, dict)
        for name in values
    }


@pytest.mark.parametrize(
    ("rule", "level", "firing", "neighbour"), CASES, ids=[case[0] for case in CASES]
)
def test_rule_fires_on_its_answer_and_not_on_the_neighbouring_one(
    rule: str, level: Level, firing: dict[str, Any], neighbour: dict[str, Any]
) -> None:
    assessment = run(safe_consult(**firing))
    finding = assessment.fired(rule)
    assert finding is not None, f"{rule} did not fire on {firing}"
    assert finding.level is level
    assert RULES[rule].level is level
    assert "{" not in finding.text
    assert "}" not in finding.text
    assert all(key in content().evidence.sources for key in finding.citations)
    if level is not Level.CHECK:
        assert finding.citations, "every finding but a consistency check cites its source"
    # The answers that fired it include the answers that were changed to fire it (a list
    # section such as prior_treatments is named as a whole).
    changed = changed_paths(firing) or set(firing)
    assert changed & set(finding.fired_by), finding.fired_by
    # On an otherwise safe consult the finding alone sets the status.
    assert assessment.status is STATUS_OF_LEVEL[level]
    assert rule not in fired(safe_consult(**neighbour))


@pytest.mark.parametrize("rule", sorted(ALWAYS_LEVELS))
def test_the_always_rules_fire_for_every_consult(rule: str) -> None:
    for consult in (safe_consult(), Consult(), safe_consult(safety={"liver": "severe"})):
        finding = run(consult).fired(rule)
        assert finding is not None
        assert finding.level is ALWAYS_LEVELS[rule]
        assert finding.citations


def test_a_finding_of_another_rule_does_not_fire_the_neighbours() -> None:
    # Psychosis answers select exactly one rule each.
    by_answer = {
        "none": set(),
        "past_episode": {"caution.psychosis_history"},
        "chronic_disorder": {"stop.psychotic_disorder"},
        "active": {"stop.psychosis_active"},
    }
    psychosis_rules = {rule for rules in by_answer.values() for rule in rules}
    for value, rules in by_answer.items():
        assert fired(safe_consult(safety={"psychosis": value})) & psychosis_rules == rules
    pregnancy_rules = {"stop.pregnancy", "caution.breastfeeding", "caution.pregnancy_planning"}
    for value, rules in {
        "not_applicable": set(),
        "no": set(),
        "planning": {"caution.pregnancy_planning"},
        "breastfeeding": {"caution.breastfeeding"},
        "pregnant": {"stop.pregnancy"},
    }.items():
        assert fired(safe_consult(patient={"pregnancy": value})) & pregnancy_rules == rules


# --- required answers (docs/design.md section 5) -------------------------------------------------


def unknown_at(path: str, value: Any = None) -> dict[str, Any]:
    """The sections to give safe_consult for one answer left unknown (``value``)."""
    sections: dict[str, Any] = {}
    set_in_data(sections, path, value)
    return sections


def test_the_always_required_answers_follow_the_design_rule() -> None:
    # docs/design.md section 4.2: age, pregnancy, depression, the ketamine-exposure status,
    # the substance-use status and every safety.* field, a new one included, whatever the
    # table of answers says.
    by_rule = {
        "patient.age_years",
        "patient.pregnancy",
        "comorbidities.depression",
        "ketamine_exposure.status",
        "substance_use.status",
        *(path for path in field_paths() if path.startswith("safety.")),
    }
    assert set(ALWAYS_REQUIRED) == by_rule


@pytest.mark.parametrize("path", sorted(ALWAYS_REQUIRED))
def test_each_required_answer_left_unknown_makes_the_consult_incomplete(path: str) -> None:
    assessment = run(safe_consult(**unknown_at(path, ALWAYS_REQUIRED[path])))
    assert assessment.missing == (path,)
    assert assessment.status is Status.INCOMPLETE


def test_not_applicable_pregnancy_is_an_answer() -> None:
    assert missing_answers(safe_consult(patient={"pregnancy": "not_applicable"})) == ()


def test_an_empty_consult_misses_every_always_required_answer() -> None:
    assessment = run(Consult())
    assert set(assessment.missing) == set(ALWAYS_REQUIRED)
    assert list(assessment.missing) == [p for p in field_paths() if p in ALWAYS_REQUIRED]
    assert assessment.status is Status.INCOMPLETE


@pytest.mark.parametrize(
    ("status", "required"),
    [("none", False), ("in_remission", True), ("active", True), ("unknown", False)],
)
def test_substances_are_required_only_with_use_in_remission_or_active(
    status: str, required: bool
) -> None:
    assessment = run(safe_consult(substance_use={"status": status, "substances": None}))
    assert ("substance_use.substances" in assessment.missing) is required
    if required:
        assert assessment.status.rank >= Status.INCOMPLETE.rank
    if status == "none":
        assert assessment.status is Status.MAY_DISCUSS


@pytest.mark.parametrize(
    ("depression", "total", "required"),
    [
        ("none", None, False),
        ("none", 9, False),
        ("none", 10, True),
        ("unknown", 9, False),
        ("unknown", 10, True),
        ("current", None, True),
        ("current", 4, True),
        ("treatment_resistant", None, True),
        ("treatment_resistant", 27, True),
    ],
)
def test_item9_is_required_with_depression_or_a_total_of_10_or_more(
    depression: str, total: int | None, required: bool
) -> None:
    comorbidities = {"depression": depression, "phq9_total": total, "phq9_item9": None}
    assessment = run(safe_consult(comorbidities=comorbidities))
    assert ("comorbidities.phq9_item9" in assessment.missing) is required
    if required:
        assert assessment.status is Status.INCOMPLETE
    # With item 9 given, it is never missing.
    given = run(safe_consult(comorbidities={**comorbidities, "phq9_item9": 0}))
    assert "comorbidities.phq9_item9" not in given.missing


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("fibromyalgia.diagnosis", "unknown"),
        ("fibromyalgia.pain_regions", None),
        ("fibromyalgia.wpi", None),
        ("comorbidities.crps", "unknown"),
        ("comorbidities.phq9_total", None),
        ("patient.weight_kg", None),
        ("insurance.coverage", "unknown"),
        ("decision.leaning", "unknown"),
        ("decision.teach_back", "unknown"),
    ],
)
def test_optional_unknown_answers_are_not_required(path: str, value: Any) -> None:
    assert run(safe_consult(**unknown_at(path, value))).missing == ()


# --- status order and the checks ------------------------------------------------------------


def test_the_status_order_is_the_design_order() -> None:
    order = ["may_discuss", "standard_care_first", "specialist_review", "incomplete", "not_advised"]
    assert [status.value for status in Status] == order
    assert [status.rank for status in Status] == list(range(5))
    assert sorted(Status, key=lambda status: status.rank) == list(Status)


@pytest.mark.parametrize(
    ("sections", "status"),
    [
        ({}, Status.MAY_DISCUSS),
        # Information alone never changes the status.
        (
            {
                **depressed("treatment_resistant", 9),
                "comorbidities": {
                    "crps": "diagnosed",
                    "depression": "treatment_resistant",
                    "phq9_total": 9,
                    "phq9_item9": 0,
                },
            },
            Status.MAY_DISCUSS,
        ),
        ({"prior_treatments": []}, Status.STANDARD_CARE_FIRST),
        # A caution outranks a first finding.
        (
            {"prior_treatments": [], "safety": {"cardiovascular": "controlled"}},
            Status.SPECIALIST_REVIEW,
        ),
        # A gap outranks a caution.
        ({"safety": {"urinary_symptoms": "present", "liver": "unknown"}}, Status.INCOMPLETE),
        # A conflict outranks a caution.
        (
            {
                "safety": {"cardiovascular": "controlled"},
                "substance_use": {"status": "none", "substances": ["alcohol"]},
            },
            Status.INCOMPLETE,
        ),
        # A stop outranks everything, gaps and conflicts included.
        ({"safety": {"liver": "severe", "psychosis": "unknown"}}, Status.NOT_ADVISED),
        (
            {
                "safety": {"liver": "severe"},
                "comorbidities": {"depression": "none", "phq9_total": 20},
            },
            Status.NOT_ADVISED,
        ),
    ],
)
def test_status_is_the_worst_finding_or_gap(sections: dict[str, Any], status: Status) -> None:
    assert run(safe_consult(**sections)).status is status


def test_a_stop_still_lists_what_is_missing() -> None:
    assessment = run(Consult.model_validate({"safety": {"liver": "severe"}}))
    assert assessment.status is Status.NOT_ADVISED
    assert "safety.liver" not in assessment.missing
    assert "safety.cardiovascular" in assessment.missing


@pytest.mark.parametrize(
    ("rule", "variant", "sections"),
    [
        (
            "check.substances_vs_status",
            "listed_while_none",
            {"substance_use": {"status": "none", "substances": ["alcohol"]}},
        ),
        (
            "check.substances_vs_status",
            "none_listed_while_use",
            {"substance_use": {"status": "in_remission", "substances": []}},
        ),
        (
            "check.phq9_vs_depression",
            None,
            {"comorbidities": {"depression": "none", "phq9_total": 15, "phq9_item9": 0}},
        ),
    ],
)
def test_a_check_finding_makes_a_complete_consult_incomplete(
    rule: str, variant: str | None, sections: dict[str, Any]
) -> None:
    assessment = run(safe_consult(**sections))
    assert assessment.missing == ()
    assert assessment.status is Status.INCOMPLETE
    assert [finding.rule for finding in assessment.conflicts] == [rule]
    finding = assessment.fired(rule)
    assert finding is not None
    assert finding.level is Level.CHECK
    if variant:
        assert content().rulebook.rules[rule].variants[variant] in finding.text


def test_active_use_with_none_listed_is_a_conflict_and_a_stop() -> None:
    assessment = run(safe_consult(substance_use={"status": "active", "substances": []}))
    rules = {finding.rule for finding in assessment.findings}
    assert {"check.substances_vs_status", "stop.substance_use_active"} <= rules
    assert assessment.status is Status.NOT_ADVISED


def test_depression_recorded_resolves_the_phq9_conflict() -> None:
    for depression in ("current", "treatment_resistant"):
        comorbidities = {"depression": depression, "phq9_total": 15, "phq9_item9": 0}
        assert "check.phq9_vs_depression" not in fired(safe_consult(comorbidities=comorbidities))


# --- urgent ----------------------------------------------------------------------------------


@pytest.mark.parametrize("item9", [1, 2, 3])
@pytest.mark.parametrize("risk", ["unknown", "not_assessed"])
def test_self_harm_is_urgent_until_an_outcome_is_recorded(item9: int, risk: str) -> None:
    consult = safe_consult(
        comorbidities={"phq9_total": 5, "phq9_item9": item9},
        safety={"liver": "severe"},
        decision={"suicide_risk": risk},
    )
    assessment = run(consult)
    assert [finding.rule for finding in assessment.urgent] == ["urgent.self_harm"]
    assert assessment.findings[0].rule == "urgent.self_harm"
    finding = assessment.urgent[0]
    assert finding.urgent is True
    assert finding.level is Level.CAUTION
    assert finding.variants == ("not_assessed",)
    assert f"PHQ-9 item 9 is {item9}" in finding.text
    assert finding.fired_by["decision.suicide_risk"] == risk
    # Without an outcome the consult cannot be concluded.
    assert "decision.suicide_risk" in assessment.missing


@pytest.mark.parametrize(
    ("risk", "urgent", "status"),
    [
        ("low", False, Status.SPECIALIST_REVIEW),
        ("moderate", False, Status.SPECIALIST_REVIEW),
        ("high", True, Status.NOT_ADVISED),
    ],
)
def test_a_recorded_suicide_risk_outcome_says_what_to_do_and_never_assess_today(
    risk: str, urgent: bool, status: Status
) -> None:
    consult = safe_consult(
        comorbidities={"phq9_total": 5, "phq9_item9": 2}, decision={"suicide_risk": risk}
    )
    assessment = run(consult)
    finding = assessment.fired("urgent.self_harm")
    assert finding is not None
    assert finding.urgent is urgent
    assert (finding in assessment.urgent) is urgent
    assert finding.level is Level.CAUTION
    assert finding.variants == (risk,)
    texts = content().rulebook.rules["urgent.self_harm"]
    assert texts.variants[risk] in finding.text
    assert texts.variants["not_assessed"] not in finding.text
    assert "assess" not in finding.text.lower().replace("assessment", "")
    assert assessment.missing == ()
    assert assessment.status is status
    assert (assessment.fired("stop.suicide_risk_high") is not None) is (risk == "high")


def test_a_high_suicide_risk_is_urgent_and_a_stop_even_without_item9() -> None:
    consult = safe_consult(
        comorbidities={"phq9_total": None, "phq9_item9": None}, decision={"suicide_risk": "high"}
    )
    assessment = run(consult)
    assert [finding.rule for finding in assessment.urgent] == ["urgent.self_harm"]
    assert "PHQ-9 item 9 is not recorded" in assessment.urgent[0].text
    assert assessment.status is Status.NOT_ADVISED


def test_no_item9_or_item9_zero_is_not_urgent() -> None:
    assert run(safe_consult(comorbidities={"phq9_item9": None})).urgent == ()
    assert run(safe_consult(comorbidities={"phq9_item9": 0})).urgent == ()


# --- the diagnosis rule: ACR 2016 criteria 1 and 2, duration, CRPS ---------------------------


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
def test_criterion_1_needs_both_scores(wpi: int | None, sss: int | None) -> None:
    assert "first.diagnosis" not in fired(safe_consult(fibromyalgia={"wpi": wpi, "sss": sss}))


@pytest.mark.parametrize(
    ("regions", "fires"), [(0, True), (3, True), (4, False), (5, False), (None, False)]
)
def test_criterion_2_generalized_pain_in_4_of_5_regions(regions: int | None, fires: bool) -> None:
    finding = run(safe_consult(fibromyalgia={"pain_regions": regions})).fired("first.diagnosis")
    assert (finding is not None) is fires
    if finding is not None:
        variant = content().rulebook.rules["first.diagnosis"].variants["not_generalized"]
        assert variant.format(regions=regions).strip() in finding.text
        assert finding.fired_by == {"fibromyalgia.pain_regions": regions}


@pytest.mark.parametrize(("months", "fires"), [(0, True), (2, True), (3, False), (None, False)])
def test_symptom_duration_of_three_months(months: int | None, fires: bool) -> None:
    consult = safe_consult(fibromyalgia={"symptom_months": months})
    assert ("first.diagnosis" in fired(consult)) is fires


@pytest.mark.parametrize("diagnosis", ["suspected", "not_diagnosed", "unknown"])
def test_unconfirmed_diagnosis_fires(diagnosis: str) -> None:
    finding = run(safe_consult(fibromyalgia={"diagnosis": diagnosis})).fired("first.diagnosis")
    assert finding is not None
    assert finding.fired_by == {"fibromyalgia.diagnosis": diagnosis}


@pytest.mark.parametrize(
    ("crps", "regions", "fires"),
    [
        ("suspected", None, True),
        ("diagnosed", None, True),
        ("none", None, False),
        ("unknown", None, False),
        ("diagnosed", 4, False),
    ],
)
def test_crps_with_pain_regions_unknown_puts_the_diagnosis_first(
    crps: str, regions: int | None, fires: bool
) -> None:
    consult = safe_consult(comorbidities={"crps": crps}, fibromyalgia={"pain_regions": regions})
    finding = run(consult).fired("first.diagnosis")
    variant = content().rulebook.rules["first.diagnosis"].variants["crps_regions_unknown"]
    assert (finding is not None and variant.strip() in finding.text) is fires


CRITERIA_ITEMS = ["wpi", "sss", "pain_regions", "symptom_months"]


@pytest.mark.parametrize("path", [f"fibromyalgia.{name}" for name in CRITERIA_ITEMS])
def test_criteria_not_documented_names_the_unrecorded_item(path: str) -> None:
    finding = run(safe_consult(**unknown_at(path))).fired("info.criteria_not_documented")
    assert finding is not None
    assert content().questions.label(path) in finding.text
    assert finding.fired_by == {"fibromyalgia.diagnosis": "confirmed", path: None}
    unconfirmed = safe_consult(**unknown_at(path))
    set_answer_at(unconfirmed, "fibromyalgia.diagnosis", "suspected")
    assert "info.criteria_not_documented" not in fired(unconfirmed)


# --- standard care and medicine classes ------------------------------------------------------


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
        # An outcome not recorded is not a failure.
        (("exercise:no_benefit", "duloxetine:unknown", "pregabalin:no_benefit"), 1, True),
        # No exercise trial, however many medicines.
        (("duloxetine:no_benefit", "pregabalin:no_benefit", "amitriptyline:no_benefit"), 3, True),
        # Exercise whose outcome is not recorded is not an exercise trial.
        (("exercise:unknown", "duloxetine:no_benefit", "pregabalin:no_benefit"), 2, True),
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


def test_a_ticked_therapy_with_outcome_unknown_is_not_a_failure_and_is_named() -> None:
    consult = safe_consult(
        prior_treatments=treatments(
            "exercise:partial_benefit", "duloxetine:no_benefit", "pregabalin:unknown"
        )
    )
    assert failed_medicine_classes(consult) == ("SNRI",)
    finding = run(consult).fired("first.standard_care")
    assert finding is not None
    label = content().questions.option_label("prior_treatments", "pregabalin")
    unrecorded = content().rulebook.rules["first.standard_care"].variants["unrecorded"]
    assert unrecorded.format(unrecorded=label).strip() in finding.text
    # A therapy with a recorded outcome is not named as unrecorded.
    assert content().questions.option_label("prior_treatments", "duloxetine") not in finding.text
    # Recording the outcome as a failure completes standard care.
    recorded = safe_consult(
        prior_treatments=treatments(
            "exercise:partial_benefit", "duloxetine:no_benefit", "pregabalin:no_benefit"
        )
    )
    assert "first.standard_care" not in fired(recorded)


def test_exercise_with_an_unknown_outcome_is_not_an_exercise_trial() -> None:
    consult = safe_consult(
        prior_treatments=treatments(
            "exercise:unknown", "duloxetine:no_benefit", "pregabalin:no_benefit"
        )
    )
    finding = run(consult).fired("first.standard_care")
    assert finding is not None
    variants = content().rulebook.rules["first.standard_care"].variants
    assert variants["no_exercise"].strip() in finding.text
    assert variants["few_classes"].split("{")[0].strip() not in finding.text
    label = content().questions.option_label("prior_treatments", "exercise")
    assert label in finding.text
    # Any recorded outcome, even a failure or "helping", makes it an exercise trial.
    for outcome in ("no_benefit", "partial_benefit", "stopped_side_effects", "helping"):
        tried = safe_consult(
            prior_treatments=treatments(
                f"exercise:{outcome}", "duloxetine:no_benefit", "pregabalin:no_benefit"
            )
        )
        assert "first.standard_care" not in fired(tried), outcome


def test_standard_care_finding_names_the_untried_options() -> None:
    consult = safe_consult(prior_treatments=treatments("duloxetine:no_benefit"))
    finding = run(consult).fired("first.standard_care")
    assert finding is not None
    assert "exercise" in finding.text
    assert "gabapentinoid (pregabalin or gabapentin)" in finding.text
    assert "tricyclic-type (amitriptyline or cyclobenzaprine)" in finding.text
    assert "SNRI (duloxetine" not in finding.text
    assert finding.fired_by == {"prior_treatments": ["duloxetine: no_benefit"]}


def test_absent_prior_treatments_mean_none_recorded() -> None:
    data = with_sections(example_data(), {})
    del data["prior_treatments"]
    assert "first.standard_care" in fired(Consult.model_validate(data))


def test_helping_treatment_is_explained() -> None:
    consult = safe_consult(prior_treatments=treatments("exercise:helping", "duloxetine:helping"))
    finding = run(consult).fired("first.standard_care")
    assert finding is not None
    assert content().rulebook.rules["first.standard_care"].variants["helping"] in finding.text


# --- variants: liver, substances, medications, sleep apnoea ----------------------------------


def test_liver_caution_fires_for_alcohol_whatever_the_status() -> None:
    for status in ("none", "in_remission", "active"):
        consult = safe_consult(substance_use={"status": status, "substances": ["alcohol"]})
        finding = run(consult).fired("caution.liver")
        assert finding is not None
        assert content().rulebook.rules["caution.liver"].variants["alcohol"] in finding.text
        assert finding.fired_by == {"substance_use.substances": ["alcohol"]}


def test_ketamine_misuse_history_is_a_stop_whatever_the_status() -> None:
    for status in ("none", "in_remission", "active", "unknown"):
        consult = safe_consult(
            substance_use={"status": status, "substances": ["ketamine_or_dissociatives"]}
        )
        assessment = run(consult)
        finding = assessment.fired("stop.ketamine_misuse_history")
        assert finding is not None, status
        assert finding.level is Level.STOP
        assert finding.variants == ("substances",)
        assert finding.fired_by["substance_use.status"] == status
        assert assessment.status is Status.NOT_ADVISED


def rules_yaml() -> dict[str, Any]:
    """rules.yaml read directly, so that the test does not trust the content loader."""
    data: dict[str, Any] = yaml.safe_load((REPO / "resources" / "rules.yaml").read_text("utf-8"))
    return data


MEDICATIONS = sorted(RULES["caution.medications"].variants)


@pytest.mark.parametrize("medication", MEDICATIONS)
def test_each_medication_has_its_sentence_and_its_own_sources(medication: str) -> None:
    entry = rules_yaml()["rules"]["caution.medications"]
    finding = run(safe_consult(safety={"medications": [medication]})).fired("caution.medications")
    assert finding is not None
    assert " ".join(entry["variants"][medication].split()) in finding.text
    own = entry["variant_citations"][medication]
    assert own, f"{medication} cites a source of its own"
    assert set(own) <= set(finding.citations)
    assert set(finding.citations) == set(entry["citations"]) | set(own)
    assert finding.fired_by == {"safety.medications": [medication]}
    # No other medicine's sentence.
    for other in MEDICATIONS:
        if other != medication:
            assert " ".join(entry["variants"][other].split()) not in finding.text


def test_every_listed_medication_is_cited_when_all_are_listed() -> None:
    entry = rules_yaml()["rules"]["caution.medications"]
    finding = run(safe_consult(safety={"medications": MEDICATIONS})).fired("caution.medications")
    assert finding is not None
    for medication in MEDICATIONS:
        assert set(entry["variant_citations"][medication]) <= set(finding.citations), medication
        assert " ".join(entry["variants"][medication].split()) in finding.text
    assert len(finding.citations) == len(set(finding.citations)), "each source cited once"


@pytest.mark.parametrize(
    ("medications", "with_sedatives"),
    [
        ([], False),
        (["lamotrigine"], False),
        (["opioid"], True),
        (["benzodiazepine"], True),
        (["other_cns_depressant", "maoi"], True),
    ],
)
def test_sleep_apnoea_with_sedating_medicines(medications: list[str], with_sedatives: bool) -> None:
    consult = safe_consult(safety={"sleep_apnea": "present", "medications": medications})
    finding = run(consult).fired("caution.sleep_apnea")
    assert finding is not None
    variant = content().rulebook.rules["caution.sleep_apnea"].variants["with_sedatives"]
    assert (variant in finding.text) is with_sedatives


# --- information rules -----------------------------------------------------------------------


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
    consult = safe_consult(comorbidities={"depression": "current", "phq9_total": total})
    finding = run(consult).fired("info.depression_current")
    assert finding is not None
    assert content().rulebook.phq9_bands[band] in finding.text


@pytest.mark.parametrize(
    ("coverage", "plan", "self_pay", "variants"),
    [
        ("commercial", "unknown", "yes", ("plan_unknown",)),
        ("military", "yes_prior_auth", "yes", ("plan_prior_auth",)),
        ("medicaid", "no", "no", ("plan_does_not_cover", "self_pay_no")),
        ("medicare", "no", "yes", ("plan_does_not_cover", "medicare_abn")),
        ("medicare", "unknown", "unsure", ("plan_unknown", "self_pay_unsure")),
        ("other", "no", "yes", ("plan_does_not_cover",)),
        # Uninsured: there is no plan, so its answer is ignored, whatever it says.
        ("uninsured", "yes_prior_auth", "yes", ("uninsured",)),
        ("uninsured", "no", "unsure", ("uninsured", "self_pay_unsure")),
        ("unknown", "no", "yes", ("coverage_unknown",)),
        # Self-pay not asked adds no sentence (it is not "unsure": nobody said so).
        ("commercial", "no", "unknown", ("plan_does_not_cover",)),
        ("uninsured", "no", "unknown", ("uninsured",)),
    ],
)
def test_insurance_text_follows_the_coverage_and_the_plans_answer(
    coverage: str, plan: str, self_pay: str, variants: tuple[str, ...]
) -> None:
    insurance = {"coverage": coverage, "covers_ketamine_for_pain": plan, "can_self_pay": self_pay}
    finding = run(safe_consult(insurance=insurance)).fired("info.insurance")
    assert finding is not None
    assert finding.variants == variants
    texts = content().rulebook.rules["info.insurance"].variants
    for name in variants:
        assert texts[name] in finding.text
    if coverage == "uninsured":
        assert "insurance.covers_ketamine_for_pain" not in finding.fired_by


def test_assessment_is_deterministic_and_json_ready() -> None:
    consult = safe_consult(safety={"medications": ["opioid"]}, comorbidities={"phq9_item9": 2})
    first, second = run(consult), run(consult)
    assert first == second
    data = first.as_json()
    assert set(data) == {"status", "bounds", "urgent", "findings", "missing"}
    findings = data["findings"]
    assert isinstance(findings, list)
    for finding in findings:
        assert {"rule", "level", "citations"} <= set(finding)


# --- the issue's cases: one change to the may-discuss example --------------------------------


def example_with(**sections: dict[str, Any]) -> Assessment:
    return run(Consult.model_validate(with_sections(example_data(), sections)))


def test_the_may_discuss_example_is_the_baseline() -> None:
    assessment = example_with()
    assert assessment.status is Status.MAY_DISCUSS
    assert assessment.missing == ()


@pytest.mark.parametrize(
    ("case", "sections", "missing", "conflicts"),
    [
        (
            "PHQ-9 total 27, item 9 not entered",
            {"comorbidities": {"phq9_total": 27, "phq9_item9": None}},
            {"comorbidities.phq9_item9"},
            {"check.phq9_vs_depression"},
        ),
        (
            "treatment-resistant depression, no PHQ-9",
            {
                "comorbidities": {
                    "depression": "treatment_resistant",
                    "phq9_total": None,
                    "phq9_item9": None,
                }
            },
            {"comorbidities.phq9_total", "comorbidities.phq9_item9"},
            set(),
        ),
        (
            "PHQ-9 total 27 with depression none",
            {"comorbidities": {"phq9_total": 27, "depression": "none"}},
            set(),
            {"check.phq9_vs_depression"},
        ),
        (
            "ketamine, opioid and sedative misuse listed while status none",
            {
                "substance_use": {
                    "status": "none",
                    "substances": ["ketamine_or_dissociatives", "opioids", "sedatives"],
                }
            },
            {"ketamine_exposure.harms"},
            {"check.substances_vs_status"},
        ),
        (
            "medications never reviewed",
            {"safety": {"medications": None}},
            {"safety.medications"},
            set(),
        ),
        (
            "substances never asked while in remission",
            {"substance_use": {"status": "in_remission", "substances": None}},
            {"substance_use.substances"},
            set(),
        ),
        (
            "urinary symptoms unknown",
            {"safety": {"urinary_symptoms": "unknown"}},
            {"safety.urinary_symptoms"},
            set(),
        ),
        (
            "depression unknown",
            {"comorbidities": {"depression": "unknown"}},
            {"comorbidities.depression"},
            set(),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_issue_case_is_incomplete_or_worse_naming_the_answers(
    case: str, sections: dict[str, Any], missing: set[str], conflicts: set[str]
) -> None:
    assessment = example_with(**sections)
    assert assessment.status.rank >= Status.INCOMPLETE.rank, case
    assert set(assessment.missing) == missing, case
    assert {finding.rule for finding in assessment.conflicts} == conflicts, case
    for rule in conflicts:
        finding = assessment.fired(rule)
        assert finding is not None
        changed = changed_paths(sections) - {"comorbidities.phq9_item9"}
        assert set(finding.fired_by) & changed, "the conflict names the answers in conflict"


def test_issue_case_ketamine_misuse_listed_while_status_none_is_also_a_stop() -> None:
    assessment = example_with(
        substance_use={
            "status": "none",
            "substances": ["ketamine_or_dissociatives", "opioids", "sedatives"],
        }
    )
    assert assessment.fired("stop.ketamine_misuse_history") is not None
    assert assessment.status is Status.NOT_ADVISED
    finding = assessment.fired("check.substances_vs_status")
    assert finding is not None
    variant = content().rulebook.rules["check.substances_vs_status"].variants["listed_while_none"]
    assert " ".join(variant.split()) in finding.text


def test_issue_case_crps_with_wpi_7_sss_5_and_pain_regions_unknown() -> None:
    assessment = example_with(
        comorbidities={"crps": "diagnosed"},
        fibromyalgia={"wpi": 7, "sss": 5, "pain_regions": None},
    )
    finding = assessment.fired("first.diagnosis")
    assert finding is not None
    variants = content().rulebook.rules["first.diagnosis"].variants
    assert " ".join(variants["crps_regions_unknown"].split()) in finding.text
    # WPI 7 with SSS 5 meets criterion 1: that is not the reason.
    assert "criterion 1" not in finding.text
    assert finding.fired_by["comorbidities.crps"] == "diagnosed"
    assert finding.fired_by["fibromyalgia.pain_regions"] is None
    assert assessment.status is Status.STANDARD_CARE_FIRST


# --- the rule texts made once per rule book ----------------------------------------------------


def test_each_rule_book_has_its_own_filled_texts_which_go_with_it(pack: Path) -> None:
    """findings._MADE: a clinic pack's texts are never served for another pack, and the cache of
    a rule book no one holds any more is dropped with it."""
    import gc

    from decision_aid import findings as rules_module
    from decision_aid.content import load_content

    edit(pack / "rules.yaml", "Guideline care comes first", "Riverside: guideline care first")
    clinic = load_content(pack)
    consult = safe_consult(prior_treatments=[])
    for _ in range(2):  # the second time from the cache
        built_in = assess(consult, content()).fired("first.standard_care")
        theirs = assess(consult, clinic).fired("first.standard_care")
        assert built_in is not None
        assert theirs is not None
        assert built_in.text.startswith("Guideline care comes first")
        assert theirs.text.startswith("Riverside: guideline care first")
    key = id(clinic.rulebook)
    assert key in rules_module._MADE
    del clinic
    gc.collect()
    assert key not in rules_module._MADE
    assert id(content().rulebook) in rules_module._MADE


def test_harms_with_no_treatment_are_not_a_conflict_when_ketamine_was_misused() -> None:
    # Harms of ketamine taken as a substance, not as a treatment, contradict nothing.
    consult = safe_consult(
        substance_use={"status": "in_remission", "substances": ["ketamine_or_dissociatives"]},
        ketamine_exposure={"status": "none", "harms": ["bladder_injury"]},
    )
    assessment = run(consult)
    assert assessment.conflicts == ()
    assert assessment.missing == ()
    assert {"stop.ketamine_misuse_history", "stop.ketamine_bladder_injury"} <= fired(consult)


@pytest.mark.parametrize(
    ("therapy", "outcome", "needed"),
    [
        (None, None, True),
        ("cbt", "unknown", True),
        ("cbt", "helping", False),
        ("cbt", "no_benefit", False),
        ("other_psychological_therapy", "partial_benefit", False),
        ("other_psychological_therapy", "unknown", True),
        ("mindful_movement", "partial_benefit", True),
    ],
)
def test_with_depression_a_psychological_therapy_with_a_recorded_outcome_comes_first(
    therapy: str | None, outcome: str | None, needed: bool
) -> None:
    treatments = [
        {"therapy": "exercise", "outcome": "partial_benefit"},
        {"therapy": "duloxetine", "outcome": "no_benefit"},
        {"therapy": "pregabalin", "outcome": "stopped_side_effects"},
    ]
    if therapy is not None and outcome is not None:
        treatments.append({"therapy": therapy, "outcome": outcome})
    consult = safe_consult(
        prior_treatments=treatments,
        comorbidities={"depression": "current", "phq9_total": 8, "phq9_item9": 0},
    )
    finding = run(consult).fired("first.standard_care")
    assert (finding is not None) is needed
    if finding is not None:
        unrecorded = ("unrecorded",) if outcome == "unknown" else ()
        assert finding.variants == ("no_psychological_therapy", *unrecorded)
        assert finding.fired_by["comorbidities.depression"] == "current"
    # Without depression no psychological therapy is asked for.
    calm = safe_consult(prior_treatments=treatments)
    assert run(calm).fired("first.standard_care") is None
