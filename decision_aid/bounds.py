"""The bounds of an incomplete consult: its unknown required answers filled with their safest
and their riskiest values (docs/design.md section 5).

Safety is monotone along each answer's risk order, so no search is needed: the best status
is that of the consult with every unknown required answer at its safest value, the worst at
its riskiest. An answer the filling makes required (item 9 once depression is filled) is
filled too, in file order. A value that would contradict a known or filled answer (a check
finding the consult did not have) is passed over for the next along the order, and so is a
value the model refuses (item 9 above the total). The values come from the table of answers
(``AnswerSpec.fill_values``); the rules judge each filling through the two functions they
pass in, so this module knows no rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from pydantic import ValidationError

from decision_aid.catalogue import Status
from decision_aid.consult import ANSWERS, Consult, answer_spec, missing_required, set_answer_at
from decision_aid.consult.model import SectionModel

if TYPE_CHECKING:
    from collections.abc import Callable

    from decision_aid.findings import Assessment

# The statuses as the bounds line names them (docs/design.md section 8).
_STATUS_WORDS: Final = {status: status.value.replace("_", " ") for status in Status}


def fill_bounds(
    consult: Consult,
    *,
    status_of: Callable[[Consult], Status],
    conflicts_of: Callable[[Consult], frozenset[str]],
) -> tuple[Status, Status]:
    """The status of the consult filled safest, and filled riskiest.

    Args:
        consult: the consult, left unchanged.
        status_of: the status of a consult with nothing required unknown.
        conflicts_of: the check findings of a consult, as keys that compare equal when two
            consults have the same contradiction.
    """
    known_conflicts = conflicts_of(consult)
    return (
        _filled_status(consult, status_of, conflicts_of, known_conflicts, riskiest=False),
        _filled_status(consult, status_of, conflicts_of, known_conflicts, riskiest=True),
    )


def _filled_status(
    consult: Consult,
    status_of: Callable[[Consult], Status],
    conflicts_of: Callable[[Consult], frozenset[str]],
    known_conflicts: frozenset[str],
    *,
    riskiest: bool,
) -> Status:
    filled = _copy(consult)
    # A pass fills what is missing in file order; an answer that a filled one makes required
    # (item 9 after depression) is missing in the next pass. One pass per answer at most.
    for _ in ANSWERS:
        missing = missing_required(filled)
        if not missing:
            break
        for path in missing:
            if not answer_spec(path).required(filled):
                continue  # an earlier filling made it unnecessary
            if not _fill(filled, path, conflicts_of, known_conflicts, riskiest=riskiest):
                # No value fits without a contradiction, which a test of the table of
                # answers prevents: the bounds then stay as open as they can be.
                return Status.NOT_ADVISED if riskiest else Status.INCOMPLETE
    return status_of(filled)


def _fill(
    filled: Consult,
    path: str,
    conflicts_of: Callable[[Consult], frozenset[str]],
    known_conflicts: frozenset[str],
    *,
    riskiest: bool,
) -> bool:
    """Sets one answer to its safest (or riskiest) value that the model allows and that adds
    no contradiction; False when none does."""
    values = answer_spec(path).fill_values
    for value in reversed(values) if riskiest else values:
        try:
            set_answer_at(filled, path, value)
        except ValidationError:
            continue
        if conflicts_of(filled) <= known_conflicts:
            return True
    return False


def _copy(consult: Consult) -> Consult:
    """A copy whose answers can be set without touching the consult: each section is copied,
    and no value is changed in place (a list answer is replaced, never appended to). Several
    times cheaper than a deep copy, which matters: the window assesses on every click."""
    return consult.model_copy(update=_copied_sections(consult))


def _copied_sections(section: SectionModel) -> dict[str, SectionModel]:
    return {
        name: value.model_copy(update=_copied_sections(value))
        for name, value in section
        if isinstance(value, SectionModel)
    }


def bounds_line(assessment: Assessment) -> str | None:
    """What an incomplete consult can still become, in words, or None when nothing required
    is unknown (a consult incomplete only for a conflict says what to correct instead): the
    note's line under the status, shown under the status in the window too (docs/design.md
    section 8)."""
    if not assessment.missing:
        return None
    best, worst = (_STATUS_WORDS[status] for status in assessment.bounds)
    if best == worst:
        return f"Whatever the remaining answers: {best}."
    if assessment.bounds.best is Status.MAY_DISCUSS:
        return f"The remaining answers decide: anything from {best} to {worst}."
    return f"Whatever the remaining answers: not better than {best}; at worst {worst}."
