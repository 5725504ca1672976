"""What the handout says differently for one consult: pure choices, no layout, no reportlab.

Kept apart from the PDF code so that tests (and the clinician note) can ask which tailored
sections a consult gets without rendering anything.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from decision_aid.catalogue import Level, Status
from decision_aid.consult import Crps, Depression, SubstanceStatus, Therapy
from decision_aid.rules import MEDICINE_CLASSES

if TYPE_CHECKING:
    from decision_aid.consult import Consult
    from decision_aid.rules import Assessment


class Section(StrEnum):
    """The handout sections that appear only when the answers call for them."""

    CRPS = "crps"
    DEPRESSION = "depression"
    TRD = "trd"
    SUBSTANCE = "substance"
    NOT_ADVISED = "not_advised"


def tailored_sections(consult: Consult, assessment: Assessment) -> tuple[Section, ...]:
    """The tailored sections for a consult, in the order the handout prints them."""
    sections: list[Section] = []
    comorbidities = consult.comorbidities
    if comorbidities.crps is Crps.DIAGNOSED:
        sections.append(Section.CRPS)
    if comorbidities.depression is Depression.CURRENT:
        sections.append(Section.DEPRESSION)
    if comorbidities.depression is Depression.TREATMENT_RESISTANT:
        sections.append(Section.TRD)
    substance = consult.substance_use
    if (
        substance.status in (SubstanceStatus.IN_REMISSION, SubstanceStatus.ACTIVE)
        or substance.substances
    ):
        sections.append(Section.SUBSTANCE)
    if stop_rules(assessment):
        sections.append(Section.NOT_ADVISED)
    return tuple(sections)


def stop_rules(assessment: Assessment) -> tuple[str, ...]:
    """The ids of the stop findings, when the status is not_advised."""
    if assessment.status is not Status.NOT_ADVISED:
        return ()
    return tuple(finding.rule for finding in assessment.findings if finding.level is Level.STOP)


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
