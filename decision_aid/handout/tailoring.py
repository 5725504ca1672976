"""What the handout says differently for one consult: pure choices, no layout, no reportlab.

The handout is made to be read, kept and shared, so it is tailored only by answers that are
safe to print (docs/design.md section 6, privacy on paper): the standard options not yet
tried, a CRPS diagnosis, the health plan and whether the patient can pay, the priorities
the clinician recorded, and the status, as one neutral line. No sensitive answer (substance
use, psychosis, bipolar disorder, mood, pregnancy, any other safety answer) changes a word.
Kept apart from the PDF code so that tests can ask what a consult gets without rendering.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from decision_aid.catalogue import Status
from decision_aid.consult import Coverage, Crps, SelfPay, Therapy
from decision_aid.rules import MEDICINE_CLASSES

if TYPE_CHECKING:
    from decision_aid.consult import Consult
    from decision_aid.rules import Assessment


class StatusLine(StrEnum):
    """The neutral line on page 1 of a consult that is not advised or not complete."""

    NOT_ADVISED = "not_advised"
    INCOMPLETE = "incomplete"


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
    """No insurance, or cannot pay for an infusion: lower-cost options come first."""
    insurance = consult.insurance
    return insurance.coverage is Coverage.UNINSURED or insurance.can_self_pay is SelfPay.NO


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
