"""FHIR R4B export: valid resources, linkIds that match, and a lossless round trip."""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Any, Final

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given, settings

from decision_aid import fhir
from decision_aid.cli import main
from decision_aid.consult import (
    Consult,
    ConsultError,
    field_paths,
    parse_consult,
    parse_consult_upgrading,
)
from decision_aid.files import read_consult_file
from decision_aid.rules import missing_answers
from tests.helpers import (
    ALWAYS_REQUIRED,
    EXAMPLES,
    V2_DATA,
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
    # The consult's response holds the plan and the course's end; the visits go in a Bundle
    # with it (docs/design.md section 13.4), which reads back whole.
    without_visits = consult.model_copy(update={"course": []})
    assert fhir.consult_from_questionnaire_response(fhir.to_json(response)) == without_visits
    assert fhir.consult_from_bundle(fhir.to_json(fhir.course_bundle(consult, content()))) == consult


def test_required_items_are_the_required_answers() -> None:
    data = fhir.questionnaire(content())
    required = {
        item["linkId"]
        for group in data["item"]
        if group["linkId"].startswith("step.")
        for item in group["item"]
        if item.get("required")
    }
    assert required == set(ALWAYS_REQUIRED)


def test_a_resource_object_is_read_back_too() -> None:
    consult = read_consult_file(EXAMPLES / "specialist-review-controlled-bp.consult.json")
    resource = QuestionnaireResponse.model_validate(fhir.questionnaire_response(consult, content()))
    assert fhir.consult_from_questionnaire_response(resource) == consult


def test_status_follows_the_required_answers() -> None:
    assert fhir.questionnaire_response(Consult(), content())["status"] == "in-progress"
    complete = safe_consult()
    assert fhir.questionnaire_response(complete, content())["status"] == "completed"
    # A question new in version 3 left unknown keeps the response in progress.
    for answer in (
        {"safety": {"heart_or_stroke_event": "unknown"}},
        {"safety": {"dissociative_disorder": "unknown"}},
        {"ketamine_exposure": {"status": "unknown"}},
        {"ketamine_exposure": {"status": "past_course", "harms": None}},
        {"comorbidities": {"phq9_item9": 1}, "decision": {"suicide_risk": "not_assessed"}},
    ):
        consult = safe_consult(**answer)
        assert fhir.questionnaire_response(consult, content())["status"] == "in-progress"


def test_no_patient_reference_and_no_timestamp() -> None:
    response = fhir.questionnaire_response(Consult(), content())
    assert "subject" not in response
    assert "authored" not in response


@settings(max_examples=100, deadline=None)
@given(consults())
def test_round_trip_of_generated_consults_is_identity(consult: Consult) -> None:
    response = fhir.questionnaire_response(consult, content())
    QuestionnaireResponse.model_validate(response)
    again = fhir.consult_from_questionnaire_response(json.loads(fhir.to_json(response)))
    assert again == consult
    assert again.to_json() == consult.to_json()
    assert response["status"] == ("in-progress" if missing_answers(consult) else "completed")


def test_the_questionnaire_is_version_4() -> None:
    # Version 4 added the plan and the course's end (docs/design.md section 13.4).
    data = fhir.questionnaire(content())
    assert data["version"] == "4"
    assert fhir.QUESTIONNAIRE_VERSION == "4"
    assert f"{fhir.QUESTIONNAIRE_URL}|4" == fhir.CANONICAL
    response = fhir.questionnaire_response(safe_consult(), content())
    assert response["questionnaire"].endswith("|4")


def test_a_version_3_response_reads_as_the_same_consult() -> None:
    consult = safe_consult(safety={"liver": "severe"})
    response = fhir.questionnaire_response(consult, content())
    response["questionnaire"] = f"{fhir.QUESTIONNAIRE_URL}|3"
    again, upgrade = fhir.consult_from_questionnaire_response_upgrading(response)
    assert again == consult
    assert upgrade is None


def codes(item: dict[str, Any]) -> list[str]:
    return [option["valueCoding"]["code"] for option in item["answerOption"]]


def test_the_version_3_questions_are_items_of_their_steps() -> None:
    data = fhir.questionnaire(content())
    groups = {group["linkId"]: group for group in data["item"]}
    safety = {item["linkId"]: item for item in groups["step.safety"]["item"]}
    assert codes(safety["safety.heart_or_stroke_event"]) == ["none", "recent", "earlier", "unknown"]
    assert codes(safety["safety.dissociative_disorder"]) == ["none", "present", "unknown"]
    assert codes(safety["safety.intraocular_pressure"]) == [
        "normal", "controlled_glaucoma", "raised", "unknown",
    ]  # fmt: skip
    assert codes(safety["safety.medications"])[-3:] == [
        "bupropion", "cyp_inhibitor_or_inducer", fhir.NONE_CODE,
    ]  # fmt: skip
    assert codes(safety["ketamine_exposure.status"]) == [
        "none", "past_course", "esketamine_now", "other_ketamine_now", "unknown",
    ]  # fmt: skip
    assert codes(safety["ketamine_exposure.response"]) == [
        "good_benefit", "partial_benefit", "no_benefit", "unknown",
    ]  # fmt: skip
    # The harms tell "not asked" (no answer) from "none of these" (the exclusive code), as
    # the medicines do.
    harms = safety["ketamine_exposure.harms"]
    assert harms["type"] == "choice"
    assert harms["repeats"] is True
    assert codes(harms) == [
        "liver_injury", "bladder_injury", "misuse", "severe_psychiatric_reaction",
        "blood_pressure_event", fhir.NONE_CODE,
    ]  # fmt: skip
    none_option = harms["answerOption"][-1]
    assert none_option["valueCoding"]["display"] == "None of these"
    assert none_option["extension"] == [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive",
            "valueBoolean": True,
        }
    ]
    # Required: the new questions every consult needs; not those other answers call for.
    required = {path for path, item in safety.items() if item.get("required")}
    assert {
        "safety.heart_or_stroke_event", "safety.dissociative_disorder", "ketamine_exposure.status",
    } <= required  # fmt: skip
    assert not {"ketamine_exposure.response", "ketamine_exposure.harms"} & required
    treatments = next(
        item
        for group in data["item"]
        for item in group["item"]
        if item["linkId"] == "prior_treatments"
    )
    assert "other_psychological_therapy" in codes(treatments["item"][0])
    decision = {item["linkId"]: item for item in groups["step.decision"]["item"]}
    assert codes(decision["decision.suicide_risk"]) == [
        "not_assessed", "low", "moderate", "high", "unknown",
    ]  # fmt: skip
    assert "required" not in decision["decision.suicide_risk"]
    assert "decision.self_harm_assessed" not in link_ids(data["item"])


