"""FHIR R4B export: a Questionnaire for the consult's questions, a QuestionnaireResponse for a
consult, and the way back from a response to a consult (docs/design.md section 8).

Every question's ``linkId`` is the consult field's dotted path (``safety.liver``), stable across
versions of the content; groups are the window's steps. Answer codes are the consult file's
values. An answer that is unknown (``unknown``, null, a list that was not reviewed) is left out
of the response, as FHIR leaves unanswered questions out; reading the response back gives
"unknown" for it, so a consult survives the round trip unchanged. A reviewed list with none of
its items ticked answers with the exclusive code ``none``.

The answers that are always required (``Need.ALWAYS`` in the table of answers,
``consult/answers.py``) are ``required`` items; a response is ``in-progress`` while any required
answer (those that other answers make required too) is unknown.

The Questionnaire's version is the consult schema's (3). A response to the version 2
Questionnaire is read as the version 2 consult it describes (its ``linkId``s are version 2's
answers, ``decision.self_harm_assessed`` among them) and brought up to version 3 by the same
upgrade as a version 2 file (docs/design.md section 4.1).

Only ``prior_treatments.outcome`` has an ``enableWhen`` (it needs a therapy). The other
questions are asked of everyone on purpose, because the rules read them whatever the other
answers are: past alcohol use fires the liver caution whatever the substance-use status,
PHQ-9 item 9 screens for self-harm whatever the depression answer, and the harms of earlier
ketamine count whether it was a treatment or a substance used. Hiding them behind an
``enableWhen`` would let a form skip an answer that changes the assessment, and would make a
consult that holds them unrepresentable, breaking the round trip.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Final

from pydantic_core import to_jsonable_python

from decision_aid.consult import (
    ALWAYS_REQUIRED,
    REVIEWED_LISTS,
    Consult,
    ConsultError,
    Language,
    Paper,
    Upgrade,
    answer_at,
    consult_from_data_upgrading,
    field_bounds,
    field_choices,
    is_list_field,
    load_json_marking_repeats,
    repeated_key_of,
)
from decision_aid.rules import missing_answers

if TYPE_CHECKING:
    from decision_aid.content import Content, Question

# Identifiers, never fetched: decision-aid makes no network access.
BASE_URL: Final = "http://decision-aid.example/fhir"
QUESTIONNAIRE_URL: Final = f"{BASE_URL}/Questionnaire/ketamine-fibromyalgia-consult"
# The questionnaire follows the consult's questions; it stays at version 3 until its plan group
# is added (docs/design.md section 13.4): schema 4 added only the plan and the course.
QUESTIONNAIRE_VERSION: Final = "3"
CANONICAL: Final = f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}"
# The versions of the Questionnaire whose responses are read, by canonical: the current one,
# and version 2's, read as a version 2 consult and upgraded (docs/design.md section 4.1).
# Version 1 of the program wrote no response that said its version, so none is read as one.
READ_VERSIONS: Final = {
    f"{QUESTIONNAIRE_URL}|{version}": version for version in (2, int(QUESTIONNAIRE_VERSION))
}

_MIN_VALUE: Final = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX_VALUE: Final = "http://hl7.org/fhir/StructureDefinition/maxValue"
_OPTION_EXCLUSIVE: Final = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
_THERAPY: Final = "prior_treatments.therapy"
_OUTCOME: Final = "prior_treatments.outcome"
# The code of "reviewed, none of these" in a reviewed list (no item of a list is called so).
NONE_CODE: Final = "none"
# The handout given, which the program records in the Decision step's section: not a question
# of the content pack, so its texts are here.
_HANDOUT: Final = "decision.handout"
_HANDOUT_PARTS: Final = {
    f"{_HANDOUT}.language": ("Handout language", tuple(Language)),
    f"{_HANDOUT}.paper": ("Handout paper size", tuple(Paper)),
    f"{_HANDOUT}.content_stamp": ("Content pack stamp of the handout", None),
}


def step_link_id(step: str) -> str:
    """A step's group: "step." + its id, so that it never collides with a field's path."""
    return f"step.{step}"


def code_system(path: str) -> str:
    """The code system of one question's answers (its values are the consult file's)."""
    return f"{BASE_URL}/CodeSystem/{path}"


# ---------------------------------------------------------------------------------------------
# Questionnaire


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
    return _validated(Questionnaire, data)


def _question_item(question: Question) -> dict[str, Any]:
    path = question.field
    if path == "prior_treatments":
        return {
            "linkId": path,
            "text": question.label,
            "type": "group",
            "repeats": True,
            "item": [
                _choice_item(_THERAPY, "Treatment", question.options, repeats=False),
                {
                    # Not required: a tried therapy's outcome may not be recorded (yet).
                    **_choice_item(_OUTCOME, "Outcome", question.outcome_options, repeats=False),
                    "enableWhen": [
                        {"question": _THERAPY, "operator": "exists", "answerBoolean": True}
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
                    "extension": [{"url": _OPTION_EXCLUSIVE, "valueBoolean": True}],
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
                {"url": _MIN_VALUE, "valueInteger": low},
                {"url": _MAX_VALUE, "valueInteger": high},
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
    for path, (text, choices) in _HANDOUT_PARTS.items():
        if choices is None:
            children.append({"linkId": path, "text": text, "type": "string", "required": True})
        else:
            child = _choice_item(path, text, {code: code for code in choices}, repeats=False)
            children.append({**child, "required": True})
    return {
        "linkId": _HANDOUT,
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


# ---------------------------------------------------------------------------------------------
# QuestionnaireResponse


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
    data = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": CANONICAL,
        "status": "in-progress" if missing_answers(consult) else "completed",
        "item": groups,
    }
    return _validated(QuestionnaireResponse, data)


def _value(consult: Consult, path: str) -> Any:
    """One answer by its dotted path as JSON data (choices as their codes, a prior treatment
    as its therapy and outcome)."""
    return to_jsonable_python(answer_at(consult, path))


def _handout_answer(consult: Consult) -> list[dict[str, Any]]:
    if consult.decision.handout is None:
        return []
    children = []
    for path in _HANDOUT_PARTS:
        value = _value(consult, path)
        answer = {"valueString": value} if path.endswith("stamp") else _coding(path, value)
        children.append({"linkId": path, "answer": [answer]})
    return [{"linkId": _HANDOUT, "item": children}]


def _answer_items(path: str, value: Any) -> list[dict[str, Any]]:
    """The response items of one answer: none when unknown, one per prior treatment."""
    if value == [] and path in REVIEWED_LISTS:
        return [{"linkId": path, "answer": [_coding(path, NONE_CODE)]}]
    if value in (None, "unknown", []):
        return []
    if path == "prior_treatments":
        # A repeating group answers with one item per repetition, all with the same linkId.
        return [
            {
                "linkId": path,
                "item": [
                    {"linkId": _THERAPY, "answer": [_coding(_THERAPY, entry["therapy"])]},
                    *(
                        [{"linkId": _OUTCOME, "answer": [_coding(_OUTCOME, entry["outcome"])]}]
                        if entry["outcome"] != "unknown"
                        else []
                    ),
                ],
            }
            for entry in value
        ]
    if isinstance(value, list):
        return [{"linkId": path, "answer": [_coding(path, code) for code in value]}]
    if isinstance(value, int):
        return [{"linkId": path, "answer": [{"valueInteger": value}]}]
    return [{"linkId": path, "answer": [_coding(path, value)]}]


def _coding(path: str, code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": code_system(path), "code": code}}


def consult_from_questionnaire_response(response: object) -> Consult:
    """Reads a consult back from a QuestionnaireResponse made by :func:`questionnaire_response`
    (or by version 2 of decision-aid, read as a version 2 consult and upgraded).

    What could make the consult read otherwise than the response says is refused, never
    resolved by a guess (docs/design.md section 11): a JSON key given twice in one object
    (anywhere), more than one answer to an item that does not repeat, a code of another
    system, an answer of another kind than the item's, a ``linkId`` that is no answer, and a
    response nested deeper or holding longer numbers than any decision-aid writes.

    Args:
        response: the response as JSON text, as JSON data, or as a ``fhir.resources`` R4B
            ``QuestionnaireResponse``.

    Raises:
        ConsultError: the data is not such a response, or an answer is not a valid consult value;
            the one error this function raises, and its message starts with the item's
            ``linkId`` when one item is at fault.
    """
    return consult_from_questionnaire_response_upgrading(response)[0]


def consult_from_questionnaire_response_upgrading(
    response: object,
) -> tuple[Consult, Upgrade | None]:
    """As :func:`consult_from_questionnaire_response`, and what was upgraded when the response
    answered an older version of the Questionnaire (the questions to answer again)."""
    try:
        return _read_response(response)
    except ConsultError:
        raise
    except RecursionError:
        raise ConsultError(_TOO_DEEP) from None
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        # A shape that none of the checks below foresaw: still the one documented error.
        raise ConsultError("not a QuestionnaireResponse as decision-aid writes them") from None


_TOO_DEEP: Final = "the response is nested too deeply to be a decision-aid QuestionnaireResponse"
# A response of decision-aid nests about 10 levels (lists and objects); deeper data is refused
# before anything recursive reads it.
_MAX_DEPTH: Final = 40
# No answer has more than four digits, nor does anything else in a response.
_MAX_DIGITS: Final = 30
# A linkId that can be an answer's: a dotted path of names (the consult model refuses those
# of no answer, naming them; a section's name alone, or schema_version, is refused here).
_LINK_ID: Final = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_UNDOTTED_ANSWERS: Final = ("prior_treatments", "priorities")


def _read_response(response: object) -> tuple[Consult, Upgrade | None]:
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
    from pydantic import BaseModel, ValidationError

    if isinstance(response, BaseModel):
        response = response.model_dump_json(exclude_none=True)
    data = _decoded(response) if isinstance(response, str | bytes) else response
    # Before any model or recursive reader sees it: depth, numbers and repeated keys.
    _check_structure(data)
    if not isinstance(data, dict) or data.get("resourceType") != "QuestionnaireResponse":
        raise ConsultError("not a FHIR QuestionnaireResponse")
    questionnaire = data.get("questionnaire")
    version = READ_VERSIONS.get(questionnaire) if isinstance(questionnaire, str) else None
    if version is None:
        raise ConsultError(
            f"questionnaire: expected {CANONICAL} (or {' or '.join(_OLDER_CANONICALS)}, "
            "read as an older consult and upgraded)"
        )
    try:
        QuestionnaireResponse.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConsultError(
            f"not a valid FHIR R4B QuestionnaireResponse: {where}: {first['msg']}"
        ) from None
    # The answers as the consult file of the Questionnaire's version has them: an older one is
    # validated as that version, then upgraded as a file of that version is.
    consult: dict[str, Any] = {"schema_version": version}
    seen: set[str] = set()
    for group in data.get("item", []):
        step = group.get("linkId") if isinstance(group, dict) else None
        if not isinstance(step, str) or not step.startswith("step.") or "answer" in group:
            raise ConsultError(f"{_shown(step)}: not a step of the Questionnaire")
        for item in group.get("item", []):
            link_id = item.get("linkId") if isinstance(item, dict) else None
            try:
                _read_answer(consult, item, seen)
            except ConsultError:
                raise
            except (AttributeError, TypeError, KeyError, IndexError, ValueError):
                raise ConsultError(
                    f"{_shown(link_id)}: not shaped as decision-aid writes an answer"
                ) from None
    return consult_from_data_upgrading(consult)


def _decoded(text: str | bytes) -> Any:
    """The JSON data of a response's text, each object that repeats a key marked."""
    try:
        return load_json_marking_repeats(text)
    except RecursionError:
        raise ConsultError(_TOO_DEEP) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ConsultError(f"not a FHIR JSON resource ({error})") from None
    except ValueError:
        # Python refuses to convert an integer of more than 4,300 digits.
        raise ConsultError("a number in the response has far too many digits") from None


