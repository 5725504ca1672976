"""FHIR R4B export: valid resources, linkIds that match, and a lossless round trip."""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given, settings

from decision_aid import fhir
from decision_aid.cli import main
from decision_aid.consult import Consult, ConsultError, field_paths
from decision_aid.files import read_consult_file
from decision_aid.rules import missing_answers
from tests.helpers import (
    ALWAYS_REQUIRED,
    EXAMPLES,
    content,
    example_paths,
    safe_consult,
)
from tests.strategies import consults

if TYPE_CHECKING:
    from pathlib import Path


def link_ids(items: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for item in items:
        found.append(item["linkId"])
        found.extend(link_ids(item.get("item", [])))
    return found


def test_the_questionnaire_is_valid_and_asks_every_field() -> None:
    data = fhir.questionnaire(content())
    Questionnaire.model_validate(data)
    ids = link_ids(data["item"])
    assert len(ids) == len(set(ids)), "linkIds are unique"
    assert set(field_paths()) <= set(ids)
    assert data["url"] == fhir.QUESTIONNAIRE_URL
    assert data["version"] == fhir.QUESTIONNAIRE_VERSION


def test_choice_questions_have_coded_options_with_labels() -> None:
    data = fhir.questionnaire(content())
    items = {item["linkId"]: item for group in data["item"] for item in group["item"]}
    liver = items["safety.liver"]
    assert liver["type"] == "choice"
    assert [option["valueCoding"]["code"] for option in liver["answerOption"]] == [
        "none", "mild_moderate", "severe", "unknown",
    ]  # fmt: skip
    assert liver["answerOption"][1]["valueCoding"]["display"] == "Mild or moderate"
    assert items["safety.medications"]["repeats"] is True
    age = items["patient.age_years"]
    assert age["type"] == "integer"
    assert [extension["valueInteger"] for extension in age["extension"]] == [0, 120]


def test_outcome_is_enabled_only_with_a_therapy() -> None:
    data = fhir.questionnaire(content())
    treatments = next(
        item
        for group in data["item"]
        for item in group["item"]
        if item["linkId"] == "prior_treatments"
    )
    assert treatments["repeats"] is True
    outcome = treatments["item"][1]
    assert outcome["enableWhen"] == [
        {"question": "prior_treatments.therapy", "operator": "exists", "answerBoolean": True}
    ]


@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.name)
def test_every_example_gives_a_valid_response(path: Path) -> None:
    consult = read_consult_file(path)
    response = fhir.questionnaire_response(consult, content())
    QuestionnaireResponse.model_validate(response)
    assert response["questionnaire"] == fhir.CANONICAL
    questionnaire_ids = set(link_ids(fhir.questionnaire(content())["item"]))
    assert set(link_ids(response["item"])) <= questionnaire_ids
    assert fhir.consult_from_questionnaire_response(fhir.to_json(response)) == consult


def test_required_items_are_the_required_answers() -> None:
    data = fhir.questionnaire(content())
    required = {
        item["linkId"] for group in data["item"] for item in group["item"] if item.get("required")
    }
    assert required == set(ALWAYS_REQUIRED)


def test_a_resource_object_is_read_back_too() -> None:
    consult = read_consult_file(EXAMPLES / "specialist-review-controlled-bp.consult.json")
    resource = QuestionnaireResponse.model_validate(fhir.questionnaire_response(consult, content()))
    assert fhir.consult_from_questionnaire_response(resource) == consult


def test_status_follows_the_required_answers() -> None:
    assert fhir.questionnaire_response(Consult(), content())["status"] == "in-progress"
    complete = read_consult_file(EXAMPLES / "may-discuss.consult.json")
    assert fhir.questionnaire_response(complete, content())["status"] == "completed"


def test_no_patient_reference_and_no_timestamp() -> None:
    response = fhir.questionnaire_response(Consult(), content())
    assert "subject" not in response
    assert "authored" not in response


@settings(max_examples=100, deadline=None)
@given(consults())
def test_round_trip_of_generated_version_2_consults_is_identity(consult: Consult) -> None:
    response = fhir.questionnaire_response(consult, content())
    QuestionnaireResponse.model_validate(response)
    again = fhir.consult_from_questionnaire_response(json.loads(fhir.to_json(response)))
    assert again == consult
    assert again.to_json() == consult.to_json()
    assert response["status"] == ("in-progress" if missing_answers(consult) else "completed")


