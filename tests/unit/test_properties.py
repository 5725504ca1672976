"""Properties over generated consults: no crash, JSON round trip, monotone safety."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.catalogue import Status
from decision_aid.consult import Consult, parse_consult
from decision_aid.rules import assess
from tests.helpers import content
from tests.strategies import consult_data, consults


@given(consults())
def test_assess_never_crashes_and_is_consistent(consult: Consult) -> None:
    assessment = assess(consult, content())
    levels = {finding.level.value for finding in assessment.findings}
    if "stop" in levels:
        assert assessment.status is Status.NOT_ADVISED
    elif assessment.missing:
        assert assessment.status is Status.INCOMPLETE
    for finding in assessment.findings:
        assert finding.citations
        assert "{" not in finding.text
    assert all(finding in assessment.findings for finding in assessment.urgent)
    json.dumps(assessment.as_json())


@given(consults())
def test_json_round_trip_is_identity(consult: Consult) -> None:
    assert parse_consult(consult.to_json()) == consult


@given(consult_data())
def test_data_round_trip_keeps_every_given_answer(data: dict[str, Any]) -> None:
    dumped = json.loads(Consult.model_validate(data).to_json())
    for section, value in data.items():
        if isinstance(value, dict):
            for name, answer in value.items():
                assert dumped[section][name] == answer
        else:
            assert dumped[section] == value


# Each chain lists an answer's known values from safest to riskiest (docs/design.md section 5).
# "unknown" is in no chain: it is not a degree of risk, and is tested on its own below.
CHAINS: dict[tuple[str, str], list[Any]] = {
    ("patient", "pregnancy"): [
        ["not_applicable", "no"],
        ["breastfeeding", "planning"],
        ["pregnant"],
    ],
    ("safety", "cardiovascular"): [["none"], ["controlled"], ["poorly_controlled"]],
    ("safety", "liver"): [["none"], ["mild_moderate"], ["severe"]],
    ("safety", "psychosis"): [["none"], ["history"], ["active"]],
    ("safety", "intracranial_pressure"): [["normal"], ["raised"]],
    ("safety", "intraocular_pressure"): [["normal"], ["raised"]],
    ("safety", "urinary_symptoms"): [["none"], ["present"]],
    ("safety", "ketamine_hypersensitivity"): [["no"], ["yes"]],
    ("substance_use", "status"): [["none"], ["in_remission"], ["active"]],
    ("comorbidities", "phq9_item9"): [[None, 0], [1, 2, 3]],
}

SET_FIELDS = {
    ("safety", "medications"): ["benzodiazepine", "opioid", "lamotrigine", "other_cns_depressant"],
    ("substance_use", "substances"): [
        "alcohol", "opioids", "stimulants", "cannabis", "sedatives",
        "ketamine_or_dissociatives", "other",
    ],
}  # fmt: skip


def status_of(data: dict[str, Any]) -> Status:
    return assess(Consult.model_validate(data), content()).status


def with_answer(data: dict[str, Any], section: str, name: str, value: Any) -> dict[str, Any]:
    changed: dict[str, Any] = json.loads(json.dumps(data))
    changed.setdefault(section, {})[name] = value
    return changed


@settings(max_examples=150)
@given(consult_data(), st.sampled_from(sorted(CHAINS)), st.data())
def test_a_riskier_answer_never_gives_a_better_status(
    data: dict[str, Any], field: tuple[str, str], draw: st.DataObject
) -> None:
    section, name = field
    chain = CHAINS[field]
    lower = draw.draw(st.integers(0, len(chain) - 2))
    higher = draw.draw(st.integers(lower + 1, len(chain) - 1))
    safer = with_answer(data, section, name, draw.draw(st.sampled_from(chain[lower])))
    riskier = with_answer(data, section, name, draw.draw(st.sampled_from(chain[higher])))
    assert status_of(riskier).rank >= status_of(safer).rank


@settings(max_examples=150)
@given(consult_data(), st.sampled_from(sorted(SET_FIELDS)), st.data())
def test_adding_a_medication_or_substance_never_gives_a_better_status(
    data: dict[str, Any], field: tuple[str, str], draw: st.DataObject
) -> None:
    section, name = field
    current = list(data.get(section, {}).get(name, []))
    addable = [item for item in SET_FIELDS[field] if item not in current]
    if not addable:
        return
    added = with_answer(data, section, name, [*current, draw.draw(st.sampled_from(addable))])
    assert status_of(added).rank >= status_of(with_answer(data, section, name, current)).rank


@settings(max_examples=150)
@given(consult_data(), st.sampled_from(sorted(k for k in CHAINS if k[1] != "phq9_item9")))
def test_unknown_is_never_better_than_the_safest_answer(
    data: dict[str, Any], field: tuple[str, str]
) -> None:
    section, name = field
    safest = CHAINS[field][0][0]
    unknown = with_answer(data, section, name, "unknown")
    assert status_of(unknown).rank >= status_of(with_answer(data, section, name, safest)).rank


@settings(max_examples=100)
@given(consult_data(), st.integers(0, 17), st.integers(18, 120))
def test_under_18_is_never_better_than_adult(data: dict[str, Any], young: int, adult: int) -> None:
    minor = with_answer(data, "patient", "age_years", young)
    grown = with_answer(data, "patient", "age_years", adult)
    assert status_of(minor).rank >= status_of(grown).rank
