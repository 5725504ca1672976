"""Answers by their dotted path (``safety.liver``, ``decision.sure.clear_what_matters``): the
list of every answer, its allowed values or range, and reading or setting one."""

from __future__ import annotations

import re
import types
from enum import StrEnum
from typing import Any, Final, Union, get_args, get_origin

from pydantic import BaseModel

from decision_aid.consult.model import (
    COURSE_PARTS,
    PROGRAM_FIELDS,
    Consult,
    KetamineHarm,
    Medication,
    Priority,
    SectionModel,
    Substance,
    Therapy,
)


def _leaf(path: str) -> Any:
    """The pydantic field of a dotted answer path, walking nested sections (and the visits of
    the course: ``course[3].bp_peak.diastolic``); None if none."""
    model: Any = Consult
    field = None
    for part in re.sub(r"\[\d+\]", "", path).split("."):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return field


def _inner_model(annotation: Any) -> Any:
    """The model inside ``X | None`` or ``list[X]``, or the annotation itself."""
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation)
    return annotation


def field_bounds(path: str) -> tuple[int, int] | None:
    """The lowest and highest value of a number answer, from the model's own constraints."""
    field = _leaf(path)
    if field is None:
        return None
    low = high = None
    for item in field.metadata:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    if low is None or high is None:
        return None
    return int(low), int(high)


def field_paths() -> tuple[str, ...]:
    """Every answer's dotted path (``safety.liver``, ``decision.sure.clear_what_matters``), in
    the order of the consult file; the fields the program fills in are not answers."""
    return _FIELD_PATHS


def _paths_of(model: type[BaseModel], prefix: str) -> list[str]:
    paths: list[str] = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = field.annotation
        if name == "schema_version" or path in PROGRAM_FIELDS or path in COURSE_PARTS:
            continue
        if isinstance(annotation, type) and issubclass(annotation, SectionModel):
            paths.extend(_paths_of(annotation, f"{path}."))
        else:
            paths.append(path)
    return paths


_FIELD_PATHS: Final = tuple(_paths_of(Consult, ""))

_LIST_CHOICES: Final[dict[str, type[StrEnum]]] = {
    "prior_treatments": Therapy,
    "safety.medications": Medication,
    "ketamine_exposure.harms": KetamineHarm,
    "substance_use.substances": Substance,
    "priorities": Priority,
}

# List answers that tell "not reviewed" (null) from "none of these" (an empty list).
REVIEWED_LISTS: Final = frozenset(
    {"safety.medications", "ketamine_exposure.harms", "substance_use.substances"}
)


def field_choices(path: str) -> tuple[str, ...] | None:
    """The allowed values of a choice or list field, or None for a number field.

    Raises:
        KeyError: the path is not an answer of the consult.
    """
    if path in _LIST_CHOICES:
        return tuple(_LIST_CHOICES[path])
    field = _leaf(path)
    if field is None or path not in _FIELD_PATHS:
        raise KeyError(path)
    annotation = field.annotation
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return tuple(annotation)
    return None


def is_list_field(path: str) -> bool:
    return path in _LIST_CHOICES


def answer_at(consult: Consult, path: str) -> Any:
    """The value of one answer by its dotted path, as the model holds it.

    Raises:
        AttributeError: the path names no field of the consult.
    """
    value: Any = consult
    for part in path.split("."):
        value = getattr(value, part)
    return value


def set_answer_at(consult: Consult, path: str, value: Any) -> None:
    """Sets one answer by its dotted path; the model validates it where it is set.

    Raises:
        pydantic.ValidationError: the value is not allowed there (or breaks a rule that ties
            two answers, such as PHQ-9 item 9 above the total); the consult is unchanged
            (the sections' own ``__setattr__`` puts the old value back).
    """
    parent_path, _, name = path.rpartition(".")
    parent = answer_at(consult, parent_path) if parent_path else consult
    setattr(parent, name, value)