# A consult that gives every answer version 3 added, at a value other than its first.
NEW_ANSWERS: Final[dict[str, Any]] = {
    "prior_treatments": [
        {"therapy": "other_psychological_therapy", "outcome": "partial_benefit"},
        {"therapy": "duloxetine", "outcome": "no_benefit"},
    ],
    "comorbidities": {"depression": "current", "phq9_total": 12, "phq9_item9": 1},
    "safety": {
        "heart_or_stroke_event": "earlier",
        "dissociative_disorder": "present",
        "intraocular_pressure": "controlled_glaucoma",
        "medications": ["bupropion", "cyp_inhibitor_or_inducer"],
    },
    "ketamine_exposure": {
        "status": "past_course",
        "response": "good_benefit",
        "harms": ["bladder_injury", "severe_psychiatric_reaction"],
    },
    "decision": {"suicide_risk": "moderate"},
}


def test_a_version_3_consult_with_the_new_answers_round_trips() -> None:
    consult = safe_consult(**NEW_ANSWERS)
    response = fhir.questionnaire_response(consult, content())
    QuestionnaireResponse.model_validate(response)
    answers = {
        path: [answer["valueCoding"]["code"] for answer in item["answer"]]
        for path, item in items_of(response).items()
        if "valueCoding" in item.get("answer", [{}])[0]
    }
    assert answers["safety.heart_or_stroke_event"] == ["earlier"]
    assert answers["safety.dissociative_disorder"] == ["present"]
    assert answers["safety.intraocular_pressure"] == ["controlled_glaucoma"]
    assert answers["safety.medications"] == ["bupropion", "cyp_inhibitor_or_inducer"]
    assert answers["ketamine_exposure.status"] == ["past_course"]
    assert answers["ketamine_exposure.response"] == ["good_benefit"]
    assert answers["ketamine_exposure.harms"] == ["bladder_injury", "severe_psychiatric_reaction"]
    assert answers["decision.suicide_risk"] == ["moderate"]
    again = fhir.consult_from_questionnaire_response(fhir.to_json(response))
    assert again == consult
    assert again.to_json() == consult.to_json()
    assert fhir.consult_from_questionnaire_response_upgrading(response)[1] is None


