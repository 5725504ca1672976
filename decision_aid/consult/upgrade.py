"""An older consult file read as the current version (docs/design.md section 4.1).

Every answer keeps its meaning, except where an older form could not tell two meanings apart:
such a value is read as unknown (or "not reviewed"), never as the safer of its possible new
meanings, and its question is asked again. The values whose meaning changed are the rows'
``rereads`` in ``consult/answers.py``; the one answer that changed its question (version 2's
"suicide risk assessed" became the outcome of the assessment) is read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from decision_aid.consult.answers import ANSWERS, new_required_since
from decision_aid.consult.errors import ConsultError, describe_validation_error
from decision_aid.consult.model import SCHEMA_VERSION, Consult
from decision_aid.consult.paths import field_paths

if TYPE_CHECKING:
    from decision_aid.consult.v1 import ConsultV1
    from decision_aid.consult.v2 import ConsultV2


@dataclass(frozen=True, slots=True)
class Upgrade:
    """What reading an older consult file changed: the window says it once, the note and
    ``assess`` name the questions to answer again."""

    from_version: int
    # Dotted paths whose older answer could not be carried over, or that are new and required.
    answer_again: tuple[str, ...]
    # The older file's value of each answer that was read anew (a path of answer_again), as
    # the file had it: the window shows it beside the question ("was 'raised'").
    was: dict[str, Any] = field(default_factory=dict)
    # Answers kept from the older file whose question now offers more choices (a medicine
    # list that was carried over): the window reminds the clinician of the new ones.
    new_choices: tuple[str, ...] = ()


_SELF_HARM_ASSESSED: Final = "decision.self_harm_assessed"
_SUICIDE_RISK: Final = "decision.suicide_risk"

# Version 2's "suicide risk assessed today" as version 3's outcome of that assessment: "no" is
# "not assessed"; "yes" said an assessment was made but not what it found, and "low" would
# be a guess, so it is unknown and asked again.
_SUICIDE_RISK_FROM_ASSESSED: Final = {"no": "not_assessed", "yes": "unknown"}

# Version 3 added medicines to this list: a list kept from an older file was never asked
# about them.
_LISTS_WITH_NEW_CHOICES: Final = {"safety.medications": 2}


def upgrade(old: ConsultV1 | ConsultV2) -> tuple[Consult, Upgrade]:
    """An older consult as the current version.

    Every answer keeps its meaning, except those the rows' ``rereads`` name (an empty list
    that could mean "not asked", a psychosis "history", an eye pressure "raised" that
    included controlled glaucoma) and version 2's "suicide risk assessed", which is read as
    the outcome it implies where there is one. The new questions start unknown, and the
    required ones are asked again.

    Raises:
        ConsultError: the old answers cannot be read as the current version (not expected:
            every older value has a current meaning).
    """
    version = old.schema_version
    data = old.model_dump(mode="json")
    data["schema_version"] = SCHEMA_VERSION
    was: dict[str, Any] = {}
    again = reread_older_answers(data, version, was)
    if version == 1:
        again += _item9_within_total(data)
    decision = data.get("decision")
    if isinstance(decision, dict) and "self_harm_assessed" in decision:
        assessed = decision.pop("self_harm_assessed")
        if assessed in _SUICIDE_RISK_FROM_ASSESSED:
            decision["suicide_risk"] = _SUICIDE_RISK_FROM_ASSESSED[assessed]
        if assessed == "yes":
            again.append(_SUICIDE_RISK)
            was[_SUICIDE_RISK] = assessed
    again += new_required_since(version)
    try:
        consult = Consult.model_validate(data)
    except ValidationError as error:
        raise ConsultError(describe_validation_error(error)) from None
    order = {path: index for index, path in enumerate(field_paths())}
    new_choices = tuple(
        path
        for path, last_version in _LISTS_WITH_NEW_CHOICES.items()
        if version <= last_version and _section_value(data, path)
    )
    return consult, Upgrade(
        from_version=version,
        answer_again=tuple(sorted(dict.fromkeys(again), key=order.__getitem__)),
        was=was,
        new_choices=new_choices,
    )


def _item9_within_total(data: dict[str, Any]) -> list[str]:
    """Version 1 let PHQ-9 item 9 exceed the total; version 2 refuses it. Item 9 is the answer
    that screens for self-harm, so it is kept and the total asked again."""
    comorbidities = data["comorbidities"]
    total, item9 = comorbidities["phq9_total"], comorbidities["phq9_item9"]
    if total is not None and item9 is not None and item9 > total:
        comorbidities["phq9_total"] = None
        return ["comorbidities.phq9_total"]
    return []


def _section_value(data: dict[str, Any], path: str) -> Any:
    holder: Any = data
    for part in path.split("."):
        holder = holder.get(part) if isinstance(holder, dict) else None
    return holder


def reread_older_answers(
    data: dict[str, Any], version: int, was: dict[str, Any] | None = None
) -> list[str]:
    """Reads, in an older file's data, each value whose meaning changed as its table row
    says (``Reread``); returns the paths changed, whose questions are asked again, and puts
    each one's old value in ``was`` when given."""
    changed: list[str] = []
    for spec in ANSWERS:
        for reread in spec.rereads:
            if version > reread.up_to_version:
                continue
            *sections, name = spec.path.split(".")
            holder: Any = data
            for section in sections:
                holder = holder.get(section) if isinstance(holder, dict) else None
            if isinstance(holder, dict) and name in holder and holder[name] == reread.old:
                if was is not None:
                    was[spec.path] = holder[name]
                holder[name] = reread.new
                changed.append(spec.path)
                break
    return changed
