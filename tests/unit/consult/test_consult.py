"""The consult file: absent answers, strict validation, schema versions and bad input."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from decision_aid.consult import (
    ANSWERS,
    Consult,
    ConsultError,
    Outcome,
    Pregnancy,
    SubstanceStatus,
    field_choices,
    field_paths,
    parse_consult,
    parse_consult_upgrading,
    set_answer_at,
)
from decision_aid.rules import answer
from tests.helpers import example_paths, safe_consult

if TYPE_CHECKING:
    from pathlib import Path


def test_an_empty_object_is_a_version_4_consult_with_everything_unknown() -> None:
    consult, upgrade = parse_consult_upgrading("{}")
    assert upgrade is None
    assert consult.schema_version == 4
    assert consult.patient.age_years is None
    assert consult.patient.pregnancy is Pregnancy.UNKNOWN
    assert consult.substance_use.status is SubstanceStatus.UNKNOWN
    # Lists that tell "not reviewed" from "none of these" start not reviewed.
    assert consult.safety.medications is None
    assert consult.substance_use.substances is None
    assert consult.prior_treatments == []
    assert consult.decision.handout is None
    for path in field_paths():
        assert answer(consult, path) in (None, "unknown", [], "en", "unsure"), path


def test_a_consult_saved_halfway_loads_as_it_was() -> None:
    halfway = Consult.model_validate({"patient": {"age_years": 40}, "safety": {"liver": "none"}})
    again = parse_consult(halfway.to_json())
    assert again == halfway
    assert again.safety.cardiovascular.value == "unknown"


@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.name)
def test_examples_load_without_an_upgrade_and_round_trip_as_version_4(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    written = json.loads(text)
    # Version 3 examples are kept as they were: they load as version 4 with no plan, silently.
    assert written["schema_version"] in (3, 4)
    consult, upgrade = parse_consult_upgrading(text)
    assert upgrade is None
    if written["schema_version"] == 3:
        assert (consult.plan, consult.course, consult.course_end) == (None, [], None)
    saved = consult.to_json()
    assert json.loads(saved)["schema_version"] == 4
    assert parse_consult(saved) == consult


def test_there_are_at_least_six_varied_examples() -> None:
    assert len(example_paths()) >= 6


def test_field_paths_cover_the_design_table() -> None:
    new = {
        "patient.weight_kg",
        "fibromyalgia.pain_regions",
        "safety.vascular_hazard",
        "safety.bipolar",
        "safety.hyperthyroidism",
        "safety.sleep_apnea",
        "safety.porphyria",
        "decision.leaning",
        "decision.sure.sure_of_best_choice",
        "decision.sure.knows_benefits_and_risks",
        "decision.sure.clear_what_matters",
        "decision.sure.has_support_and_advice",
        "decision.teach_back",
        # Schema 3 (docs/design.md section 4).
        "safety.heart_or_stroke_event",
        "safety.dissociative_disorder",
        "ketamine_exposure.status",
        "ketamine_exposure.response",
        "ketamine_exposure.harms",
        "decision.suicide_risk",
    }
    assert new <= set(field_paths())
    assert "decision.self_harm_assessed" not in field_paths()
    assert field_choices("safety.intraocular_pressure") == (
        "normal", "controlled_glaucoma", "raised", "unknown",
    )  # fmt: skip
    assert field_choices("safety.heart_or_stroke_event") == (
        "none", "recent", "earlier", "unknown",
    )  # fmt: skip
    assert field_choices("decision.suicide_risk") == (
        "not_assessed", "low", "moderate", "high", "unknown",
    )  # fmt: skip
    assert {"bupropion", "cyp_inhibitor_or_inducer"} <= set(
        field_choices("safety.medications") or ()
    )
    assert "other_psychological_therapy" in (field_choices("prior_treatments") or ())
    # One row of the table of answers for each, in file order (tests/unit/test_answers.py).
    assert [spec.path for spec in ANSWERS] == list(field_paths())
    # The handout given is set by the program: not a question.
    assert "decision.handout" not in field_paths()
    assert "safety.ketamine_hypersensitivity" in field_paths()
    assert field_choices("safety.psychosis") == (
        "none", "past_episode", "chronic_disorder", "active", "unknown",
    )  # fmt: skip
    assert field_choices("prior_treatments")
    assert "unknown" in [outcome.value for outcome in Outcome]
    assert field_choices("safety.liver") == ("none", "mild_moderate", "severe", "unknown")
    assert field_choices("fibromyalgia.wpi") is None


BAD_INPUTS = [
    ("not json", "not valid JSON"),
    ("[]", "a consult is a JSON object, not a list"),
    ('"text"', "a consult is a JSON object, not text"),
    ('{"schema_version": 5}', "newer decision-aid"),
    ('{"schema_version": 5}', "reads schema versions 1 to 4"),
    ('{"schema_version": 0}', "schema_version: 0 is not a schema version"),
    ('{"schema_version": "1"}', "schema_version"),
    ('{"patient": {"name": "A. Person"}}', "patient.name: unknown field; a consult never holds"),
    ('{"mrn": "123"}', "mrn: unknown field; a consult never holds"),
    ('{"extra": 1}', "extra: unknown field"),
    ('{"safety": {"liver": "bad"}}', 'safety.liver: "bad" is not allowed; allowed values:'),
    ('{"safety": {"liver": null}}', "safety.liver"),
    ('{"safety": 3}', "safety: expected a JSON object, not a number"),
    ('{"patient": {"age_years": 121}}', "patient.age_years: 121 is out of range; allowed 0 to 120"),
    ('{"patient": {"age_years": -1}}', "patient.age_years: -1 is out of range"),
    (
        '{"patient": {"age_years": "40"}}',
        "patient.age_years: expected a whole number or null, not text",
    ),
    ('{"patient": {"age_years": 40.5}}', "patient.age_years: expected a whole number"),
    ('{"patient": {"age_years": true}}', "patient.age_years: expected a whole number"),
    ('{"fibromyalgia": {"wpi": 20}}', "fibromyalgia.wpi: 20 is out of range; allowed 0 to 19"),
    ('{"fibromyalgia": {"sss": 13}}', "fibromyalgia.sss: 13 is out of range; allowed 0 to 12"),
    ('{"fibromyalgia": {"pain_nrs": 11}}', "fibromyalgia.pain_nrs"),
    ('{"comorbidities": {"phq9_total": 28}}', "comorbidities.phq9_total"),
    (
        '{"comorbidities": {"phq9_item9": 4}}',
        "comorbidities.phq9_item9: 4 is out of range; allowed 0 to 3",
    ),
    ('{"prior_treatments": {"therapy": "cbt"}}', "prior_treatments: expected a list"),
    (
        '{"prior_treatments": [{"outcome": "helping"}]}',
        "prior_treatments[0].therapy: required here but missing",
    ),
    (
        '{"prior_treatments": [{"therapy": "cbt"}, {"therapy": "cbt", "outcome": "helping"}]}',
        "prior_treatments: cbt is listed twice",
    ),
    ('{"patient": {"weight_kg": 29}}', "patient.weight_kg: 29 is out of range; allowed 30 to 300"),
    ('{"patient": {"weight_kg": 301}}', "patient.weight_kg: 301 is out of range"),
    (
        '{"fibromyalgia": {"pain_regions": 6}}',
        "fibromyalgia.pain_regions: 6 is out of range; allowed 0 to 5",
    ),
    ('{"safety": {"psychosis": "history"}}', 'safety.psychosis: "history" is not allowed'),
    ('{"safety": {"bipolar": "yes"}}', "safety.bipolar"),
    ('{"safety": {"medications": "none"}}', "safety.medications: expected a list"),
    ('{"safety": {"medications": ["stimulant", "tea"]}}', "safety.medications[1]"),
    (
        '{"substance_use": {"substances": ["alcohol", "alcohol"]}}',
        "substance_use.substances: alcohol is listed twice",
    ),
    (
        '{"decision": {"sure": {"sure_of_best_choice": "maybe"}}}',
        "decision.sure.sure_of_best_choice",
    ),
    ('{"decision": {"sure": {"surely": "yes"}}}', "decision.sure.surely: unknown field"),
    ('{"decision": {"handout": {"language": "en"}}}', "decision.handout.paper: required here"),
    (
        '{"decision": {"handout": {"language": "en", "paper": "a4", "content_stamp": "XYZ"}}}',
        "decision.handout.content_stamp",
    ),
    (
        '{"decision": {"handout": {"language": "en", "paper": "a4", "content_stamp": "abc"}}}',
        "decision.handout.content_stamp",
    ),
    (
        '{"comorbidities": {"phq9_total": 1, "phq9_item9": 2}}',
        "comorbidities: PHQ-9 item 9 (2) cannot exceed the PHQ-9 total (1)",
    ),
    ('{"safety": {"liver": "severe", "liver": "none"}}', "liver: given twice in one JSON object"),
    ('{"safety": {}, "safety": {"liver": "none"}}', "safety: given twice in one JSON object"),
    (
        '{"prior_treatments": [{"therapy": "yoga", "outcome": "helping"}]}',
        "prior_treatments[0].therapy",
    ),
    (
        '{"safety": {"medications": ["opioid", "opioid"]}}',
        "safety.medications: opioid is listed twice",
    ),
    ('{"substance_use": {"substances": ["tea"]}}', "substance_use.substances[0]"),
    ('{"priorities": ["cost", "cost"]}', "priorities: cost is listed twice"),
    ('{"insurance": {"can_self_pay": "maybe"}}', "insurance.can_self_pay"),
    ('{"patient": {"handout_language": "fr"}}', "allowed values: 'en' or 'es'"),
]


@pytest.mark.parametrize(("text", "message"), BAD_INPUTS)
def test_bad_input_is_refused_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(ConsultError) as caught:
        parse_consult(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_several_problems_are_counted_in_one_line() -> None:
    with pytest.raises(ConsultError, match=r"\(and 2 more problems\)"):
        parse_consult('{"safety": {"liver": "x", "psychosis": "y", "cardiovascular": "z"}}')


def test_a_long_bad_value_is_shortened() -> None:
    with pytest.raises(ConsultError) as caught:
        parse_consult(json.dumps({"safety": {"liver": "x" * 10_000}}))
    assert len(str(caught.value)) < 200


def test_unknown_is_not_none() -> None:
    consult = Consult.model_validate({"safety": {"cardiovascular": "unknown"}})
    assert consult.safety.cardiovascular.value == "unknown"
    assert consult.safety.cardiovascular.value != "none"


def test_assignment_is_validated() -> None:
    from pydantic import ValidationError

    consult = Consult()
    with pytest.raises(ValidationError):
        consult.patient.age_years = 200


def test_repeated_keys_are_refused_even_when_they_agree() -> None:
    with pytest.raises(ConsultError, match=r"^(safety\.)?liver: given twice in one JSON object"):
        parse_consult('{"safety": {"liver": "none", "liver": "none"}}')


def test_a_repeated_risky_answer_is_not_read_as_the_last_one() -> None:
    # json would keep the last "liver" (none) and hide the severe liver disease.
    with pytest.raises(ConsultError) as caught:
        parse_consult('{"safety": {"liver": "severe", "liver": "none"}}')
    assert "liver" in str(caught.value)
    assert "twice" in str(caught.value)


@pytest.mark.parametrize(
    ("total", "item9"), [(0, 0), (1, 1), (3, 3), (27, 3), (None, 3), (0, None)]
)
def test_item9_up_to_the_total_is_accepted(total: int | None, item9: int | None) -> None:
    data = {"comorbidities": {"phq9_total": total, "phq9_item9": item9}}
    consult = parse_consult(json.dumps(data))
    assert (consult.comorbidities.phq9_total, consult.comorbidities.phq9_item9) == (total, item9)


@pytest.mark.parametrize(
    ("path", "value"), [("comorbidities.phq9_item9", 3), ("comorbidities.phq9_total", 0)]
)
def test_a_refused_item9_or_total_is_not_kept_in_the_consult(path: str, value: int) -> None:
    from pydantic import ValidationError

    consult = safe_consult(comorbidities={"phq9_total": 2, "phq9_item9": 1})
    with pytest.raises(ValidationError, match="cannot exceed"):
        set_answer_at(consult, path, value)
    # The refused value is not kept: the consult is as it was, and it saves into a file that
    # opens again.
    assert (consult.comorbidities.phq9_total, consult.comorbidities.phq9_item9) == (2, 1)
    assert parse_consult(consult.to_json()) == consult


def test_medications_and_substances_null_and_empty_round_trip_distinctly() -> None:
    not_reviewed = safe_consult(safety={"medications": None}, substance_use={"substances": None})
    none_of_these = safe_consult()
    assert not_reviewed != none_of_these
    for consult, expected in ((not_reviewed, None), (none_of_these, [])):
        text = consult.to_json()
        data = json.loads(text)
        assert data["safety"]["medications"] == expected
        assert data["substance_use"]["substances"] == expected
        again = parse_consult(text)
        assert again == consult
        assert again.safety.medications == expected
        assert again.substance_use.substances == expected


def test_the_handout_given_round_trips() -> None:
    handout = {"language": "es", "paper": "a4", "content_stamp": "a027313917"}
    consult = safe_consult(decision={"handout": handout})
    again = parse_consult(consult.to_json())
    assert again == consult
    assert again.decision.handout is not None
    assert again.decision.handout.model_dump(mode="json") == handout


def test_sure_score_counts_yes_and_answered() -> None:
    consult = safe_consult(
        decision={"sure": {"sure_of_best_choice": "no", "has_support_and_advice": "unknown"}}
    )
    assert consult.decision.sure.score() == (2, 3)
    assert safe_consult().decision.sure.score() == (4, 4)
    assert Consult().decision.sure.score() == (0, 0)
