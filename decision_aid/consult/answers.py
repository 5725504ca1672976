"""One row per answer of the consult: the one place that says, for each question, when it is
required, in which schema version it was first asked, how an older file's value is read, the
order of its values from safest to riskiest, and whether the handout may be tailored by it
(docs/design.md sections 4, 5 and 6; docs/development.md, "Add a question").

Everything else is derived from this table: the required answers and which are missing
(``rules.missing_answers``), the questions an older file must answer again (``v1.upgrade``),
the FHIR Questionnaire's ``required`` items, the note's optional questions, and the tests'
tables (required answers, risk orders, answers the handout must never see). A test checks
that the table has one row for every answer of the model, in the file's order.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from decision_aid.consult.model import (
    Consult,
    Coverage,
    Depression,
    KetamineExposure,
    KetamineHarm,
    Medication,
    Substance,
    SubstanceStatus,
)
from decision_aid.consult.paths import field_choices, field_paths

if TYPE_CHECKING:
    from collections.abc import Callable


class Need(StrEnum):
    """When an answer must be known before the assessment is complete."""

    # Leaving it unknown could hide a stop or caution finding (docs/design.md section 5).
    ALWAYS = "always"
    # Only when another answer calls for it: the row's condition says when.
    WHEN = "when"
    OPTIONAL = "optional"


@dataclass(frozen=True, slots=True)
class Reread:
    """An older file's value whose meaning changed: it is read as ``new``, and the question
    is asked again (the window names it once, the note and ``assess`` list it)."""

    # Files of this schema version and older.
    up_to_version: int
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class AnswerSpec:
    """One answer of the consult (one row of :data:`ANSWERS`)."""

    path: str
    need: Need = Need.OPTIONAL
    # With Need.WHEN: whether the consult calls for this answer, and that condition in words.
    when: Callable[[Consult], bool] | None = None
    when_text: str = ""
    # The schema version whose form first asked it: an older file must answer it again when
    # it is always required.
    since: int = 1
    rereads: tuple[Reread, ...] = ()
    # The known values from safest to riskiest, where the answer has such an order: a
    # riskier value never gives a safer status (a property the tests check). The first is
    # the answer of a consult with no finding.
    risk_order: tuple[str, ...] = ()
    # Whether the handout may say something different because of this answer (privacy on
    # paper, docs/design.md section 6): every other answer may never change a word of it.
    tailors_handout: bool = False
    # The values the assessment's bounds fill this answer with when it is required and
    # unknown, from safest to riskiest (docs/design.md section 5): the risk order itself
    # unless a number or a list needs values of its own. The safest and the riskiest are
    # tried first, then the next along the order when one would contradict a known answer.
    fill_order: tuple[object, ...] = ()
    # Values that count as unknown where the answer is required, besides "unknown" and null
    # (a suicide-risk assessment "not assessed" has no outcome for the rules to use).
    also_unknown: tuple[str, ...] = ()
    # For an optional answer that only some consults ask (how an earlier ketamine course
    # helped; the plan's answer when there is a plan): whether this consult asks it. A
    # Need.WHEN answer is asked when it is required.
    asked_when: Callable[[Consult], bool] | None = None
    # When it is asked, in words (the window's greyed question says it).
    asked_text: str = ""

    @property
    def fill_values(self) -> tuple[object, ...]:
        """The values the bounds try, from safest to riskiest."""
        return self.fill_order or self.risk_order

    def required(self, consult: Consult) -> bool:
        """Whether this consult needs the answer known before its assessment is complete."""
        if self.need is Need.ALWAYS:
            return True
        return self.need is Need.WHEN and self.when is not None and self.when(consult)

    def asked(self, consult: Consult) -> bool:
        """Whether this consult asks the question at all (an unanswered question that is not
        asked leaves nothing undone)."""
        if self.need is Need.WHEN:
            return self.required(consult)
        return self.asked_when is None or self.asked_when(consult)

    def unknown(self, value: object) -> bool:
        """Whether a value of this answer leaves it unknown."""
        return is_unknown(value) or value in self.also_unknown


def is_unknown(value: object) -> bool:
    """An answer not given: "unknown", or null (a number not entered, a list not reviewed)."""
    return value is None or value == "unknown"


def _substances_asked_for(consult: Consult) -> bool:
    return consult.substance_use.status in (SubstanceStatus.IN_REMISSION, SubstanceStatus.ACTIVE)


_DEPRESSED: Final = (Depression.CURRENT, Depression.TREATMENT_RESISTANT)


def _total_asked_for(consult: Consult) -> bool:
    return consult.comorbidities.depression in _DEPRESSED


def _item9_asked_for(consult: Consult) -> bool:
    comorbidities = consult.comorbidities
    return comorbidities.depression in _DEPRESSED or (
        comorbidities.phq9_total is not None and comorbidities.phq9_total >= 10
    )


def _suicide_risk_asked_for(consult: Consult) -> bool:
    item9 = consult.comorbidities.phq9_item9
    return item9 is not None and item9 >= 1


_EXPOSED: Final = (
    KetamineExposure.PAST_COURSE,
    KetamineExposure.ESKETAMINE_NOW,
    KetamineExposure.OTHER_KETAMINE_NOW,
)


def _response_asked_for(consult: Consult) -> bool:
    return consult.ketamine_exposure.status in _EXPOSED


def _plan_asked_for(consult: Consult) -> bool:
    # An uninsured patient has no plan to ask about (docs/design.md section 4).
    return consult.insurance.coverage is not Coverage.UNINSURED


def _harms_asked_for(consult: Consult) -> bool:
    return consult.ketamine_exposure.status in _EXPOSED or (
        Substance.KETAMINE_OR_DISSOCIATIVES in (consult.substance_use.substances or ())
    )


_ALWAYS: Final = Need.ALWAYS
_NONE_PRESENT: Final = ("none", "present")

# Every answer, in the order of the consult file.
ANSWERS: Final[tuple[AnswerSpec, ...]] = (
    # Any adult age under 65 gives the same findings as 40; under 18 is out of scope.
    AnswerSpec("patient.age_years", _ALWAYS, fill_order=(40, 65, 17)),
    AnswerSpec("patient.weight_kg", since=2),
    AnswerSpec(
        "patient.pregnancy",
        _ALWAYS,
        risk_order=("not_applicable", "no", "planning", "breastfeeding", "pregnant"),
    ),
    AnswerSpec("patient.handout_language", tailors_handout=True),
    AnswerSpec("fibromyalgia.diagnosis"),
    AnswerSpec("fibromyalgia.symptom_months"),
    AnswerSpec("fibromyalgia.wpi"),
    AnswerSpec("fibromyalgia.sss"),
    AnswerSpec("fibromyalgia.pain_regions", since=2),
    AnswerSpec("fibromyalgia.pain_nrs"),
    AnswerSpec("prior_treatments", tailors_handout=True),
    AnswerSpec(
        "comorbidities.depression",
        _ALWAYS,
        risk_order=("none", "current", "treatment_resistant"),
    ),
    AnswerSpec(
        "comorbidities.phq9_total",
        Need.WHEN,
        _total_asked_for,
        "when depression is current or treatment-resistant",
        fill_order=tuple(range(28)),
    ),
    AnswerSpec(
        "comorbidities.phq9_item9",
        Need.WHEN,
        _item9_asked_for,
        "when depression is current or treatment-resistant, or the PHQ-9 total is 10 or more",
        fill_order=(0, 1, 2, 3),
    ),
    AnswerSpec("comorbidities.crps", tailors_handout=True),
    AnswerSpec(
        "safety.cardiovascular", _ALWAYS, risk_order=("none", "controlled", "poorly_controlled")
    ),
    AnswerSpec(
        "safety.heart_or_stroke_event", _ALWAYS, since=3, risk_order=("none", "earlier", "recent")
    ),
    AnswerSpec("safety.vascular_hazard", _ALWAYS, since=2, risk_order=_NONE_PRESENT),
    AnswerSpec("safety.liver", _ALWAYS, risk_order=("none", "mild_moderate", "severe")),
    AnswerSpec(
        "safety.psychosis",
        _ALWAYS,
        # Version 1's "history" was one past episode or a chronic disorder: not to be guessed.
        rereads=(Reread(1, "history", "unknown"),),
        risk_order=("none", "past_episode", "chronic_disorder", "active"),
    ),
    AnswerSpec("safety.bipolar", _ALWAYS, since=2, risk_order=("none", "history")),
    AnswerSpec("safety.dissociative_disorder", _ALWAYS, since=3, risk_order=_NONE_PRESENT),
    AnswerSpec("safety.intracranial_pressure", _ALWAYS, risk_order=("normal", "raised")),
    AnswerSpec(
        "safety.intraocular_pressure",
        _ALWAYS,
        # Version 2's "raised" also covered controlled open-angle glaucoma, now its own value.
        rereads=(Reread(2, "raised", "unknown"),),
        risk_order=("normal", "controlled_glaucoma", "raised"),
    ),
    AnswerSpec("safety.urinary_symptoms", _ALWAYS, risk_order=_NONE_PRESENT),
    AnswerSpec("safety.hyperthyroidism", _ALWAYS, since=2, risk_order=_NONE_PRESENT),
    AnswerSpec("safety.sleep_apnea", _ALWAYS, since=2, risk_order=_NONE_PRESENT),
    AnswerSpec("safety.porphyria", _ALWAYS, since=2, risk_order=_NONE_PRESENT),
    AnswerSpec("safety.ketamine_hypersensitivity", _ALWAYS, risk_order=("no", "yes")),
    # Version 1 wrote an empty list both for "none of these" and for "not asked"; version 2's
    # "none of these" was never asked of the medicines version 3 added.
    AnswerSpec(
        "safety.medications",
        _ALWAYS,
        rereads=(Reread(2, [], None),),
        fill_order=([], [str(medication) for medication in Medication]),
    ),
    AnswerSpec(
        "ketamine_exposure.status",
        _ALWAYS,
        since=3,
        risk_order=("none", "past_course", "esketamine_now", "other_ketamine_now"),
    ),
    AnswerSpec(
        "ketamine_exposure.response",
        since=3,
        asked_when=_response_asked_for,
        asked_text="asked with a past course or a current treatment",
    ),
    AnswerSpec(
        "ketamine_exposure.harms",
        Need.WHEN,
        _harms_asked_for,
        "when ketamine or esketamine was or is taken (a course, a current treatment, or "
        "ketamine among the substances used)",
        since=3,
        fill_order=([], [str(harm) for harm in KetamineHarm]),
    ),
    AnswerSpec("substance_use.status", _ALWAYS, risk_order=("none", "in_remission", "active")),
    AnswerSpec(
        "substance_use.substances",
        Need.WHEN,
        _substances_asked_for,
        "when substance use is in remission or active",
        rereads=(Reread(1, [], None),),
        # Asked only with use in remission or active, where "none of these" contradicts it.
        fill_order=(["other"], [str(substance) for substance in Substance]),
    ),
    AnswerSpec("insurance.coverage", tailors_handout=True),
    AnswerSpec(
        "insurance.covers_ketamine_for_pain",
        tailors_handout=True,
        asked_when=_plan_asked_for,
        asked_text="not asked when the patient is uninsured",
    ),
    AnswerSpec("insurance.can_self_pay", tailors_handout=True),
    AnswerSpec("priorities", tailors_handout=True),
    AnswerSpec("decision.leaning", since=2),
    AnswerSpec("decision.sure.sure_of_best_choice", since=2),
    AnswerSpec("decision.sure.knows_benefits_and_risks", since=2),
    AnswerSpec("decision.sure.clear_what_matters", since=2),
    AnswerSpec("decision.sure.has_support_and_advice", since=2),
    AnswerSpec("decision.teach_back", since=2),
    AnswerSpec(
        "decision.suicide_risk",
        Need.WHEN,
        _suicide_risk_asked_for,
        "when PHQ-9 item 9 is 1 or more",
        since=3,
        risk_order=("low", "moderate", "high"),
        also_unknown=("not_assessed",),
    ),
)

_BY_PATH: Final = {spec.path: spec for spec in ANSWERS}

# The answers every consult needs, and those that other answers call for, in file order.
ALWAYS_REQUIRED: Final = tuple(spec.path for spec in ANSWERS if spec.need is Need.ALWAYS)
CONDITIONALLY_REQUIRED: Final = tuple(spec.path for spec in ANSWERS if spec.need is Need.WHEN)

_REQUIRED: Final = tuple(
    (spec, operator.attrgetter(spec.path)) for spec in ANSWERS if spec.need is not Need.OPTIONAL
)


def answer_spec(path: str) -> AnswerSpec:
    """The row of one answer.

    Raises:
        KeyError: the path is not an answer of the consult.
    """
    return _BY_PATH[path]


def missing_required(consult: Consult) -> tuple[str, ...]:
    """The required answers this consult still leaves unknown, as dotted paths in file order."""
    return tuple(
        spec.path
        for spec, get in _REQUIRED
        if spec.required(consult) and spec.unknown(get(consult))
    )


def new_required_since(version: int) -> tuple[str, ...]:
    """The always-required answers a file of ``version`` was never asked, in file order."""
    return tuple(spec.path for spec in ANSWERS if spec.need is Need.ALWAYS and spec.since > version)


def table_problems(answers: tuple[AnswerSpec, ...] = ANSWERS) -> list[str]:
    """What is wrong with a table of answers against the model (empty when it is right):
    checked by a test, so that a new field without a row, or a row whose values the model
    does not allow, fails at once."""
    problems: list[str] = []
    rows = [spec.path for spec in answers]
    if rows != list(field_paths()):
        problems.append("the rows are not the model's answers, one each, in file order")
    for spec in answers:
        if (spec.need is Need.WHEN) != (spec.when is not None) or (
            spec.need is Need.WHEN and not spec.when_text
        ):
            problems.append(f"{spec.path}: a condition and its words go with Need.WHEN only")
        if (spec.asked_when is None) != (not spec.asked_text):
            problems.append(f"{spec.path}: asked_when and its words go together")
        if spec.risk_order and spec.path in field_paths():
            allowed = set(field_choices(spec.path) or ()) - {"unknown"}
            if set(spec.risk_order) - allowed or len(set(spec.risk_order)) != len(spec.risk_order):
                problems.append(f"{spec.path}: the risk order names values the model lacks")
    return problems
