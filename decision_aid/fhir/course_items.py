"""The plan's, the course end's and a visit's fields as Questionnaire items, as answers of a
response, and read back (docs/design.md section 13.4; docs/design.md here, "Note and FHIR of a
course").

The fields are the consult model's, walked by ``content.course_fields``: a ``linkId`` is the
field's dotted path (``plan.baseline.pain_week``; in the visit Questionnaire ``visit.pgic``),
a nested part (a blood pressure, a liver test, the plan's baseline) is a group. A value equal
to the model's default (null, an empty list, ``unknown``) is left out of a response, so that
reading it back gives the same value; a list that tells "not asked" (null) from "none of
these" (``[]``) answers the second with the exclusive code ``none``, as the consult's reviewed
lists do.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from decision_aid.catalogue import RULES, Level
from decision_aid.consult import ConsultError
from decision_aid.content import bounds_of, course_fields
from decision_aid.fhir.common import (
    MAX_VALUE,
    MIN_VALUE,
    NONE_CODE,
    OPTION_EXCLUSIVE,
    code_system,
    coding,
)
from decision_aid.fhir.structure import json_key

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import BaseModel

    from decision_aid.content import Content, CourseField

# Set by the program when the plan is recorded, never typed (docs/design.md section 13.1).
READ_ONLY: Final = frozenset({"plan.made_at_status", "plan.made_with_findings"})
# The kinds of answer each kind of field takes.
_ANSWER_KINDS: Final = {
    "choice": "valueCoding",
    "code": "valueCoding",
    "integer": "valueInteger",
    "decimal": "valueDecimal",
}


def _children(prefix: str) -> list[CourseField]:
    """The fields directly inside the group ``prefix``, in the model's order."""
    depth = prefix.count(".") + 1
    return [
        field
        for path, field in course_fields().items()
        if path.startswith(f"{prefix}.") and path.count(".") == depth
    ]


# ---------------------------------------------------------------------------------------------
# Questionnaire items


def items(prefix: str, content: Content) -> list[dict[str, Any]]:
    """The Questionnaire items of the fields inside ``prefix`` (``plan``, ``visit``, ...)."""
    return [_item(field, content) for field in _children(prefix)]


def group(prefix: str, content: Content) -> dict[str, Any]:
    """The group of ``plan`` or ``course_end``, with its items."""
    return {
        "linkId": prefix,
        "text": content.course.label(prefix),
        "type": "group",
        "item": items(prefix, content),
    }


def _item(field: CourseField, content: Content) -> dict[str, Any]:
    words = content.course
    item: dict[str, Any] = {"linkId": field.path, "text": words.label(field.path)}
    if field.kind == "group":
        item |= {"type": "group", "item": items(field.path, content)}
    elif field.kind in ("choice", "code"):
        if field.choices is not None:
            options = {code: words.value(field.path, code) for code in field.choices}
        else:
            # The rule ids a plan records: the section 5 cautions and first steps.
            options = {
                rule: content.rulebook.rules[rule].title
                for rule, spec in RULES.items()
                if spec.level in (Level.CAUTION, Level.FIRST) and not rule.startswith("course.")
            }
        item |= {
            "type": "choice",
            "repeats": field.repeats,
            "answerOption": [
                {"valueCoding": {"system": code_system(field.path), "code": code, "display": text}}
                for code, text in options.items()
            ],
        }
        if field.none_of_these:
            item["answerOption"].append(
                {
                    "valueCoding": {
                        "system": code_system(field.path),
                        "code": NONE_CODE,
                        "display": words.none_of_these,
                    },
                    "extension": [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}],
                }
            )
    else:
        low, high = bounds_of(field)
        value = "valueInteger" if field.kind == "integer" else "valueDecimal"
        item |= {
            "type": field.kind,
            "extension": [{"url": MIN_VALUE, value: low}, {"url": MAX_VALUE, value: high}],
        }
    if field.required:
        item["required"] = True
    if field.path in READ_ONLY:
        item["readOnly"] = True
    return item


# ---------------------------------------------------------------------------------------------
# Response items