def _check_structure(data: object) -> None:
    """Refuses, naming the item (its ``linkId``), a key given twice in one JSON object, an
    integer longer than any answer, and nesting deeper than any response of decision-aid.

    Iterative, so that no depth of data can exhaust the stack here.
    """
    stack: list[tuple[object, str, str, int]] = [(data, "", "", 0)]  # path, linkId, depth
    while stack:
        value, path, link_id, depth = stack.pop()
        where = f"{_shown(link_id)}: " if link_id else ""
        if depth > _MAX_DEPTH:
            raise ConsultError(f"{where}{_TOO_DEEP}")
        if isinstance(value, int) and not isinstance(value, bool):
            # Counted without converting to text, which Python refuses past 4,300 digits.
            if value.bit_length() > _MAX_DIGITS * 4:
                raise ConsultError(f"{where}a number with far too many digits ({path})")
        elif isinstance(value, dict):
            repeated = repeated_key_of(value)
            own = value.get("linkId")
            inner = own if isinstance(own, str) and _names_an_answer(own) else link_id
            if repeated is not None:
                at = f"{_shown(inner)}: " if inner else ""
                raise ConsultError(
                    f"{at}the key {_quoted(repeated)} given twice in one JSON object "
                    f"({path.lstrip('.') or 'the response'}); a response must say one thing "
                    "per answer"
                )
            for key, child in value.items():
                if not isinstance(key, str):
                    raise ConsultError(f"{where}a key that is not text ({path or 'the response'})")
                stack.append((child, f"{path}.{_key(key)}", inner, depth + 1))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                stack.append((child, f"{path}[{index}]", link_id, depth + 1))
        elif not isinstance(value, str | float | bool) and value is not None:
            raise ConsultError(f"{where}{type(value).__name__} is not JSON data ({path})")


