"""What the window and ``assess`` say once about a consult made with an older form
(docs/design.md section 4.1): the questions to answer again, each answer the upgrade read
anew with its old value, and the new choices of a list that was kept. One text for both, in
the content pack's words; no Qt here.
"""

from __future__ import annotations

import typing
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel

from decision_aid.consult import field_choices as current_choices
from decision_aid.consult import new_required_since
from decision_aid.consult.v1 import ConsultV1
from decision_aid.consult.v2 import ConsultV2

if TYPE_CHECKING:
    from decision_aid.consult import Upgrade
    from decision_aid.content import QuestionBook

# The model each older version was read with: what its lists offered.
_OLDER_MODELS: Final[dict[int, type[BaseModel]]] = {1: ConsultV1, 2: ConsultV2}


def upgrade_lines(
    upgrade: Upgrade, questions: QuestionBook, name: str | None = None, *, paths: bool = False
) -> list[str]:
    """The message on opening a consult made with an older form, as lines: first what
    happened (``name`` is the file's name, when there is one), then one "- " line per
    question to answer again, then one per kept list whose question offers new choices;
    with ``paths`` (the command line), each question's label is followed by its dotted path.

    A new required question says so; an answer read anew shows its old value as the pack
    words it (``earlier_answers`` in questions.yaml: "Eye pressure and glaucoma: was
    'Raised' ..."), else as the file had it ("was 'raised'"), an empty list with the label
    of "none of these" ("Current medicines that interact: was 'None of these'"); a kept
    medicine list names the options its form did not offer.
    """
    subject = name or "This consult"
    lines = [
        f"{subject} was made with version {upgrade.from_version} of the consult form, which "
        "did not ask some questions or could not tell some answers apart. Answer these "
        "questions again (the assessment lists the required ones as still unknown):"
    ]
    new = set(new_required_since(upgrade.from_version))

    def named(path: str) -> str:
        return f"{questions.label(path)} ({path})" if paths else questions.label(path)

    for path in upgrade.answer_again:
        label = named(path)
        if path in upgrade.was:
            lines.append(f"- {label}: {_was(questions, path, upgrade.was[path], upgrade)}")
        elif path in new:
            lines.append(f"- {label}: a new question")
        else:
            lines.append(f"- {label}")
    for path in upgrade.new_choices:
        added = new_choices_since(upgrade.from_version, path)
        if added:
            names = "; ".join(questions.option_label(path, choice) for choice in added)
            lines.append(
                f"- {named(path)}: kept as ticked; the older form did not offer "
                f"{_count(len(added))} new {'option' if len(added) == 1 else 'options'}: "
                f"{names}. Ask about {'it' if len(added) == 1 else 'them'} too."
            )
    return lines


def _was(questions: QuestionBook, path: str, old: Any, upgrade: Upgrade) -> str:
    question = questions.by_field.get(path)
    if isinstance(old, list):
        states = question.list_states if question else None
        if old:
            return f"was '{questions.answer_text(path, old)}'"
        if upgrade.from_version == 1:
            # Version 1 wrote an empty list for "none of these" and for "not asked" alike.
            none = states.none if states else "none"
            return f"was empty ('{none}', or not asked)"
        return f"was '{states.none if states else 'none'}'"
    if question is not None and str(old) in question.earlier_answers:
        return question.earlier_answers[str(old)]
    # Not the value's label now: the value is asked again because its meaning changed.
    return f"was '{old}'"


def _count(number: int) -> str:
    return {1: "one", 2: "two", 3: "three"}.get(number, str(number))


def new_choices_since(version: int, path: str) -> tuple[str, ...]:
    """The choices of a list answer that the form of ``version`` did not offer, in the
    current order; none when that version had no such list or offered every choice."""
    older = _older_choices(_OLDER_MODELS[version], path.split("."))
    if older is None:
        return ()
    return tuple(choice for choice in current_choices(path) or () if choice not in older)


def _older_choices(model: type[BaseModel], parts: list[str]) -> frozenset[str] | None:
    """The values an older model allowed for one answer (a list's items), read off its
    fields; None when it had no such answer."""
    field = model.model_fields.get(parts[0])
    if field is None:
        return None
    for kind in _kinds(field.annotation):
        if len(parts) > 1 and isinstance(kind, type) and issubclass(kind, BaseModel):
            return _older_choices(kind, parts[1:])
        if len(parts) == 1 and isinstance(kind, type) and issubclass(kind, StrEnum):
            return frozenset(kind)
    return None


def _kinds(annotation: Any) -> list[Any]:
    """The types inside an annotation: ``list[X] | None`` gives X (and None)."""
    arguments = typing.get_args(annotation)
    if not arguments:
        return [annotation]
    return [kind for argument in arguments for kind in _kinds(argument)]
