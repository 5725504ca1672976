"""The consult's Questionnaire: one group per step of the window, one item per answer
(docs/design.md section 8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from decision_aid.consult import ALWAYS_REQUIRED, field_bounds, field_choices, is_list_field
from decision_aid.fhir import course_items
from decision_aid.fhir.common import (
    COURSE_GROUPS,
    HANDOUT,
    HANDOUT_PARTS,
    MAX_VALUE,
    MIN_VALUE,
    NONE_CODE,
    OPTION_EXCLUSIVE,
    OUTCOME,
    QUESTIONNAIRE_URL,
    QUESTIONNAIRE_VERSION,
    THERAPY,
    code_system,
    step_link_id,
    validated,
)

if TYPE_CHECKING:
    from decision_aid.content import Content, Question


def questionnaire(content: Content) -> dict[str, Any]:
    """The Questionnaire as FHIR JSON data, validated by the fhir.resources R4B model."""
    from fhir.resources.R4B.questionnaire import Questionnaire

    items = []
    for step in content.questions.steps:
        if not step.questions:
            continue
        group: dict[str, Any] = {
            "linkId": step_link_id(step.id),
            "text": step.title,
            "type": "group",
            "item": [_question_item(question) for question in step.questions],
        }
        if any(question.field.startswith("decision.") for question in step.questions):
            group["item"].append(_handout_item())
        items.append(group)
    # The trial plan and the course's end (docs/design.md section 13.4); the visits have a
    # Questionnaire of their own (fhir/visits.py).
    items += [course_items.group(name, content) for name in COURSE_GROUPS]
    data = {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "KetamineFibromyalgiaConsult",
        "title": "IV ketamine for fibromyalgia: consult questions (decision-aid)",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            f"Questions of a decision-aid consult; texts from the content pack {content.label}. "
            "No patient name, birth date or record number is asked."
        ),
        "item": items,
    }
    return validated(Questionnaire, data)


def _question_item(question: Question) -> dict[str, Any]:
    path = question.field
    if path == "prior_treatments":
        return {
            "linkId": path,
            "text": question.label,
            "type": "group",
            "repeats": True,
            "item": [
                _choice_item(THERAPY, "Treatment", question.options, repeats=False),
                {
                    # Not required: a tried therapy's outcome may not be recorded (yet).
                    **_choice_item(OUTCOME, "Outcome", question.outcome_options, repeats=False),
                    "enableWhen": [
                        {"question": THERAPY, "operator": "exists", "answerBoolean": True}
                    ],
                },
            ],
        }
    if field_choices(path) is not None:
        item = _choice_item(path, question.label, question.options, repeats=is_list_field(path))
        if question.list_states is not None:
            item["answerOption"].append(
                {
                    "valueCoding": {
                        "system": code_system(path),
                        "code": NONE_CODE,
                        "display": question.list_states.none,
                    },
                    "extension": [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}],
                }
            )
    else:
        bounds = field_bounds(path)
        if bounds is None:
            raise ValueError(f"{path}: a number question without bounds")
        low, high = bounds
        item = {
            "linkId": path,
            "text": question.label,
            "type": "integer",
            "extension": [
                {"url": MIN_VALUE, "valueInteger": low},
                {"url": MAX_VALUE, "valueInteger": high},
            ],
        }
    if path in ALWAYS_REQUIRED:
        # The same answers that keep an assessment "incomplete"; a response that leaves one
        # out is "in-progress", so a "completed" one always satisfies this.
        item["required"] = True
    if question.help:
        item["item"] = [{"linkId": f"{path}.help", "text": question.help, "type": "display"}]
    return item


def _handout_item() -> dict[str, Any]:
    """The handout last given: filled in by the program when it prints or saves one."""
    children: list[dict[str, Any]] = []
    for path, (text, choices) in HANDOUT_PARTS.items():
        if choices is None:
            children.append({"linkId": path, "text": text, "type": "string", "required": True})
        else:
            child = _choice_item(path, text, {code: code for code in choices}, repeats=False)
            children.append({**child, "required": True})
    return {
        "linkId": HANDOUT,
        "text": "Handout given (recorded by decision-aid)",
        "type": "group",
        "readOnly": True,
        "item": children,
    }


def _choice_item(path: str, text: str, options: dict[str, str], *, repeats: bool) -> dict[str, Any]:
    return {
        "linkId": path,
        "text": text,
        "type": "choice",
        "repeats": repeats,
        "answerOption": [
            {"valueCoding": {"system": code_system(path), "code": code, "display": label}}
            for code, label in options.items()
        ],
    }