def answers(model: BaseModel, prefix: str, link_prefix: str | None = None) -> list[dict[str, Any]]:
    """The response items of a plan, a course end or a visit (``model``), whose fields are
    walked under ``prefix``; a value equal to its default is left out."""
    found: list[dict[str, Any]] = []
    for field in _children(prefix):
        name = field.path.rpartition(".")[2]
        value = getattr(model, name)
        info = type(model).model_fields[name]
        if not info.is_required() and value == info.get_default(call_default_factory=True):
            continue
        if field.kind == "group":
            inner = answers(value, field.path)
            if inner:
                found.append({"linkId": field.path, "item": inner})
            continue
        values = value if isinstance(value, list) else [value]
        if field.none_of_these and not values:
            found.append({"linkId": field.path, "answer": [coding(field.path, NONE_CODE)]})
            continue
        found.append({"linkId": field.path, "answer": [_answer(field, v) for v in values]})
    return found


def _answer(field: CourseField, value: Any) -> dict[str, Any]:
    if field.kind in ("choice", "code"):
        return coding(field.path, str(getattr(value, "value", value)))
    if field.kind == "integer":
        return {"valueInteger": value}
    # A tenth or a dose as written, never as a float's binary expansion.
    return {"valueDecimal": Decimal(str(value))}


# ---------------------------------------------------------------------------------------------
# Reading


def read_items(
    found: object,
    prefix: str,
    target: dict[str, Any],
    seen: set[str],
    name: Callable[[str], str],
) -> None:
    """Reads the response items of the fields inside ``prefix`` into ``target`` (the file's
    form of that part), refusing what could read otherwise than the response says.

    Args:
        found: the items of the group.
        prefix: the group's path (``plan``, ``visit``, ``visit.bp_peak``).
        target: the part's data, filled in.
        seen: the linkIds answered so far in this response.
        name: how a message names a linkId (a visit's as ``course[2].pgic``).

    Raises:
        ConsultError: naming the item.
    """
    fields = {field.path: field for field in _children(prefix)}
    if not isinstance(found, list):
        raise ConsultError(f"{name(prefix)}: its items are not a list")
    for item in found:
        link_id = item.get("linkId") if isinstance(item, dict) else None
        field = fields.get(link_id) if isinstance(link_id, str) else None
        if field is None or not isinstance(item, dict):
            shown = name(link_id) if isinstance(link_id, str) else "(an item without a linkId)"
            raise ConsultError(f"{shown}: not a question of {name(prefix)}")
        where = name(field.path)
        if field.path in seen:
            raise ConsultError(f"{where}: answered more than once in the response")
        seen.add(field.path)
        key = field.path.rpartition(".")[2]
        if field.kind == "group":
            if "answer" in item:
                raise ConsultError(f"{where}: a group is answered by its parts, not directly")
            part: dict[str, Any] = {}
            read_items(item.get("item", []), field.path, part, seen, name)
            target[key] = part
            continue
        if "item" in item:
            raise ConsultError(f"{where}: a question with items nested in it")
        values = answer_values(item, where, field.path, _ANSWER_KINDS[field.kind])
        if field.none_of_these and NONE_CODE in values:
            if len(values) > 1:
                raise ConsultError(f"{where}: 'none' cannot be given with other answers")
            values = []
        if not field.repeats and len(values) > 1:
            raise ConsultError(
                f"{where}: more than one answer to a question that takes one "
                f"({len(values)} given); a response must say one thing per answer"
            )
        if values or field.none_of_these:
            target[key] = values if field.repeats else values[0]


def answer_values(item: dict[str, Any], where: str, path: str, kind: str) -> list[Any]:
    """The values of one item's answers, each of the kind its field takes (``kind``); a code
    must be of the field's own code system, since a code of another system may mean
    something else."""
    found = item.get("answer", [])
    if not isinstance(found, list):
        raise ConsultError(f"{where}: its answers are not a list")
    values: list[Any] = []
    for answer in found:
        if not isinstance(answer, dict) or list(answer) != [kind]:
            keys = ", ".join(json_key(key) for key in answer) if isinstance(answer, dict) else ""
            raise ConsultError(
                f"{where}: an answer must be one {kind} (this one has {keys or 'nothing'})"
            )
        value = answer[kind]
        if kind == "valueCoding":
            if not isinstance(value, dict) or not isinstance(value.get("code"), str):
                raise ConsultError(f"{where}: a coding without a code")
            if value.get("system") != code_system(path):
                raise ConsultError(
                    f"{where}: code {value['code'][:40]!r} is of the system "
                    f"{str(value.get('system'))[:80]!r}, not {code_system(path)}"
                )
            values.append(value["code"])
        elif kind == "valueInteger":
            if not isinstance(value, int) or isinstance(value, bool):
                raise ConsultError(f"{where}: a valueInteger that is not a whole number")
            values.append(value)
        else:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ConsultError(f"{where}: a valueDecimal that is not a number")
            values.append(value)
    return values
