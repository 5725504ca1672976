"""Reading a consult back from a QuestionnaireResponse (docs/design.md sections 8 and 11).

What could make the consult read otherwise than the response says is refused, naming the item,
never resolved by a guess.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from decision_aid.consult import (
    REVIEWED_LISTS,
    SCHEMA_VERSION,
    ConsultError,
    consult_from_data_upgrading,
    is_list_field,
)
from decision_aid.fhir import course_items
from decision_aid.fhir.common import (
    CANONICAL,
    COURSE_GROUPS,
    HANDOUT,
    NONE_CODE,
    READ_VERSIONS,
    code_system,
)
from decision_aid.fhir.structure import (
    TOO_DEEP,
    check_structure,
    decoded,
    json_key,
    names_an_answer,
    shown,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from decision_aid.consult import Consult, Upgrade


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
        raise ConsultError(TOO_DEEP) from None
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        # A shape that none of the checks below foresaw: still the one documented error.
        raise ConsultError("not a QuestionnaireResponse as decision-aid writes them") from None


def _read_response(response: object) -> tuple[Consult, Upgrade | None]:
    from pydantic import BaseModel

    if isinstance(response, BaseModel):
        response = response.model_dump_json(exclude_none=True)
    data = decoded(response) if isinstance(response, str | bytes) else response
    # Before any model or recursive reader sees it: depth, numbers and repeated keys.
    check_structure(data)
    return consult_from_data_upgrading(consult_data(data))


def consult_data(data: object, *, canonicals: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The consult file's data that a response (JSON data already through
    :func:`~decision_aid.fhir.structure.check_structure`) holds, in the form of the
    Questionnaire version it answers: an older one is validated as that version, then upgraded
    as a file of that version is.

    Args:
        data: the response.
        canonicals: the Questionnaires it may answer; by default every version read.

    Raises:
        ConsultError: naming the item at fault.
    """
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
    from pydantic import ValidationError

    if not isinstance(data, dict) or data.get("resourceType") != "QuestionnaireResponse":
        raise ConsultError("not a FHIR QuestionnaireResponse")
    questionnaire = data.get("questionnaire")
    allowed = READ_VERSIONS if canonicals is None else {c: READ_VERSIONS[c] for c in canonicals}
    version = allowed.get(questionnaire) if isinstance(questionnaire, str) else None
    if version is None:
        older = [canonical for canonical in allowed if canonical != CANONICAL]
        raise ConsultError(
            f"questionnaire: expected {CANONICAL}"
            + (
                f" (or {' or '.join(older)}, read as an older consult and upgraded)"
                if older
                else ""
            )
        )
    try:
        QuestionnaireResponse.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConsultError(
            f"not a valid FHIR R4B QuestionnaireResponse: {where}: {first['msg']}"
        ) from None
    consult: dict[str, Any] = {"schema_version": version}
    seen: set[str] = set()
    for group in data.get("item", []):
        step = group.get("linkId") if isinstance(group, dict) else None
        if step in COURSE_GROUPS and version == SCHEMA_VERSION and "answer" not in group:
            # The plan and the course's end, which only the current version asks.
            part: dict[str, Any] = {}
            if step in seen:
                raise ConsultError(f"{step}: answered more than once in the response")
            seen.add(step)
            read = partial(course_items.read_items, group.get("item", []), step, part, seen, str)
            _shaped(read, step)
            consult[step] = part
            continue
        if not isinstance(step, str) or not step.startswith("step.") or "answer" in group:
            raise ConsultError(f"{shown(step)}: not a step of the Questionnaire")
        for item in group.get("item", []):
            link_id = item.get("linkId") if isinstance(item, dict) else None
            _shaped(partial(_read_answer, consult, item, seen), link_id)
    return consult


def _shaped(read: Callable[[], None], link_id: object) -> None:
    """Runs ``read``; a shape that none of its checks foresaw is refused naming the item."""
    try:
        read()
    except ConsultError:
        raise
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        raise ConsultError(
            f"{shown(link_id)}: not shaped as decision-aid writes an answer"
        ) from None


def _read_answer(consult: dict[str, Any], item: dict[str, Any], seen: set[str]) -> None:
    path = item.get("linkId")
    if not (isinstance(path, str) and names_an_answer(path)):
        raise ConsultError(f"{shown(path)}: not a question of the Questionnaire")
    if path != "prior_treatments":
        # A question answered twice says two things about one answer: neither is trusted.
        if path in seen:
            raise ConsultError(f"{path}: answered more than once in the response")
        seen.add(path)
    if path in ("prior_treatments", HANDOUT):
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
            raise ConsultError(f"{shown(child_id)}: not a part of {path}")
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
                f"(this one has {', '.join(json_key(key) for key in answer) or 'nothing'})"
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