def _names_an_answer(link_id: str) -> bool:
    """Whether a linkId has the form of an answer's path (or of a step's, or a group's)."""
    return bool(_LINK_ID.fullmatch(link_id)) and ("." in link_id or link_id in _UNDOTTED_ANSWERS)


def _shown(link_id: object) -> str:
    """A linkId as a message shows it: an answer's path as it is, anything else quoted."""
    if not isinstance(link_id, str):
        return "(an item without a linkId)"
    return link_id if _LINK_ID.fullmatch(link_id) and len(link_id) <= 80 else _quoted(link_id)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,39}", key) else _quoted(key)


def _quoted(text: object) -> str:
    """Text of a response quoted for a message, in ASCII (no control, format or bidi character
    reaches a terminal) and shortened."""
    quoted = json.dumps(text)
    return quoted if len(quoted) <= 60 else quoted[:56] + '..."'


_OLDER_CANONICALS: Final = tuple(canonical for canonical in READ_VERSIONS if canonical != CANONICAL)


def _read_answer(consult: dict[str, Any], item: dict[str, Any], seen: set[str]) -> None:
    path = item.get("linkId")
    if not (isinstance(path, str) and _names_an_answer(path)):
        raise ConsultError(f"{_shown(path)}: not a question of the Questionnaire")
    if path != "prior_treatments":
        # A question answered twice says two things about one answer: neither is trusted.
        if path in seen:
            raise ConsultError(f"{path}: answered more than once in the response")
        seen.add(path)
    if path in ("prior_treatments", _HANDOUT):
        if "answer" in item:
            raise ConsultError(f"{path}: a group is answered by its parts, not directly")
        parts = _parts(path, item)
        if path == "prior_treatments":
            consult.setdefault("prior_treatments", []).append(parts)
        else:
            _set(consult, path, parts)
        return
    if "item" in item:
        raise ConsultError(f"{path}: a question with items nested in it")
    values = _answer_values(item)
    if path in REVIEWED_LISTS and NONE_CODE in values:
        if len(values) > 1:
            raise ConsultError(f"{path}: 'none' cannot be given with other answers")
        values = []
    if not is_list_field(path) and len(values) > 1:
        raise ConsultError(
            f"{path}: more than one answer to a question that takes one "
            f"({len(values)} given); a response must say one thing per answer"
        )
    value: Any = values if is_list_field(path) else (values[0] if values else None)
    _set(consult, path, value)


