"""What the handout says differently for one consult: pure choices, no layout, no reportlab.

The handout is made to be read, kept and shared, so it is tailored only by answers that are
safe to print (docs/design.md section 6, privacy on paper): the standard options not yet
tried, a CRPS diagnosis, the health plan and whether the patient can pay, the priorities
the clinician recorded, and the status, as one neutral line. No sensitive answer (substance
use, psychosis, bipolar disorder, mood, pregnancy, any other safety answer) changes a word.

:func:`tailor` reduces a consult and its assessment to a :class:`Tailoring`, and the story
of the handout is built from that value alone: it never receives the consult, nor the
assessment (whose findings name the sensitive answers), so no section can print what the
tailoring does not hold. Kept apart from the PDF code so that tests can ask what a consult
gets without rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from decision_aid.catalogue import Status
from decision_aid.consult import Coverage, CoversKetamine, Crps, Priority, SelfPay, Therapy
from decision_aid.rules import MEDICINE_CLASSES

if TYPE_CHECKING:
    from decision_aid.consult import Consult, Language
    from decision_aid.rules import Assessment


class StatusLine(StrEnum):
    """The neutral line on page 1 of a consult that is not advised or not complete."""

    NOT_ADVISED = "not_advised"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class Tailoring:
    """All that one handout may know of its consult (docs/design.md section 6).

    Two consults with equal tailorings get the same handout, word for word, for the same
    content, paper, size, clinic and date.

    Attributes:
        language: the language the handout is printed in.
        status_line: the one neutral status line on page 1, or None for none.
        booking_allowed: whether the cost section may speak of calling the health plan
            before booking (its call script): not when ketamine is not advised.
        untried_options: keys of the standard options with no prior treatment, in the
            handout's order (see :func:`untried_standard_options`).
        shows_crps: a CRPS diagnosis: what the studies found in CRPS is printed.
        coverage: the health plan, which picks the cost section's coverage text.
        prior_auth: the plan covers ketamine for pain with prior authorisation.
        cost_is_hard: no insurance, or cannot pay: lower-cost options come first.
        priorities: what matters to the patient as the clinician recorded it, in the order
            the handout lists them.
    """

    language: Language
    status_line: StatusLine | None
    booking_allowed: bool
    untried_options: tuple[str, ...]
    shows_crps: bool
    coverage: Coverage
    prior_auth: bool
    cost_is_hard: bool
    priorities: tuple[Priority, ...]


def tailor(consult: Consult, assessment: Assessment, language: Language) -> Tailoring:
    """What the handout of a consult may know, and nothing more.

    Args:
        consult: the answers; only those safe to print are read.
        assessment: the consult's assessment; only its status is read, as a status line.
        language: the handout's language.

    Returns:
        The tailoring the handout is built from.
    """
    return Tailoring(
        language=language,
        status_line=status_line(assessment),
        booking_allowed=assumes_booking_allowed(assessment),
        untried_options=untried_standard_options(consult),
        shows_crps=shows_crps(consult),
        coverage=consult.insurance.coverage,
        prior_auth=consult.insurance.covers_ketamine_for_pain is CoversKetamine.YES_PRIOR_AUTH,
        cost_is_hard=cost_is_hard(consult),
        # In the handout's order, so that the order they were recorded in tells nothing.
        priorities=tuple(priority for priority in Priority if priority in consult.priorities),
    )


def status_line(assessment: Assessment) -> StatusLine | None:
    """The one status line the handout prints, if any: never the reasons behind it."""
    if assessment.status is Status.NOT_ADVISED:
        return StatusLine.NOT_ADVISED
    if assessment.status is Status.INCOMPLETE:
        return StatusLine.INCOMPLETE
    return None


def shows_crps(consult: Consult) -> bool:
    return consult.comorbidities.crps is Crps.DIAGNOSED


def assumes_booking_allowed(assessment: Assessment) -> bool:
    """Whether the handout may speak of calling the health plan before booking: not when
    ketamine is not advised."""
    return assessment.status is not Status.NOT_ADVISED


def cost_is_hard(consult: Consult) -> bool:
    """No insurance, or cannot pay for an infusion: lower-cost options come first.

    Self-pay not asked counts as possibly hard: the handout must not read as if paying were
    settled when nobody asked, and the line it adds ("If cost is hard for you: ask your care
    team which choices cost less") is conditional, true for anyone."""
    insurance = consult.insurance
    return insurance.coverage is Coverage.UNINSURED or insurance.can_self_pay in (
        SelfPay.NO,
        SelfPay.UNKNOWN,
    )


# Therapies the EULAR guideline names besides exercise and medicines (psychological therapy,
# multimodal rehabilitation); the handout names them too when they have not been tried.
_OTHER_THERAPIES = (Therapy.CBT, Therapy.MULTIDISCIPLINARY_REHAB)


def untried_standard_options(consult: Consult) -> tuple[str, ...]:
    """Keys of the standard options with no entry among the prior treatments.

    The same logic as :func:`decision_aid.rules.untried_options` (exercise, then each medicine
    class), plus talk therapy and team rehabilitation, as keys the handout texts translate.
    """
    tried = {entry.therapy for entry in consult.prior_treatments}
    untried = [] if Therapy.EXERCISE in tried else ["exercise"]
    untried += [name for name, members in MEDICINE_CLASSES.items() if not tried & set(members)]
    untried += [therapy.value for therapy in _OTHER_THERAPIES if therapy not in tried]
    return tuple(untried)