def test_harms_none_of_these_and_not_asked_are_told_apart() -> None:
    none_of_these = safe_consult(ketamine_exposure={"status": "past_course", "harms": []})
    response = fhir.questionnaire_response(none_of_these, content())
    harms = items_of(response)["ketamine_exposure.harms"]["answer"]
    assert [answer["valueCoding"]["code"] for answer in harms] == [fhir.NONE_CODE]
    assert response["status"] == "completed"
    assert fhir.consult_from_questionnaire_response(response).ketamine_exposure.harms == []
    not_asked = safe_consult(ketamine_exposure={"status": "past_course", "harms": None})
    response = fhir.questionnaire_response(not_asked, content())
    assert "ketamine_exposure.harms" not in items_of(response)
    assert response["status"] == "in-progress"
    assert fhir.consult_from_questionnaire_response(response).ketamine_exposure.harms is None
    items_of(response)["ketamine_exposure.status"]["answer"] = [
        {"valueCoding": {"system": fhir.code_system("ketamine_exposure.harms"), "code": "none"}}
    ]
    with pytest.raises(ConsultError, match="^ketamine_exposure.status: code 'none' is of"):
        fhir.consult_from_questionnaire_response(response)


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
    consult = safe_consult(ketamine_exposure={"status": "past_course", "harms": []})
    return fhir.questionnaire_response(consult, content())


def group_of(response: dict[str, Any], link_id: str) -> dict[str, Any]:
    return next(
        group
        for group in response["item"]
        if any(item["linkId"] == link_id for item in group["item"])
    )