def _parts(path: str, item: dict[str, Any]) -> dict[str, Any]:
    """The answers of a group's parts (a prior treatment's therapy and outcome, the handout's
    language, paper and stamp) by name, each part at most once with at most one answer."""
    parts: dict[str, Any] = {}
    for child in item.get("item", []):
        child_id = child.get("linkId")
        if not isinstance(child_id, str) or not child_id.startswith(f"{path}."):
            raise ConsultError(f"{_shown(child_id)}: not a part of {path}")
        name = child_id.rpartition(".")[2]
        if name in parts:
            raise ConsultError(f"{child_id}: answered more than once in one {path} entry")
        if "item" in child:
            raise ConsultError(f"{child_id}: a question with items nested in it")
        values = _answer_values(child)
        if len(values) > 1:
            raise ConsultError(
                f"{child_id}: more than one answer to a question that takes one "
                f"({len(values)} given); a response must say one thing per answer"
            )
        if values:
            parts[name] = values[0]
    return parts


def _set(consult: dict[str, Any], path: str, value: Any) -> None:
    *sections, name = path.split(".")
    target = consult
    for section in sections:
        target = target.setdefault(section, {})
        if not isinstance(target, dict):
            raise ConsultError(f"{path}: not a question of the Questionnaire")
    if name in target:
        # Only a linkId below another answer's ("safety.liver.x" and "safety.liver") gets here.
        raise ConsultError(f"{path}: not a question of the Questionnaire")
    target[name] = value


