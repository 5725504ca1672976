"""The parts schema 4 adds to the consult: the trial plan, the record of the course visit by
visit, and how the course ended (docs/design.md section 13.1; docs/design.md here, "Trial plan
and course").

No field here holds free text or a date, on purpose: free text is where names and dates creep
in, and time is counted in days since the course's first visit. Every string is one of a fixed
set of values (the plan's rule ids, set by the program, have the shape of a rule id). Numbers
with one decimal (an FIQR total, a liver value as a multiple of the upper limit of normal) are
refused with a second decimal, so the course assessment can judge them in exact tenths.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final

from pydantic import AfterValidator, Field, StrictInt, ValidationInfo, field_validator
from pydantic import model_validator as _model_validator

from decision_aid.consult.base import SectionModel, SuicideRisk, YesNo, no_repeats

# At most this many visits in one course (docs/design.md section 13.1).
MAX_VISITS: Final = 200


def _one_decimal(value: float) -> float:
    # The assessment compares tenths as integers; a second decimal would need a rounding the
    # clinician never chose.
    if round(value, 1) != value:
        raise ValueError(f"{value} has more than one decimal")
    return value


# A number 0 to 100 with at most one decimal: an FIQR total.
Tenths100 = Annotated[
    float,
    Field(ge=0, le=100, strict=True, allow_inf_nan=False),
    AfterValidator(_one_decimal),
]


def tenths(value: float) -> int:
    """A one-decimal number as a whole number of tenths, for exact comparisons."""
    return round(value * 10)


class PlanStatus(StrEnum):
    """The section 5 status when the plan was recorded: a plan is made only at these two."""

    MAY_DISCUSS = "may_discuss"
    SPECIALIST_REVIEW = "specialist_review"


class Measure(StrEnum):
    """A response measure: all the chosen ones must be met (docs/design.md section 13.2)."""

    PAIN_30 = "pain_30"
    PAIN_50 = "pain_50"
    PGIC_MUCH = "pgic_much"
    FIQR_DROP = "fiqr_drop"


PAIN_MEASURES: Final = frozenset({Measure.PAIN_30, Measure.PAIN_50})


class StopRule(StrEnum):
    """A finding the plan makes a stop instead of a caution."""

    BP_DURING = "bp_during"
    DISSOCIATION_SEVERE = "dissociation_severe"
    SIDE_EFFECTS_NOT_ACCEPTABLE = "side_effects_not_acceptable"
    BLADDER_NEW = "bladder_new"
    LIVER_RAISED = "liver_raised"
    MISUSE_SIGNS = "misuse_signs"


class BladderSymptom(StrEnum):
    FREQUENCY = "frequency"
    URGENCY = "urgency"
    PAIN = "pain"
    BLOOD = "blood"


class Infusion(StrEnum):
    GIVEN = "given"
    # Started, and stopped before the planned end for any reason.
    STOPPED_EARLY = "stopped_early"
    NOT_GIVEN = "not_given"


WITH_INFUSION: Final = frozenset({Infusion.GIVEN, Infusion.STOPPED_EARLY})


class Pgic(StrEnum):
    """Patient Global Impression of Change, from best to worst: the names are stored, never
    the numbers, which versions of the scale run in opposite directions."""

    VERY_MUCH_IMPROVED = "very_much_improved"
    MUCH_IMPROVED = "much_improved"
    MINIMALLY_IMPROVED = "minimally_improved"
    NO_CHANGE = "no_change"
    MINIMALLY_WORSE = "minimally_worse"
    MUCH_WORSE = "much_worse"
    VERY_MUCH_WORSE = "very_much_worse"


class Dissociation(StrEnum):
    """This design's grades, not a source's (no source grades one infusion's dissociation)."""

    NONE = "none"
    # Noticed, not distressing.
    MILD = "mild"
    # Distressing, settled with reassurance; the infusion went on.
    MODERATE = "moderate"
    # The infusion was slowed or stopped for it, or it had not settled before going home.
    SEVERE = "severe"
    UNKNOWN = "unknown"


class SideEffect(StrEnum):
    NAUSEA_OR_VOMITING = "nausea_or_vomiting"
    DIZZINESS = "dizziness"
    SEDATION = "sedation"
    HEADACHE = "headache"
    BLURRED_VISION = "blurred_vision"
    ANXIETY = "anxiety"
    HALLUCINATIONS_OR_NIGHTMARES = "hallucinations_or_nightmares"
    # Breathing slowed, or the oxygen saturation fell.
    BREATHING_PROBLEM = "breathing_problem"
    OTHER = "other"


class MisuseSign(StrEnum):
    """The clinician's judgement, not a validated tool."""

    ASKS_SOONER_OR_MORE = "asks_sooner_or_more"
    KETAMINE_ELSEWHERE = "ketamine_elsewhere"
    OTHER_CONCERN = "other_concern"


class LiverTestStatus(StrEnum):
    DONE = "done"
    PENDING = "pending"


class EndReason(StrEnum):
    PLAN_COMPLETED = "plan_completed"
    NOT_RESPONDING = "not_responding"
    STOP_RULE = "stop_rule"
    SIDE_EFFECTS = "side_effects"
    PATIENT_CHOICE = "patient_choice"
    OTHER = "other"


# A rule id of the section 5 catalogue, as the program records it (the catalogue sits beside
# the consult package, not below it, so the shape is checked here and the ids by the rules).
RuleId = Annotated[str, Field(pattern=r"^(caution|first|urgent)\.[a-z0-9_]{1,40}$")]


class PlanBaseline(SectionModel):
    # Average pain over the past 7 days, asked when the plan is made.
    pain_week: Annotated[StrictInt | None, Field(ge=0, le=10)] = None
    fiqr_total: Tenths100 | None = None
    # None: not asked (unknown); []: asked, none before infusion 1.
    bladder: list[BladderSymptom] | None = None

    _unique_bladder = field_validator("bladder")(no_repeats)


class Plan(SectionModel):
    """The trial the clinician and the patient agreed before infusion 1."""

    # Set by the program when the plan is recorded, never typed.
    made_at_status: PlanStatus
    made_with_findings: list[RuleId] = Field(default_factory=list, max_length=100)
    specialist_agreed: YesNo = YesNo.UNKNOWN
    measures: list[Measure] = Field(default_factory=list)
    # The clinician's choice, no default: no checked minimal important change exists for the
    # FIQR.
    fiqr_drop_percent: Annotated[StrictInt | None, Field(ge=5, le=50)] = None
    # The clinician's choice with the patient, no default: no source gives this number.
    judge_after_infusions: Annotated[StrictInt | None, Field(ge=1, le=20)] = None
    stop_rules: list[StopRule] = Field(default_factory=list)
    # None: no scheduled liver tests; k: before infusion 1 and every k-th infusion after it.
    liver_tests_every: Annotated[StrictInt | None, Field(ge=1, le=20)] = None
    baseline: PlanBaseline = Field(default_factory=PlanBaseline)

    _unique_findings = field_validator("made_with_findings")(no_repeats)
    _unique_stop_rules = field_validator("stop_rules")(no_repeats)

    @field_validator("measures")
    @classmethod
    def _measures(cls, measures: list[Measure]) -> list[Measure]:
        no_repeats(measures)
        if set(measures) >= PAIN_MEASURES:
            raise ValueError("choose at most one of pain_30 and pain_50 (50% less is 30% less)")
        return measures

    @_model_validator(mode="after")
    def _pain_to_fall_from(self) -> Plan:
        if set(self.measures) & PAIN_MEASURES and self.baseline.pain_week == 0:
            raise ValueError(
                "baseline.pain_week: 0 leaves no fall to expect; with a pain measure it "
                "must be 1 or more"
            )
        return self


class BloodPressure(SectionModel):
    systolic: Annotated[StrictInt, Field(ge=60, le=260)]
    diastolic: Annotated[StrictInt, Field(ge=30, le=160)]

    @field_validator("diastolic")
    @classmethod
    def _below_systolic(cls, diastolic: int, info: ValidationInfo) -> int:
        systolic = info.data.get("systolic")
        if systolic is not None and diastolic >= systolic:
            raise ValueError(f"{diastolic} must be below the systolic ({systolic})")
        return diastolic


# A liver value as a multiple of the laboratory's upper limit of normal.
UlnMultiple = Annotated[
    float,
    Field(ge=0, le=100, strict=True, allow_inf_nan=False),
    AfterValidator(_one_decimal),
]


class LiverTest(SectionModel):
    status: LiverTestStatus
    alt: UlnMultiple | None = None
    ast: UlnMultiple | None = None
    alp: UlnMultiple | None = None
    bilirubin: UlnMultiple | None = None

    @_model_validator(mode="after")
    def _done_has_a_transaminase(self) -> LiverTest:
        if self.status is LiverTestStatus.DONE and self.alt is None and self.ast is None:
            raise ValueError("a liver test that is done needs ALT or AST")
        return self


class Visit(SectionModel):
    """One day the patient came, with an infusion or without one. Measures are taken before
    that day's infusion unless the field says otherwise."""

    infusion: Infusion
    # The count of visits with an infusion up to and including this one; null without one.
    infusion_number: Annotated[StrictInt | None, Field(ge=1, le=MAX_VISITS)] = None
    # Days since the course's first visit: never a calendar date.
    day: Annotated[StrictInt, Field(ge=0, le=3650)]
    # Average pain over the past 7 days: the response measure.
    pain_week: Annotated[StrictInt | None, Field(ge=0, le=10)] = None
    # Pain now, before the infusion and before going home: never used to judge response.
    pain_before: Annotated[StrictInt | None, Field(ge=0, le=10)] = None
    pain_after: Annotated[StrictInt | None, Field(ge=0, le=10)] = None
    pgic: Pgic | None = None
    fiqr_total: Tenths100 | None = None
    bp_before: BloodPressure | None = None
    # The highest systolic reading during and after the infusion, with its diastolic.
    bp_peak: BloodPressure | None = None
    bp_after: BloodPressure | None = None
    dissociation: Dissociation = Dissociation.UNKNOWN
    # The 23-item CADSS total, where a clinic uses it: recorded, never judged.
    cadss_total: Annotated[StrictInt | None, Field(ge=0, le=92)] = None
    # None: not asked (unknown); []: asked, none.
    side_effects: list[SideEffect] | None = None
    side_effects_acceptable: YesNo = YesNo.UNKNOWN
    phq9_item9: Annotated[StrictInt | None, Field(ge=0, le=3)] = None
    suicide_risk: SuicideRisk = SuicideRisk.UNKNOWN
    bladder: list[BladderSymptom] | None = None
    misuse_signs: list[MisuseSign] | None = None
    # None: no liver test at this visit.
    liver: LiverTest | None = None
    screening_reviewed: YesNo = YesNo.UNKNOWN
    # Recorded and summed in the note, never judged: the product gives no dosing advice.
    dose_mg: Annotated[float | None, Field(ge=0, le=1000, strict=True, allow_inf_nan=False)] = None

    _unique_side_effects = field_validator("side_effects")(no_repeats)
    _unique_bladder = field_validator("bladder")(no_repeats)
    _unique_misuse = field_validator("misuse_signs")(no_repeats)

    @property
    def with_infusion(self) -> bool:
        return self.infusion in WITH_INFUSION

    @_model_validator(mode="after")
    def _numbered_when_infused(self) -> Visit:
        if self.with_infusion and self.infusion_number is None:
            raise ValueError(
                f"infusion_number: required with an infusion {self.infusion.value} (the count "
                "of infusions up to and including this visit)"
            )
        if not self.with_infusion and self.infusion_number is not None:
            raise ValueError("infusion_number: must be null when the infusion was not given")
        return self


class CourseEnd(SectionModel):
    reason: EndReason


def course_problem(visits: list[Visit], has_plan: bool) -> str | None:
    """What makes a list of visits impossible as a course, naming the visit's field
    (``course[3].day: ...``), or None: the checks that span visits."""
    if visits and not has_plan:
        return "course: a course needs a plan"
    infusions = 0
    last_day = 0
    for index, visit in enumerate(visits):
        where = f"course[{index}]"
        if index == 0 and visit.day != 0:
            return f"{where}.day: the first visit is day 0 (days count from it), not {visit.day}"
        if visit.day < last_day:
            return f"{where}.day: {visit.day} is before the visit before it (day {last_day})"
        last_day = visit.day
        if visit.with_infusion:
            infusions += 1
            if visit.infusion_number != infusions:
                return (
                    f"{where}.infusion_number: {visit.infusion_number} does not count the "
                    f"infusions; this is infusion {infusions}"
                )
        if index == 0 and visit.pgic is not None:
            return f"{where}.pgic: a change since the course began is not asked at its first visit"
    return None
