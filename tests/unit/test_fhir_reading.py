"""Reading a QuestionnaireResponse back refuses what could read safer than it says (issue 25,
item 1): a repeated JSON key anywhere, several answers to an item that does not repeat, deep
nesting, huge integers and any other malformed shape, always with ConsultError naming the item.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from decision_aid import fhir
from decision_aid.consult import ConsultError
from decision_aid.rules import assess
from tests.helpers import content, safe_consult


def response(**sections: Any) -> dict[str, Any]:
    return fhir.questionnaire_response(safe_consult(**sections), content())


def item(data: dict[str, Any], link_id: str) -> dict[str, Any]:
    """The item of this linkId at any depth."""
    stack: list[dict[str, Any]] = list(data["item"])
    while stack:
        found = stack.pop()
        if found["linkId"] == link_id:
            return found
        stack.extend(found.get("item", []))
    raise KeyError(link_id)


def coding(link_id: str, code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": fhir.code_system(link_id), "code": code}}


def refused(data: object, link_id: str) -> str:
    with pytest.raises(ConsultError) as caught:
        fhir.consult_from_questionnaire_response(data)
    message = str(caught.value)
    assert message.startswith(f"{link_id}: "), message
    return message


def test_the_unaltered_response_still_reads_as_may_discuss() -> None:
    consult = fhir.consult_from_questionnaire_response(fhir.to_json(response()))
    assert assess(consult, content()).status.value == "may_discuss"


# The examples of the issue: each read as may_discuss before.


def test_liver_answered_none_and_severe_is_refused() -> None:
    data = response()
    item(data, "safety.liver")["answer"] = [
        coding("safety.liver", "none"),
        coding("safety.liver", "severe"),
    ]
    message = refused(data, "safety.liver")
    assert "more than one answer" in message
    refused(fhir.to_json(data), "safety.liver")


def test_age_answered_52_and_16_is_refused() -> None:
    data = response()
    item(data, "patient.age_years")["answer"] = [{"valueInteger": 52}, {"valueInteger": 16}]
    assert "more than one answer" in refused(data, "patient.age_years")


def test_a_coding_with_a_repeated_code_key_is_refused() -> None:
    text = fhir.to_json(response(safety={"liver": "severe"}))
    system = fhir.code_system("safety.liver")
    original = f'"system": "{system}",\n                "code": "severe"'
    assert original in text
    text = text.replace(original, f'"system": "{system}", "code": "severe", "code": "none"')
    message = refused(text, "safety.liver")
    assert '"code"' in message
    assert "twice" in message


def test_a_repeated_key_outside_any_item_is_refused() -> None:
    text = fhir.to_json(response())
    text = text.replace('"status": "completed"', '"status": "in-progress", "status": "completed"')
    with pytest.raises(ConsultError, match="twice"):
        fhir.consult_from_questionnaire_response(text)


def test_a_repeated_link_id_key_is_refused() -> None:
    text = fhir.to_json(response(safety={"liver": "severe"}))
    text = text.replace('"linkId": "safety.liver"', '"linkId": "safety.liver", "linkId": "x.y"')
    with pytest.raises(ConsultError, match="twice"):
        fhir.consult_from_questionnaire_response(text)


@pytest.mark.parametrize(
    ("link_id", "child"),
    [("prior_treatments", "prior_treatments.therapy"), ("decision.handout", None)],
)
def test_two_answers_in_a_group_part_are_refused(link_id: str, child: str | None) -> None:
    data = response(
        decision={"handout": {"language": "en", "paper": "a4", "content_stamp": "abcdef"}}
    )
    if child is None:
        child = "decision.handout.paper"
        item(data, child)["answer"].append(coding(child, "letter"))
    else:
        item(data, child)["answer"].append(coding(child, "duloxetine"))
    refused(data, child)


def test_a_part_of_a_treatment_given_twice_is_refused() -> None:
    data = response()
    group = item(data, "prior_treatments")
    group["item"].append(dict(group["item"][0]))
    refused(data, "prior_treatments.therapy")


def test_a_list_may_have_several_answers() -> None:
    data = response(safety={"medications": ["opioid", "maoi"]})
    consult = fhir.consult_from_questionnaire_response(data)
    assert [str(code) for code in consult.safety.medications or []] == ["opioid", "maoi"]


def test_deep_nesting_is_refused_with_the_documented_error() -> None:
    data = response()
    text = fhir.to_json(data)
    deep = "[" * 100_000 + "]" * 100_000
    text = text.replace('"status": "completed"', f'"status": "completed", "x": {deep}')
    with pytest.raises(ConsultError, match="nested too deeply"):
        fhir.consult_from_questionnaire_response(text)


def test_deep_nesting_in_an_item_is_refused_naming_it() -> None:
    data = response()
    nested: dict[str, Any] = {"linkId": "x"}
    for _ in range(5_000):
        nested = {"linkId": "x", "item": [nested]}
    item(data, "safety.liver")["item"] = [nested]
    refused(data, "safety.liver")


def test_a_huge_integer_is_refused_naming_the_item() -> None:
    text = fhir.to_json(response())
    huge = "9" * 5_000
    text = re.sub(
        r'("linkId": "patient.age_years",\s*"answer": \[\s*\{\s*"valueInteger": )45',
        rf"\g<1>{huge}",
        text,
    )
    assert huge in text
    with pytest.raises(ConsultError, match="digits"):
        fhir.consult_from_questionnaire_response(text)


def test_a_huge_integer_in_data_is_refused_naming_the_item() -> None:
    data = response()
    item(data, "patient.age_years")["answer"] = [{"valueInteger": 10**5000}]
    refused(data, "patient.age_years")


@pytest.mark.parametrize(
    "answer",
    [
        {"valueBoolean": True},
        {"valueDecimal": 1.5},
        {"valueCoding": {"system": fhir.code_system("safety.liver")}},
        {"valueInteger": True},
        {},
    ],
)
def test_an_answer_of_another_kind_is_refused_naming_the_item(answer: dict[str, Any]) -> None:
    data = response()
    item(data, "safety.liver")["answer"] = [answer]
    refused(data, "safety.liver")


@pytest.mark.parametrize("link_id", ["schema_version", "safety", "safety.liver.x", "", 3])
def test_a_link_id_that_is_no_answer_is_refused(link_id: object) -> None:
    data = response()
    data["item"][0]["item"].append({"linkId": link_id, "answer": [{"valueInteger": 2}]})
    with pytest.raises(ConsultError):
        fhir.consult_from_questionnaire_response(data)


def test_an_answer_nested_below_another_answer_is_refused() -> None:
    data = response()
    liver = item(data, "safety.liver")
    liver["answer"][0]["item"] = [
        {"linkId": "safety.psychosis", "answer": [coding("safety.psychosis", "active")]}
    ]
    refused(data, "safety.liver")


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe",
        "[]",
        "null",
        '{"resourceType": "QuestionnaireResponse", "questionnaire": [1]}',
        {"resourceType": "QuestionnaireResponse", "questionnaire": fhir.CANONICAL, "item": 3},
        {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": fhir.CANONICAL,
            "status": "completed",
            "item": [{"linkId": "step.x", "item": [3]}],
        },
        {1: 2},
        3,
        None,
    ],
)
def test_other_malformed_input_gives_the_documented_error(data: object) -> None:
    with pytest.raises(ConsultError):
        fhir.consult_from_questionnaire_response(data)


def test_a_link_id_with_control_characters_is_shown_escaped() -> None:
    data = response()
    item(data, "safety.liver")["answer"] = [
        coding("safety.liver", "none"),
        coding("safety.liver", "severe"),
    ]
    json.dumps(data)
    bad = "safety.liver\x1b[2J"
    data["item"][0]["item"].append({"linkId": bad, "answer": [{"valueInteger": 1}]})
    with pytest.raises(ConsultError) as caught:
        fhir.consult_from_questionnaire_response(data)
    assert "\x1b" not in str(caught.value)