def _answer_values(item: dict[str, Any]) -> list[Any]:
    """The codes, numbers and texts of an item's answers; a code must be of the item's own
    code system, since a code of another system may mean something else."""
    path = item["linkId"]
    answers = item.get("answer", [])
    if not isinstance(answers, list):
        raise ConsultError(f"{path}: its answers are not a list")
    values: list[Any] = []
    for answer in answers:
        if not isinstance(answer, dict):
            raise ConsultError(f"{path}: an answer that is not a JSON object")
        kinds = [key for key in answer if key.startswith("value")]
        if len(kinds) != 1 or set(answer) - {"valueCoding", "valueString", "valueInteger"}:
            raise ConsultError(
                f"{path}: an answer must be one valueCoding, valueInteger or valueString "
                f"(this one has {', '.join(_key(key) for key in answer) or 'nothing'})"
            )
        if "valueCoding" in answer:
            coding = answer["valueCoding"]
            if not isinstance(coding, dict) or not isinstance(coding.get("code"), str):
                raise ConsultError(f"{path}: a coding without a code")
            if coding.get("system") != code_system(path):
                raise ConsultError(
                    f"{path}: code {coding['code'][:40]!r} is of the system "
                    f"{str(coding.get('system'))[:80]!r}, not {code_system(path)}"
                )
            values.append(coding["code"])
        elif "valueString" in answer:
            if not isinstance(answer["valueString"], str):
                raise ConsultError(f"{path}: a valueString that is not text")
            values.append(answer["valueString"])
        else:
            number = answer["valueInteger"]
            if not isinstance(number, int) or isinstance(number, bool):
                raise ConsultError(f"{path}: a valueInteger that is not a whole number")
            values.append(number)
    return values


def _validated(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Validates FHIR JSON data with its fhir.resources model and returns it as plain JSON."""
    resource = model.model_validate(data)
    dumped: dict[str, Any] = json.loads(resource.model_dump_json(exclude_none=True))
    return dumped


def to_json(resource: dict[str, Any]) -> str:
    """A FHIR resource as the text of a ``.json`` file."""
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
