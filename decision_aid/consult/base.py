"""What every part of the consult file is built from: the section model that validates a value
where it is set, and the answers that the consult and its course share (docs/design.md
sections 4 and 13)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


class YesNo(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class SuicideRisk(StrEnum):
    """The outcome of the suicide-risk assessment the clinician made today."""

    # Counted as unknown where the answer is required: the outcome is what the rules need.
    NOT_ASSESSED = "not_assessed"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    UNKNOWN = "unknown"


def no_repeats[T](values: list[T] | None) -> list[T] | None:
    """Refuses a list that names the same choice twice: a check box is ticked or it is not."""
    seen: set[T] = set()
    for value in values or ():
        if value in seen:
            raise ValueError(f"{value!s} is listed twice")
        seen.add(value)
    return values


class SectionModel(BaseModel):
    # validate_assignment: the window edits a live consult, and a wrong value must be refused
    # where it is set, not when the file is saved.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    def __setattr__(self, name: str, value: Any) -> None:
        # pydantic stores an assigned value before it runs a check of the whole section (PHQ-9
        # item 9 within the total) and keeps it when that check refuses it: the refused value
        # would stay in the consult and be saved into a file that then cannot be opened. The
        # old value is put back.
        if name not in type(self).model_fields:
            super().__setattr__(name, value)
            return
        before = self.__dict__[name]
        try:
            super().__setattr__(name, value)
        except ValidationError:
            self.__dict__[name] = before
            raise
