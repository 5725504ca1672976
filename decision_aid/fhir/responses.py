"""A consult as a QuestionnaireResponse (docs/design.md section 8): an unknown answer is left
out, a reviewed list with nothing ticked answers ``none``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic_core import to_jsonable_python

from decision_aid.consult import REVIEWED_LISTS, answer_at
from decision_aid.fhir import course_items
from decision_aid.fhir.common import (
    CANONICAL,
    COURSE_GROUPS,
    HANDOUT,
    HANDOUT_PARTS,
    NONE_CODE,
    OUTCOME,
    THERAPY,
    coding,
    step_link_id,
    validated,
)
from decision_aid.rules import missing_answers

if TYPE_CHECKING:
    from decision_aid.consult import Consult
    from decision_aid.content import Content


def questionnaire_response(consult: Consult, content: Content) -> dict[str, Any]:
    """The consult as a QuestionnaireResponse (FHIR JSON data), validated by the R4B model.

    The status is ``in-progress`` while a required answer is unknown, else ``completed``.
    """
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    groups = []
    for step in content.questions.steps:
        children = [
            item
            for question in step.questions
            for item in _answer_items(question.field, _value(consult, question.field))
        ]
        if any(question.field.startswith("decision.") for question in step.questions):
            children += _handout_answer(consult)
        if children:
            groups.append({"linkId": step_link_id(step.id), "item": children})
    for name in COURSE_GROUPS:
        part = getattr(consult, name)
        if part is not None:
            groups.append({"linkId": name, "item": course_items.answers(part, name)})
    data = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": CANONICAL,
        "status": "in-progress" if missing_answers(consult) else "completed",
        "item": groups,
    }
    return validated(QuestionnaireResponse, data)


def _value(consult: Consult, path: str) -> Any:
    """One answer by its dotted path as JSON data (choices as their codes, a prior treatment
    as its therapy and outcome)."""
    return to_jsonable_python(answer_at(consult, path))


def _handout_answer(consult: Consult) -> list[dict[str, Any]]:
    if consult.decision.handout is None:
        return []
    children = []
    for path in HANDOUT_PARTS:
        value = _value(consult, path)
        answer = {"valueString": value} if path.endswith("stamp") else coding(path, value)
        children.append({"linkId": path, "answer": [answer]})
    return [{"linkId": HANDOUT, "item": children}]


def _answer_items(path: str, value: Any) -> list[dict[str, Any]]:
    """The response items of one answer: none when unknown, one per prior treatment."""
    if value == [] and path in REVIEWED_LISTS:
        return [{"linkId": path, "answer": [coding(path, NONE_CODE)]}]
    if value in (None, "unknown", []):
        return []
    if path == "prior_treatments":
        # A repeating group answers with one item per repetition, all with the same linkId.
        return [
            {
                "linkId": path,
                "item": [
                    {"linkId": THERAPY, "answer": [coding(THERAPY, entry["therapy"])]},
                    *(
                        [{"linkId": OUTCOME, "answer": [coding(OUTCOME, entry["outcome"])]}]
                        if entry["outcome"] != "unknown"
                        else []
                    ),
                ],
            }
            for entry in value
        ]
    if isinstance(value, list):
        return [{"linkId": path, "answer": [coding(path, code) for code in value]}]
    if isinstance(value, int):
        return [{"linkId": path, "answer": [{"valueInteger": value}]}]
    return [{"linkId": path, "answer": [coding(path, value)]}]
