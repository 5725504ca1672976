"""The consult file: absent answers, strict validation, schema versions and bad input."""

from __future__ import annotations

import json

import pytest

from decision_aid.consult import (
    Consult,
    ConsultError,
    Pregnancy,
    SubstanceStatus,
    field_choices,
    field_paths,
    parse_consult,
)
from decision_aid.rules import answer
from tests.helpers import example_paths


def test_an_empty_object_is_a_consult_with_everything_unknown() -> None:
    consult = parse_consult("{}")
    assert consult.patient.age_years is None
    assert consult.patient.pregnancy is Pregnancy.UNKNOWN
    assert consult.substance_use.status is SubstanceStatus.UNKNOWN
    assert consult.safety.medications == []
    assert consult.prior_treatments == []
    for path in field_paths():
        assert answer(consult, path) in (None, "unknown", [], "en", "unsure"), path


def test_a_consult_saved_halfway_loads_as_it_was() -> None:
    halfway = Consult.model_validate({"patient": {"age_years": 40}, "safety": {"liver": "none"}})
    again = parse_consult(halfway.to_json())
    assert again == halfway
    assert again.safety.cardiovascular.value == "unknown"


@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.name)
def test_examples_load_and_round_trip(path: object) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    consult = parse_consult(path.read_text(encoding="utf-8"))
    assert parse_consult(consult.to_json()) == consult


def test_there_are_at_least_six_varied_examples() -> None:
    assert len(example_paths()) >= 6


def test_field_paths_cover_the_design_table() -> None:
    assert len(field_paths()) == 27
    assert "safety.ketamine_hypersensitivity" in field_paths()
    assert field_choices("safety.liver") == ("none", "mild_moderate", "severe", "unknown")
    assert field_choices("fibromyalgia.wpi") is None


BAD_INPUTS = [
    ("not json", "not valid JSON"),
    ("[]", "a consult is a JSON object, not a list"),
    ('"text"', "a consult is a JSON object, not text"),
    ('{"schema_version": 2}', "newer decision-aid"),
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
        '{"prior_treatments": [{"therapy": "cbt"}]}',
        "prior_treatments[0].outcome: required here but missing",
    ),
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
    ('{"insurance": {"can_self_pay": "unknown"}}', "insurance.can_self_pay"),
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