def test_the_questionnaire_is_version_2() -> None:
    data = fhir.questionnaire(content())
    assert data["version"] == "2"
    assert fhir.QUESTIONNAIRE_VERSION == "2"
    assert f"{fhir.QUESTIONNAIRE_URL}|2" == fhir.CANONICAL
    response = fhir.questionnaire_response(safe_consult(), content())
    assert response["questionnaire"].endswith("|2")


def test_the_handout_given_is_a_read_only_group_of_the_decision_step() -> None:
    data = fhir.questionnaire(content())
    items = {item["linkId"]: item for group in data["item"] for item in group["item"]}
    handout = items["decision.handout"]
    assert handout["readOnly"] is True
    assert [child["linkId"] for child in handout["item"]] == [
        "decision.handout.language",
        "decision.handout.paper",
        "decision.handout.content_stamp",
    ]
    given = {"language": "es", "paper": "letter", "content_stamp": "0a1b2c3d"}
    consult = safe_consult(decision={"handout": given})
    response = fhir.questionnaire_response(consult, content())
    assert fhir.consult_from_questionnaire_response(response) == consult


def items_of(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for group in response["item"] for item in group["item"]}


def test_reviewed_none_and_not_reviewed_are_told_apart() -> None:
    none_of_these = fhir.questionnaire_response(safe_consult(), content())
    codes = items_of(none_of_these)["safety.medications"]["answer"]
    assert [answer["valueCoding"]["code"] for answer in codes] == [fhir.NONE_CODE]
    not_reviewed = fhir.questionnaire_response(
        safe_consult(safety={"medications": None}, substance_use={"substances": None}), content()
    )
    assert "safety.medications" not in items_of(not_reviewed)
    assert "substance_use.substances" not in items_of(not_reviewed)
    assert not_reviewed["status"] == "in-progress"
    assert fhir.consult_from_questionnaire_response(not_reviewed).safety.medications is None
    assert fhir.consult_from_questionnaire_response(none_of_these).safety.medications == []


def test_a_ticked_treatment_with_no_outcome_round_trips_as_unknown() -> None:
    consult = safe_consult(prior_treatments=[{"therapy": "cbt", "outcome": "unknown"}])
    response = fhir.questionnaire_response(consult, content())
    entry = items_of(response)["prior_treatments"]
    assert [child["linkId"] for child in entry["item"]] == ["prior_treatments.therapy"]
    assert fhir.consult_from_questionnaire_response(response) == consult


def response_data() -> dict[str, Any]:
    return fhir.questionnaire_response(
        read_consult_file(EXAMPLES / "may-discuss.consult.json"), content()
    )


def group_of(response: dict[str, Any], link_id: str) -> dict[str, Any]:
    return next(
        group
        for group in response["item"]
        if any(item["linkId"] == link_id for item in group["item"])
    )


@pytest.mark.parametrize("link_id", ["safety.liver", "patient.age_years", "decision.handout"])
def test_a_question_answered_twice_is_refused_naming_the_item(link_id: str) -> None:
    consult = safe_consult(
        decision={"handout": {"language": "en", "paper": "a4", "content_stamp": "abcdef"}}
    )
    response = fhir.questionnaire_response(consult, content())
    group = group_of(response, link_id)
    item = next(item for item in group["item"] if item["linkId"] == link_id)
    group["item"].append(copy.deepcopy(item))
    with pytest.raises(ConsultError, match=f"^{re.escape(link_id)}: answered more than once"):
        fhir.consult_from_questionnaire_response(response)


def test_a_question_answered_again_in_another_group_is_refused() -> None:
    response = response_data()
    liver = next(
        item
        for item in group_of(response, "safety.liver")["item"]
        if item["linkId"] == "safety.liver"
    )
    response["item"][0]["item"].append({**liver, "answer": [dict(liver["answer"][0])]})
    with pytest.raises(ConsultError, match="^safety.liver: answered more than once"):
        fhir.consult_from_questionnaire_response(response)