@pytest.mark.parametrize(
    "link_id",
    [
        "safety.liver",
        "patient.age_years",
        "decision.handout",
        "ketamine_exposure.status",
        "decision.suicide_risk",
    ],
)
def test_a_question_answered_twice_is_refused_naming_the_item(link_id: str) -> None:
    consult = safe_consult(
        comorbidities={"phq9_item9": 1, "phq9_total": 5},
        decision={
            "handout": {"language": "en", "paper": "a4", "content_stamp": "abcdef"},
            "suicide_risk": "low",
        },
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
    "link_id",
    [
        "safety.liver",
        "safety.medications",
        "prior_treatments.therapy",
        "safety.heart_or_stroke_event",
        "ketamine_exposure.harms",
    ],
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


# ---------------------------------------------------------------------------------------------
# Responses to the version 2 Questionnaire (docs/design.md sections 4.1 and 8)

V2_CANONICAL: Final = f"{fhir.QUESTIONNAIRE_URL}|2"
RAISED_V2: Final = V2_DATA / "raised-eye-pressure.v2.consult.json"
KEPT_V2: Final = V2_DATA / "medicines-kept.v2.consult.json"
V2_REVIEWED_LISTS: Final = ("safety.medications", "substance_use.substances")


def v2_coding(path: str, code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": fhir.code_system(path), "code": code}}


def v2_items(data: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    """A version 2 consult's answers as version 2 of decision-aid wrote them: one item per
    known answer, linkId its dotted path, codes of its own system, "none" for a reviewed list
    with nothing ticked, one item per prior treatment."""
    items: list[dict[str, Any]] = []
    for name, value in data.items():
        path = f"{prefix}{name}"
        if name == "schema_version" or value in (None, "unknown"):
            continue
        if path == "prior_treatments":
            items += [
                {
                    "linkId": path,
                    "item": [
                        {
                            "linkId": f"{path}.{part}",
                            "answer": [v2_coding(f"{path}.{part}", entry[part])],
                        }
                        for part in ("therapy", "outcome")
                    ],
                }
                for entry in value
            ]
        elif isinstance(value, dict):
            items += v2_items(value, f"{path}.")
        elif isinstance(value, list):
            if value or path in V2_REVIEWED_LISTS:
                answers = [v2_coding(path, code) for code in value or ["none"]]
                items.append({"linkId": path, "answer": answers})
        elif isinstance(value, int):
            items.append({"linkId": path, "answer": [{"valueInteger": value}]})
        else:
            items.append({"linkId": path, "answer": [v2_coding(path, value)]})
    return items


def v2_response(data: dict[str, Any]) -> dict[str, Any]:
    """A response to the version 2 Questionnaire, valid against the R4B model."""
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": V2_CANONICAL,
        "status": "completed",
        # Version 2's groups were its steps; the reader goes by the items' linkIds.
        "item": [{"linkId": "step.all", "item": v2_items(data)}],
    }
    QuestionnaireResponse.model_validate(response)
    return response


def v2_file_data(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == 2
    return data


def test_a_version_2_response_is_read_as_a_migrated_version_3_consult() -> None:
    data = v2_file_data(RAISED_V2)
    assert data["decision"]["self_harm_assessed"] == "yes"
    assert data["safety"]["intraocular_pressure"] == "raised"
    assert data["safety"]["medications"] == []
    response = v2_response(data)
    consult, upgrade = fhir.consult_from_questionnaire_response_upgrading(fhir.to_json(response))
    assert consult.schema_version == 4
    assert consult.decision.suicide_risk == "unknown"
    assert consult.safety.intraocular_pressure == "unknown"
    assert consult.safety.medications is None
    assert consult.safety.heart_or_stroke_event == "unknown"
    assert consult.ketamine_exposure.harms is None
    assert upgrade is not None
    assert upgrade.from_version == 2
    assert upgrade.was == {
        "safety.intraocular_pressure": "raised",
        "safety.medications": [],
        "decision.suicide_risk": "yes",
    }
    # The same consult, and the same questions to answer again, as the version 2 file gives.
    assert (consult, upgrade) == parse_consult_upgrading(RAISED_V2.read_bytes())
    assert fhir.consult_from_questionnaire_response(response) == consult
    assert set(missing_answers(consult)) >= {
        "safety.heart_or_stroke_event",
        "safety.dissociative_disorder",
        "safety.intraocular_pressure",
        "safety.medications",
        "ketamine_exposure.status",
        "decision.suicide_risk",
    }


def test_a_version_2_response_keeps_what_kept_its_meaning() -> None:
    data = v2_file_data(KEPT_V2)
    consult, upgrade = fhir.consult_from_questionnaire_response_upgrading(v2_response(data))
    assert consult == parse_consult(KEPT_V2.read_bytes())
    assert consult.safety.medications == ["opioid", "thyroid_hormone"]
    assert consult.decision.suicide_risk == "not_assessed"
    assert consult.safety.intraocular_pressure == "normal"
    assert [entry.therapy for entry in consult.prior_treatments] == [
        entry["therapy"] for entry in data["prior_treatments"]
    ]
    assert upgrade is not None
    assert upgrade.new_choices == ("safety.medications",)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        # Version 3's questions and values were not in version 2's Questionnaire.
        ("safety.heart_or_stroke_event", "none", "safety.heart_or_stroke_event: unknown field"),
        (
            "safety.intraocular_pressure",
            "controlled_glaucoma",
            'safety.intraocular_pressure: "controlled_glaucoma" is not allowed',
        ),
        ("decision.suicide_risk", "low", "decision.suicide_risk: unknown field"),
    ],
)
def test_a_version_2_response_with_a_version_3_answer_is_refused_naming_it(
    path: str, value: str, message: str
) -> None:
    response = v2_response(v2_file_data(KEPT_V2))
    items = [item for item in response["item"][0]["item"] if item["linkId"] != path]
    response["item"][0]["item"] = [*items, {"linkId": path, "answer": [v2_coding(path, value)]}]
    with pytest.raises(ConsultError, match=f"^{re.escape(message)}"):
        fhir.consult_from_questionnaire_response(response)


def test_a_version_3_response_with_the_version_2_question_is_refused_naming_it() -> None:
    response = response_data()
    path = "decision.self_harm_assessed"
    response["item"][-1]["item"].append({"linkId": path, "answer": [v2_coding(path, "yes")]})
    with pytest.raises(ConsultError, match=f"^{re.escape(path)}: unknown field"):
        fhir.consult_from_questionnaire_response(response)


@pytest.mark.parametrize(
    "link_id", ["safety.intraocular_pressure", "decision.self_harm_assessed", "safety.medications"]
)
def test_a_version_2_response_answering_twice_is_refused_naming_the_item(link_id: str) -> None:
    response = v2_response(v2_file_data(RAISED_V2))
    items = response["item"][0]["item"]
    items.append(copy.deepcopy(next(item for item in items if item["linkId"] == link_id)))
    with pytest.raises(ConsultError, match=f"^{re.escape(link_id)}: answered more than once"):
        fhir.consult_from_questionnaire_response(response)


@pytest.mark.parametrize(
    "link_id", ["decision.self_harm_assessed", "safety.medications", "prior_treatments.outcome"]
)
def test_a_version_2_response_with_a_foreign_code_is_refused_naming_the_item(
    link_id: str,
) -> None:
    text = fhir.to_json(v2_response(v2_file_data(RAISED_V2)))
    system = fhir.code_system(link_id)
    assert f'"system": "{system}"' in text
    foreign = text.replace(f'"system": "{system}"', '"system": "http://loinc.org"', 1)
    with pytest.raises(ConsultError, match=f"^{re.escape(link_id)}: code .* 'http://loinc.org'"):
        fhir.consult_from_questionnaire_response(foreign)


@pytest.mark.parametrize("version", ["1", "5", ""])
def test_a_response_to_another_version_is_refused(version: str) -> None:
    response = v2_response(v2_file_data(KEPT_V2))
    response["questionnaire"] = f"{fhir.QUESTIONNAIRE_URL}|{version}"
    with pytest.raises(ConsultError, match=r"^questionnaire: expected .*\|4 \(or .*\|2 or .*\|3,"):
        fhir.consult_from_questionnaire_response(response)
