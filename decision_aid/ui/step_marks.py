"""What the step list shows of each step: its number and title, a tick when every question
has an answer, and marks for required answers still unknown, answers that disagree and the
findings that rest on the step's answers (docs/design.md section 7). Pure: no Qt."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from decision_aid.catalogue import Level
from decision_aid.consult import REVIEWED_LISTS, Outcome, PriorTreatment

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from decision_aid.content import Step
    from decision_aid.rules import Assessment


class StepMark(NamedTuple):
    """One entry of the step list: its text and its tooltip."""

    text: str
    tooltip: str


def step_marks(
    steps: Iterable[Step],
    assessment: Assessment,
    answer: Callable[[str], object],
    asked: Callable[[str], bool] = lambda _path: True,
) -> list[StepMark]:
    """The step list's entries for an assessment, one per step in order.

    Args:
        steps: the content's steps (Review, which asks nothing, included).
        assessment: the consult's current assessment.
        answer: the current value of an answer by its dotted path (``ConsultSession.answer``).
        asked: whether the consult asks a question at all (``ConsultSession.asked``): one it
            does not ask (the harms of ketamine never taken) does not hold back the tick.
    """
    missing = set(assessment.missing)
    conflicting = {path for finding in assessment.conflicts for path in finding.fired_by}
    marks = []
    for row, step in enumerate(steps):
        fields = {question.field for question in step.questions}
        unknown = len(fields & missing)
        conflicts = len(fields & conflicting)
        # Findings that weigh on the status and rest on this step's answers.
        weighing = sum(
            1
            for finding in assessment.findings
            if finding.level not in (Level.INFO, Level.CHECK) and fields & set(finding.fired_by)
        )
        text = f"{row + 1}. {step.title}"
        notes = []
        if unknown:
            notes.append(f"{unknown} unknown")
        if conflicts:
            notes.append("answers disagree")
        if weighing:
            notes.append(f"{weighing} finding{'s' if weighing != 1 else ''}")
        answered = all_answered((field for field in fields if asked(field)), answer)
        if fields and not unknown and not conflicts and answered:
            text = f"{text} ✓"  # every question of the step has an answer
        if notes:
            text += f"  ({', '.join(notes)})"
        tips = [f"{unknown} required answers still unknown"] if unknown else []
        tips += ["two answers contradict each other: correct one"] if conflicts else []
        tips += [f"{weighing} findings rest on these answers"] if weighing else []
        marks.append(StepMark(text, "; ".join(tips) or ("Done" if fields else "")))
    return marks


def all_answered(fields: Iterable[str], answer: Callable[[str], object]) -> bool:
    """Every question answered: no "unknown", no number left empty, no list left not
    reviewed (a list of treatments or priorities counts once it has an entry)."""
    for field in fields:
        value = answer(field)
        reviewed_none = value == [] and field in REVIEWED_LISTS
        if (value is None or value == "unknown" or value == []) and not reviewed_none:
            return False
        if isinstance(value, list) and any(
            isinstance(entry, PriorTreatment) and entry.outcome is Outcome.UNKNOWN
            for entry in value
        ):
            return False  # a ticked treatment whose outcome is not recorded yet
    return True