@pytest.mark.parametrize(
    "link_id", ["safety.liver", "safety.medications", "prior_treatments.therapy"]
)
def test_a_code_of_another_system_is_refused_naming_the_item(link_id: str) -> None:
    response = response_data()
    text = fhir.to_json(response)
    system = fhir.code_system(link_id)
    assert f'"system": "{system}"' in text
    foreign = text.replace(f'"system": "{system}"', '"system": "http://snomed.info/sct"', 1)
    with pytest.raises(ConsultError) as caught:
        fhir.consult_from_questionnaire_response(foreign)
    message = str(caught.value)
    assert message.startswith(f"{link_id}: code ")
    assert "http://snomed.info/sct" in message


def test_a_code_of_another_question_is_refused() -> None:
    response = response_data()
    liver = next(
        item
        for item in group_of(response, "safety.liver")["item"]
        if item["linkId"] == "safety.liver"
    )
    liver["answer"][0]["valueCoding"]["system"] = fhir.code_system("safety.psychosis")
    with pytest.raises(ConsultError, match="^safety.liver: code 'none' is of the system"):
        fhir.consult_from_questionnaire_response(response)


def test_none_with_another_medication_is_refused() -> None:
    response = fhir.questionnaire_response(
        safe_consult(safety={"medications": ["opioid"]}), content()
    )
    medications = items_of(response)["safety.medications"]
    medications["answer"].append(
        {"valueCoding": {"system": fhir.code_system("safety.medications"), "code": "none"}}
    )
    with pytest.raises(ConsultError, match="^safety.medications: 'none' cannot be given"):
        fhir.consult_from_questionnaire_response(response)


def test_item9_above_the_total_in_a_response_is_refused() -> None:
    response = fhir.questionnaire_response(
        safe_consult(comorbidities={"phq9_total": 1, "phq9_item9": 1}), content()
    )
    items_of(response)["comorbidities.phq9_item9"]["answer"] = [{"valueInteger": 3}]
    with pytest.raises(ConsultError, match="cannot exceed the PHQ-9 total"):
        fhir.consult_from_questionnaire_response(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not json", "not a FHIR JSON resource"),
        ('{"resourceType": "Patient"}', "not a FHIR QuestionnaireResponse"),
        (
            '{"resourceType": "QuestionnaireResponse", "questionnaire": "x"}',
            "questionnaire: expected",
        ),
        (
            '{"resourceType": "QuestionnaireResponse", "status": "completed", '
            f'"questionnaire": "{fhir.CANONICAL}", "item": [{{"linkId": "x", "answer": 3}}]}}',
            "not a valid FHIR R4B QuestionnaireResponse: item.0.answer",
        ),
    ],
)
def test_foreign_responses_are_refused(data: str, message: str) -> None:
    with pytest.raises(ConsultError, match=message):
        fhir.consult_from_questionnaire_response(data)


def test_a_bad_answer_in_a_response_names_the_field() -> None:
    response = fhir.questionnaire_response(
        read_consult_file(EXAMPLES / "may-discuss.consult.json"), content()
    )
    text = fhir.to_json(response).replace('"code": "none"', '"code": "nonsense"', 1)
    with pytest.raises(ConsultError, match="nonsense"):
        fhir.consult_from_questionnaire_response(text)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["fhir", "-o"], "give either FILE or --questionnaire"),
        (["fhir", str(EXAMPLES / "may-discuss.consult.json"), "--questionnaire", "-o"], "either"),
        (["fhir", "BAD", "-o"], 'safety.liver: "bad" is not allowed'),
        (["note", "BAD"], 'safety.liver: "bad" is not allowed'),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.consult.json"
    bad.write_text('{"safety": {"liver": "bad"}}', encoding="utf-8")
    out = tmp_path / "out.json"
    arguments = [str(bad) if word == "BAD" else word for word in arguments]
    if arguments[-1] == "-o":
        arguments.append(str(out))
    with pytest.raises(SystemExit) as exit_info:
        main(arguments)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.consult.json"]


def test_a_failed_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno
    import os

    out = tmp_path / "response.json"
    out.write_text("old", encoding="utf-8")

    def full_disk(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(SystemExit) as exit_info:
        main(["fhir", str(EXAMPLES / "may-discuss.consult.json"), "-o", str(out)])
    assert exit_info.value.code == 2
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["response.json"]
