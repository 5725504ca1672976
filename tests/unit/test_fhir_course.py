"""FHIR export of a course (docs/design.md sections 13.4 and 13.7, item 9): the consult's
Questionnaire version 4 with its plan, the visit Questionnaire, the Bundle of one response per
visit, valid R4B resources with no subject or date, a lossless round trip, and the refusals."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from decision_aid import fhir
from decision_aid.cli import main
from decision_aid.consult import Consult, ConsultError
from decision_aid.content import course_fields
from tests.course_consults import (
    DATE_SHAPED,
    DESIGN_PLAN,
    WORST_PLAN,
    design_example,
    visit,
    with_course,
    worst_visits,
)
from tests.course_strategies import planned_consult_data
from tests.helpers import content, safe_consult
from tests.unit.test_fuzz import EXAMPLES, FUZZ, mutated_response, mutated_text
from tests.unit.test_note import EVERYTHING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def link_ids(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        found[item["linkId"]] = item
        found |= link_ids(item.get("item", []))
    return found


def worst() -> Consult:
    return with_course(EVERYTHING, WORST_PLAN, worst_visits(), {"reason": "stop_rule"})


def bundle_of(consult: Consult) -> dict[str, Any]:
    return fhir.course_bundle(consult, content())


# ---------------------------------------------------------------------------------------------
# The Questionnaires


def test_the_consult_questionnaire_is_version_4_with_the_plan_group() -> None:
    data = fhir.questionnaire(content())
    Questionnaire.model_validate(data)
    assert data["version"] == "4"
    items = link_ids(data["item"])
    plan_fields = [path for path in course_fields() if path.startswith("plan")]
    assert plan_fields
    assert all(path in items for path in plan_fields)
    assert items["plan"]["type"] == "group"
    assert items["plan.baseline"]["type"] == "group"
    read_only = {path for path, item in items.items() if item.get("readOnly")}
    assert {"plan.made_at_status", "plan.made_with_findings"} <= read_only
    assert not read_only & (set(plan_fields) - {"plan.made_at_status", "plan.made_with_findings"})
    assert items["course_end.reason"]["required"] is True
    assert items["plan.judge_after_infusions"]["type"] == "integer"
    assert items["plan.baseline.fiqr_total"]["type"] == "decimal"


def test_the_visit_questionnaire_is_valid_with_item9_coded_and_the_rest_uncoded() -> None:
    data = fhir.visit_questionnaire(content())
    Questionnaire.model_validate(data)
    assert data["url"] == f"{fhir.BASE_URL}/Questionnaire/ketamine-fibromyalgia-course-visit"
    assert data["version"] == "1"
    items = link_ids(data["item"])
    visit_fields = [path for path in course_fields() if path.startswith("visit.")]
    assert set(visit_fields) == set(items)
    for group in ("visit.bp_before", "visit.bp_peak", "visit.bp_after", "visit.liver"):
        assert items[group]["type"] == "group", group
    assert items["visit.bp_peak.systolic"]["type"] == "integer"
    item9 = items["visit.phq9_item9"]
    assert item9["code"] == [
        {
            "system": "http://loinc.org",
            "code": "44260-8",
            "display": "Thoughts that you would be better off dead, or of hurting yourself in "
            "some way",
        }
    ]
    extract = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-observationExtract"
    assert {"url": extract, "valueBoolean": True} in item9["extension"]
    assert [path for path, item in items.items() if "code" in item] == ["visit.phq9_item9"]
    assert items["visit.infusion"]["required"] is True
    assert items["visit.day"]["required"] is True


# ---------------------------------------------------------------------------------------------
# The Bundle


@pytest.mark.parametrize("made", [design_example, worst], ids=["design", "worst"])
def test_the_bundle_is_valid_in_order_and_has_no_subject_or_date(made: Any) -> None:
    consult = made()
    data = bundle_of(consult)
    Bundle.model_validate(data)
    assert data["type"] == "collection"
    assert "timestamp" not in data
    resources = [entry["resource"] for entry in data["entry"]]
    assert len(resources) == 1 + len(consult.course)
    assert resources[0]["questionnaire"] == fhir.CANONICAL
    assert [resource["questionnaire"] for resource in resources[1:]] == [
        f"{fhir.VISIT_QUESTIONNAIRE_URL}|1"
    ] * len(consult.course)
    for resource in resources:
        QuestionnaireResponse.model_validate(resource)
        for absent in ("subject", "authored", "author", "encounter", "source", "meta"):
            assert absent not in resource
    days = [
        link_ids(resource["item"])["visit.day"]["answer"][0]["valueInteger"]
        for resource in resources[1:]
    ]
    assert days == [entry.day for entry in consult.course]
    for resource in resources[1:]:
        text = json.dumps(resource)
        assert DATE_SHAPED.search(text) is None, DATE_SHAPED.search(text)


@pytest.mark.parametrize("made", [design_example, worst], ids=["design", "worst"])
def test_the_bundle_reads_back_to_the_same_consult(made: Any) -> None:
    consult = made()
    assert fhir.consult_from_bundle(fhir.to_json(bundle_of(consult))) == consult
    assert fhir.consult_from_bundle(bundle_of(consult)) == consult
    assert fhir.consult_from_bundle(Bundle.model_validate(bundle_of(consult))) == consult


@settings(max_examples=30, deadline=None)
@given(data=planned_consult_data())
def test_generated_courses_round_trip(data: dict[str, Any]) -> None:
    consult = Consult.model_validate(data)
    bundle = bundle_of(consult)
    Bundle.model_validate(bundle)
    assert fhir.consult_from_bundle(fhir.to_json(bundle)) == consult
    # The consult's response alone keeps the plan and the course's end, not the visits.
    alone = fhir.consult_from_questionnaire_response(bundle["entry"][0]["resource"])
    assert alone == consult.model_copy(update={"course": []})
    for entry in bundle["entry"]:
        assert DATE_SHAPED.search(json.dumps(entry["resource"])) is None


# A Bundle of up to 21 resources takes some 20 times a consult's response to make and read.
COURSE_FUZZ = settings(FUZZ, max_examples=max(EXAMPLES // 4, 1))


def _read_or_refuse(read: Callable[[], Consult]) -> None:
    """Any input is read or refused with the one documented error, in one line."""
    message = None
    try:
        read()
    except ConsultError as error:
        message = str(error)
    event("accepted" if message is None else "refused")
    assert message is None or "\n" not in message


@COURSE_FUZZ
@given(data=st.data(), consult=planned_consult_data().map(Consult.model_validate))
def test_fuzz_the_bundle_reader_with_changed_text(data: st.DataObject, consult: Consult) -> None:
    text = data.draw(mutated_text(fhir.to_json(bundle_of(consult))))
    _read_or_refuse(lambda: fhir.consult_from_bundle(text))


@COURSE_FUZZ
@given(data=st.data(), consult=planned_consult_data().map(Consult.model_validate))
def test_fuzz_the_bundle_reader_with_changed_visits(data: st.DataObject, consult: Consult) -> None:
    bundle = bundle_of(consult)
    for entry in bundle["entry"][1:]:
        entry["resource"] = data.draw(mutated_response(entry["resource"]))
    _read_or_refuse(lambda: fhir.consult_from_bundle(bundle))


def test_a_plan_alone_and_a_consult_without_a_plan_round_trip() -> None:
    planned = with_course(safe_consult(), DESIGN_PLAN, [])
    for consult in (planned, safe_consult()):
        assert fhir.consult_from_bundle(fhir.to_json(bundle_of(consult))) == consult
        response = fhir.to_json(fhir.questionnaire_response(consult, content()))
        assert fhir.consult_from_questionnaire_response(response) == consult


def test_a_visit_with_a_required_answer_unknown_is_in_progress() -> None:
    consult = with_course(
        safe_consult(decision={"leaning": "ketamine"}),
        DESIGN_PLAN,
        [
            visit(1, 0, pain_week=7, liver={"status": "done", "alt": 0.5}),
            visit(2, 7, pain_week=None),
        ],
    )
    statuses = [entry["resource"]["status"] for entry in bundle_of(consult)["entry"][1:]]
    assert statuses == ["completed", "in-progress"]


def test_none_of_these_and_not_asked_are_told_apart() -> None:
    asked = visit(1, 0, pain_week=7, side_effects=[])
    not_asked = visit(1, 0, pain_week=7, side_effects=None)
    for entry in (asked, not_asked):
        consult = with_course(safe_consult(), DESIGN_PLAN, [entry])
        assert fhir.consult_from_bundle(fhir.to_json(bundle_of(consult))) == consult
    items = link_ids(
        bundle_of(with_course(safe_consult(), DESIGN_PLAN, [asked]))["entry"][1]["resource"]["item"]
    )
    assert items["visit.side_effects"]["answer"][0]["valueCoding"]["code"] == "none"


# ---------------------------------------------------------------------------------------------
# Refusals


def refused(data: object, start: str) -> str:
    with pytest.raises(ConsultError) as caught:
        fhir.consult_from_bundle(data)
    message = str(caught.value)
    assert message.startswith(start), message
    return message


def visit_item(data: dict[str, Any], number: int, link_id: str) -> dict[str, Any]:
    return link_ids(data["entry"][number]["resource"]["item"])[link_id]


def test_visits_out_of_order_are_refused() -> None:
    data = bundle_of(design_example())
    data["entry"][2], data["entry"][3] = data["entry"][3], data["entry"][2]
    message = refused(data, "entry[2]: expected the response of visit 2")
    assert "another order" in message


def test_a_visit_before_the_consult_is_refused() -> None:
    data = bundle_of(design_example())
    data["entry"][0], data["entry"][1] = data["entry"][1], data["entry"][0]
    refused(data, "entry[0]: expected the consult's response")


@pytest.mark.parametrize(
    ("entry", "questionnaire"),
    [
        (0, f"{fhir.QUESTIONNAIRE_URL}|3"),
        (1, f"{fhir.VISIT_QUESTIONNAIRE_URL}|2"),
        (1, fhir.CANONICAL),
        (2, "http://example.org/Questionnaire/phq-9|1"),
    ],
)
def test_an_entry_of_another_questionnaire_is_refused(entry: int, questionnaire: str) -> None:
    data = bundle_of(design_example())
    data["entry"][entry]["resource"]["questionnaire"] = questionnaire
    refused(data, f"entry[{entry}]: expected ")


def test_a_repeated_answer_in_a_visit_is_refused_naming_the_item() -> None:
    data = bundle_of(design_example())
    item = visit_item(data, 3, "visit.pain_week")
    item["answer"] = [{"valueInteger": 5}, {"valueInteger": 2}]
    message = refused(data, "entry[3]: course[2].pain_week: more than one answer")
    assert "one thing per answer" in message


def test_a_question_answered_twice_in_a_visit_is_refused_naming_it() -> None:
    data = bundle_of(design_example())
    items = data["entry"][2]["resource"]["item"]
    items.append(copy.deepcopy(next(item for item in items if item["linkId"] == "visit.pain_week")))
    refused(data, "entry[2]: course[1].pain_week: answered more than once")


def test_a_foreign_code_in_a_visit_is_refused_naming_the_item() -> None:
    data = bundle_of(design_example())
    coding = visit_item(data, 2, "visit.pgic")["answer"][0]["valueCoding"]
    coding["system"] = "http://snomed.info/sct"
    refused(data, "entry[2]: course[1].pgic: code 'much_improved' is of the system")


def test_a_foreign_code_or_a_repeat_in_the_plan_is_refused_naming_the_item() -> None:
    data = bundle_of(design_example())
    plan = link_ids(data["entry"][0]["resource"]["item"])
    plan["plan.stop_rules"]["answer"][0]["valueCoding"]["system"] = "http://loinc.org"
    refused(data, "entry[0]: plan.stop_rules: code 'bp_during' is of the system")
    data = bundle_of(design_example())
    plan = link_ids(data["entry"][0]["resource"]["item"])
    plan["plan.judge_after_infusions"]["answer"].append({"valueInteger": 8})
    refused(data, "entry[0]: plan.judge_after_infusions: more than one answer")


def test_a_repeated_json_key_in_a_visit_is_refused() -> None:
    text = fhir.to_json(bundle_of(design_example()))
    twice = text.replace('"valueInteger": 28', '"valueInteger": 28, "valueInteger": 2', 1)
    assert twice != text
    refused(twice, 'visit.day: the key "valueInteger" given twice')


def test_a_bad_visit_is_refused_by_its_path() -> None:
    data = bundle_of(design_example())
    visit_item(data, 3, "visit.day")["answer"] = [{"valueInteger": 1}]
    refused(data, "course[2].day")


def test_an_answer_of_the_wrong_kind_in_a_visit_is_refused() -> None:
    data = bundle_of(design_example())
    visit_item(data, 1, "visit.pain_week")["answer"] = [{"valueString": "7"}]
    refused(data, "entry[1]: course[0].pain_week: an answer must be one valueInteger")


def test_a_single_response_is_not_a_bundle() -> None:
    response = fhir.questionnaire_response(design_example(), content())
    refused(response, "not a FHIR Bundle")


# ---------------------------------------------------------------------------------------------
# The command


def consult_file(tmp_path: Path, consult: Consult) -> Path:
    path = tmp_path / "course.consult.json"
    path.write_text(consult.to_json(), encoding="utf-8")
    return path


def test_the_command_writes_the_bundle_with_course(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consult = design_example()
    out = tmp_path / "bundle.json"
    assert main(["fhir", str(consult_file(tmp_path, consult)), "--course", "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""
    text = out.read_text(encoding="utf-8")
    Bundle.model_validate_json(text)
    assert fhir.consult_from_bundle(text) == consult


def test_without_course_the_command_says_the_course_was_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consult = design_example()
    out = tmp_path / "response.json"
    assert main(["fhir", str(consult_file(tmp_path, consult)), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err == (
        "decision-aid: fhir: the course (6 visits) was left out; give --course to write a "
        "Bundle with it\n"
    )
    response = json.loads(out.read_text(encoding="utf-8"))
    assert response["resourceType"] == "QuestionnaireResponse"
    assert fhir.consult_from_questionnaire_response(response) == consult.model_copy(
        update={"course": []}
    )


def test_a_consult_without_a_course_is_exported_without_a_word(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planned = with_course(safe_consult(), DESIGN_PLAN, [])
    for consult in (safe_consult(), planned):
        out = tmp_path / "response.json"
        assert main(["fhir", str(consult_file(tmp_path, consult)), "-o", str(out)]) == 0
        assert capsys.readouterr().err == ""


def test_the_command_writes_the_visit_questionnaire(tmp_path: Path) -> None:
    out = tmp_path / "visit.json"
    assert main(["fhir", "--questionnaire", "--course", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    Questionnaire.model_validate(data)
    assert f"{data['url']}|{data['version']}" == fhir.VISIT_CANONICAL
