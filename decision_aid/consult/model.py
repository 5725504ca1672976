"""The consult file's models (schema version 4): every answer, its allowed values and range.

Each section validates a value where it is set (the window edits a live consult); every
answer may be absent, and absent means "unknown". Schema 4 added the trial plan and the
course (``consult/plan.py``); the answers of section 4 are those of schema 3, unchanged.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import Field, StrictInt, field_validator, model_validator

from decision_aid.consult.base import SectionModel, SuicideRisk, YesNo, no_repeats
from decision_aid.consult.plan import MAX_VISITS, CourseEnd, Plan, Visit, course_problem

SCHEMA_VERSION: Final = 4
# The version whose files are read as this one with no plan and no course, and nothing to
# answer again (docs/design.md section 13.1).
PLANLESS_VERSION: Final = 3

__all__ = ["SectionModel", "SuicideRisk", "YesNo", "no_repeats"]


class Pregnancy(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    NO = "no"
    PREGNANT = "pregnant"
    BREASTFEEDING = "breastfeeding"
    PLANNING = "planning"
    UNKNOWN = "unknown"


class Language(StrEnum):
    EN = "en"
    ES = "es"


class Paper(StrEnum):
    """The paper size a handout is laid out for."""

    LETTER = "letter"
    A4 = "a4"


class Diagnosis(StrEnum):
    CONFIRMED = "confirmed"
    SUSPECTED = "suspected"
    NOT_DIAGNOSED = "not_diagnosed"
    UNKNOWN = "unknown"


class Therapy(StrEnum):
    EDUCATION = "education"
    EXERCISE = "exercise"
    CBT = "cbt"
    # A psychological therapy other than CBT (acceptance and commitment therapy, psychotherapy
    # for depression): it counts as the psychological step for mood problems (EULAR).
    OTHER_PSYCHOLOGICAL_THERAPY = "other_psychological_therapy"
    MINDFUL_MOVEMENT = "mindful_movement"
    DULOXETINE = "duloxetine"
    MILNACIPRAN = "milnacipran"
    PREGABALIN = "pregabalin"
    GABAPENTIN = "gabapentin"
    AMITRIPTYLINE = "amitriptyline"
    CYCLOBENZAPRINE = "cyclobenzaprine"
    TRAMADOL = "tramadol"
    MULTIDISCIPLINARY_REHAB = "multidisciplinary_rehab"
    OTHER = "other"


class Outcome(StrEnum):
    NO_BENEFIT = "no_benefit"
    PARTIAL_BENEFIT = "partial_benefit"
    STOPPED_SIDE_EFFECTS = "stopped_side_effects"
    HELPING = "helping"
    # A ticked therapy starts here: how it went is never assumed.
    UNKNOWN = "unknown"


class Depression(StrEnum):
    NONE = "none"
    CURRENT = "current"
    TREATMENT_RESISTANT = "treatment_resistant"
    UNKNOWN = "unknown"


class Crps(StrEnum):
    NONE = "none"
    SUSPECTED = "suspected"
    DIAGNOSED = "diagnosed"
    UNKNOWN = "unknown"


class Cardiovascular(StrEnum):
    NONE = "none"
    CONTROLLED = "controlled"
    POORLY_CONTROLLED = "poorly_controlled"
    UNKNOWN = "unknown"


class HeartOrStrokeEvent(StrEnum):
    """A heart attack, another acute coronary syndrome, a stroke or a TIA: in the last 6
    months (or severe coronary or heart-muscle disease now), or only longer ago."""

    NONE = "none"
    RECENT = "recent"
    EARLIER = "earlier"
    UNKNOWN = "unknown"


class Presence(StrEnum):
    """A condition that is there or not (urinary symptoms, a vascular hazard, porphyria...)."""

    NONE = "none"
    PRESENT = "present"
    UNKNOWN = "unknown"


class Liver(StrEnum):
    NONE = "none"
    MILD_MODERATE = "mild_moderate"
    SEVERE = "severe"
    UNKNOWN = "unknown"


class Psychosis(StrEnum):
    NONE = "none"
    PAST_EPISODE = "past_episode"
    CHRONIC_DISORDER = "chronic_disorder"
    ACTIVE = "active"
    UNKNOWN = "unknown"


class Bipolar(StrEnum):
    NONE = "none"
    HISTORY = "history"
    UNKNOWN = "unknown"


class Pressure(StrEnum):
    NORMAL = "normal"
    RAISED = "raised"
    UNKNOWN = "unknown"


class EyePressure(StrEnum):
    NORMAL = "normal"
    # Open-angle glaucoma or ocular hypertension, the pressure controlled on treatment.
    CONTROLLED_GLAUCOMA = "controlled_glaucoma"
    # Angle-closure or narrow-angle glaucoma, uncontrolled glaucoma, or pressure raised now.
    RAISED = "raised"
    UNKNOWN = "unknown"


class Hypersensitivity(StrEnum):
    NO = "no"
    YES = "yes"
    UNKNOWN = "unknown"


class Medication(StrEnum):
    BENZODIAZEPINE = "benzodiazepine"
    OPIOID = "opioid"
    GABAPENTINOID = "gabapentinoid"
    OTHER_CNS_DEPRESSANT = "other_cns_depressant"
    LAMOTRIGINE = "lamotrigine"
    THEOPHYLLINE = "theophylline"
    STIMULANT = "stimulant"
    MAOI = "maoi"
    THYROID_HORMONE = "thyroid_hormone"
    MEMANTINE_OR_DEXTROMETHORPHAN = "memantine_or_dextromethorphan"
    BUPROPION = "bupropion"
    # A strong inhibitor or inducer of CYP3A4 or CYP2B6, the enzymes that break ketamine down.
    CYP_INHIBITOR_OR_INDUCER = "cyp_inhibitor_or_inducer"


class KetamineExposure(StrEnum):
    """Earlier or current ketamine or esketamine treatment (recreational use is substance use)."""

    NONE = "none"
    PAST_COURSE = "past_course"
    ESKETAMINE_NOW = "esketamine_now"
    OTHER_KETAMINE_NOW = "other_ketamine_now"
    UNKNOWN = "unknown"


class KetamineResponse(StrEnum):
    GOOD_BENEFIT = "good_benefit"
    PARTIAL_BENEFIT = "partial_benefit"
    NO_BENEFIT = "no_benefit"
    UNKNOWN = "unknown"


class KetamineHarm(StrEnum):
    LIVER_INJURY = "liver_injury"
    BLADDER_INJURY = "bladder_injury"
    MISUSE = "misuse"
    SEVERE_PSYCHIATRIC_REACTION = "severe_psychiatric_reaction"
    BLOOD_PRESSURE_EVENT = "blood_pressure_event"


class SubstanceStatus(StrEnum):
    NONE = "none"
    IN_REMISSION = "in_remission"
    ACTIVE = "active"
    UNKNOWN = "unknown"


class Substance(StrEnum):
    ALCOHOL = "alcohol"
    OPIOIDS = "opioids"
    STIMULANTS = "stimulants"
    CANNABIS = "cannabis"
    SEDATIVES = "sedatives"
    KETAMINE_OR_DISSOCIATIVES = "ketamine_or_dissociatives"
    OTHER = "other"


class Coverage(StrEnum):
    COMMERCIAL = "commercial"
    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    MILITARY = "military"
    UNINSURED = "uninsured"
    OTHER = "other"
    UNKNOWN = "unknown"


class CoversKetamine(StrEnum):
    YES_PRIOR_AUTH = "yes_prior_auth"
    NO = "no"
    UNKNOWN = "unknown"


class SelfPay(StrEnum):
    YES = "yes"
    NO = "no"
    # Asked, and not settled: the patient does not know yet.
    UNSURE = "unsure"
    # Not asked: where a new consult starts (a file that says "unsure" keeps it).
    UNKNOWN = "unknown"


class Priority(StrEnum):
    QUICK_RELIEF = "quick_relief"
    LASTING_RELIEF = "lasting_relief"
    AVOID_SIDE_EFFECTS = "avoid_side_effects"
    COST = "cost"
    TIME_AND_TRAVEL = "time_and_travel"
    PROVEN_TREATMENTS = "proven_treatments"


class Leaning(StrEnum):
    KEEP_CURRENT_CARE = "keep_current_care"
    STANDARD_OPTION = "standard_option"
    KETAMINE = "ketamine"
    RESEARCH_STUDY = "research_study"
    UNSURE = "unsure"
    UNKNOWN = "unknown"


class TeachBack(StrEnum):
    DONE = "done"
    NOT_DONE = "not_done"
    UNKNOWN = "unknown"


class Patient(SectionModel):
    age_years: Annotated[StrictInt | None, Field(ge=0, le=120)] = None
    # Infusion doses are per kilogram; the note shows it.
    weight_kg: Annotated[StrictInt | None, Field(ge=30, le=300)] = None
    pregnancy: Pregnancy = Pregnancy.UNKNOWN
    # The one place the handout's language is kept: every control that shows it edits this.
    handout_language: Language = Language.EN


class Fibromyalgia(SectionModel):
    diagnosis: Diagnosis = Diagnosis.UNKNOWN
    symptom_months: Annotated[StrictInt | None, Field(ge=0, le=1200)] = None
    wpi: Annotated[StrictInt | None, Field(ge=0, le=19)] = None
    sss: Annotated[StrictInt | None, Field(ge=0, le=12)] = None
    # How many of the five ACR 2016 regions have pain; 4 or more is generalized pain.
    pain_regions: Annotated[StrictInt | None, Field(ge=0, le=5)] = None
    pain_nrs: Annotated[StrictInt | None, Field(ge=0, le=10)] = None


class PriorTreatment(SectionModel):
    therapy: Therapy
    outcome: Outcome = Outcome.UNKNOWN


class Comorbidities(SectionModel):
    depression: Depression = Depression.UNKNOWN
    phq9_total: Annotated[StrictInt | None, Field(ge=0, le=27)] = None
    phq9_item9: Annotated[StrictInt | None, Field(ge=0, le=3)] = None
    crps: Crps = Crps.UNKNOWN

    @model_validator(mode="after")
    def _item9_within_total(self) -> Comorbidities:
        # Item 9 is one of the nine items that make up the total: a total below it was
        # mistyped, and neither number can be trusted until one is corrected.
        total, item9 = self.phq9_total, self.phq9_item9
        if total is not None and item9 is not None and item9 > total:
            raise ValueError(
                f"PHQ-9 item 9 ({item9}) cannot exceed the PHQ-9 total ({total}): item 9 is "
                "part of the total"
            )
        return self


class Safety(SectionModel):
    cardiovascular: Cardiovascular = Cardiovascular.UNKNOWN
    heart_or_stroke_event: HeartOrStrokeEvent = HeartOrStrokeEvent.UNKNOWN
    vascular_hazard: Presence = Presence.UNKNOWN
    liver: Liver = Liver.UNKNOWN
    psychosis: Psychosis = Psychosis.UNKNOWN
    bipolar: Bipolar = Bipolar.UNKNOWN
    dissociative_disorder: Presence = Presence.UNKNOWN
    intracranial_pressure: Pressure = Pressure.UNKNOWN
    intraocular_pressure: EyePressure = EyePressure.UNKNOWN
    urinary_symptoms: Presence = Presence.UNKNOWN
    hyperthyroidism: Presence = Presence.UNKNOWN
    sleep_apnea: Presence = Presence.UNKNOWN
    porphyria: Presence = Presence.UNKNOWN
    ketamine_hypersensitivity: Hypersensitivity = Hypersensitivity.UNKNOWN
    # None: not reviewed (unknown); []: reviewed, none of these.
    medications: list[Medication] | None = None

    _unique_medications = field_validator("medications")(no_repeats)


class KetamineHistory(SectionModel):
    status: KetamineExposure = KetamineExposure.UNKNOWN
    # How the past or current treatment helped; asked with a course or a current treatment.
    response: KetamineResponse = KetamineResponse.UNKNOWN
    # None: not asked (unknown); []: asked, none.
    harms: list[KetamineHarm] | None = None

    _unique_harms = field_validator("harms")(no_repeats)


class SubstanceUse(SectionModel):
    # Use disorder or misuse, not social use.
    status: SubstanceStatus = SubstanceStatus.UNKNOWN
    # None: not asked (unknown); []: asked, none.
    substances: list[Substance] | None = None

    _unique_substances = field_validator("substances")(no_repeats)


class Insurance(SectionModel):
    coverage: Coverage = Coverage.UNKNOWN
    covers_ketamine_for_pain: CoversKetamine = CoversKetamine.UNKNOWN
    can_self_pay: SelfPay = SelfPay.UNKNOWN


class Sure(SectionModel):
    """The four SURE items (Legare 2010); any "no" suggests decisional conflict."""

    sure_of_best_choice: YesNo = YesNo.UNKNOWN
    knows_benefits_and_risks: YesNo = YesNo.UNKNOWN
    clear_what_matters: YesNo = YesNo.UNKNOWN
    has_support_and_advice: YesNo = YesNo.UNKNOWN

    def score(self) -> tuple[int, int]:
        """(items answered yes, items answered at all)."""
        answers = [self.sure_of_best_choice, self.knows_benefits_and_risks]
        answers += [self.clear_what_matters, self.has_support_and_advice]
        return (
            sum(item is YesNo.YES for item in answers),
            sum(item is not YesNo.UNKNOWN for item in answers),
        )


class HandoutGiven(SectionModel):
    """The handout last printed or saved from this consult; set by the program, never typed."""

    language: Language
    paper: Paper
    content_stamp: Annotated[str, Field(pattern=r"^[0-9a-f]{6,64}$")]


class Decision(SectionModel):
    leaning: Leaning = Leaning.UNKNOWN
    sure: Sure = Field(default_factory=Sure)
    teach_back: TeachBack = TeachBack.UNKNOWN
    # Asked when PHQ-9 item 9 is 1 or more: the urgent flag stays until an outcome other than
    # high is recorded.
    suicide_risk: SuicideRisk = SuicideRisk.UNKNOWN
    handout: HandoutGiven | None = None


class Consult(SectionModel):
    """One consult's answers: the whole content of a ``*.consult.json`` file."""

    schema_version: Literal[4] = SCHEMA_VERSION
    patient: Patient = Field(default_factory=Patient)
    fibromyalgia: Fibromyalgia = Field(default_factory=Fibromyalgia)
    # An empty list: no treatment recorded (the rules read it as none tried).
    prior_treatments: list[PriorTreatment] = Field(default_factory=list, max_length=50)
    comorbidities: Comorbidities = Field(default_factory=Comorbidities)
    safety: Safety = Field(default_factory=Safety)
    ketamine_exposure: KetamineHistory = Field(default_factory=KetamineHistory)
    substance_use: SubstanceUse = Field(default_factory=SubstanceUse)
    insurance: Insurance = Field(default_factory=Insurance)
    priorities: list[Priority] = Field(default_factory=list)
    decision: Decision = Field(default_factory=Decision)
    # Schema 4: the trial plan (null until the clinician makes one), the visits of the course
    # in the order they happened, and how the course ended (null while it goes on).
    plan: Plan | None = None
    course: list[Visit] = Field(default_factory=list, max_length=MAX_VISITS)
    course_end: CourseEnd | None = None

    _unique_priorities = field_validator("priorities")(no_repeats)

    @field_validator("schema_version", mode="before")
    @classmethod
    def _planless_version(cls, version: object) -> object:
        # A version 3 consult is a version 4 one without a plan or a course (the reader
        # refuses either in a version 3 file): it is read as 4, and saved as 4.
        return SCHEMA_VERSION if type(version) is int and version == PLANLESS_VERSION else version

    @field_validator("prior_treatments")
    @classmethod
    def _one_entry_per_therapy(cls, entries: list[PriorTreatment]) -> list[PriorTreatment]:
        no_repeats([entry.therapy for entry in entries])
        return entries

    @model_validator(mode="after")
    def _course_is_possible(self) -> Consult:
        problem = course_problem(self.course, self.plan is not None)
        if problem:
            raise ValueError(problem)
        return self

    def add_visit(self, visit: Visit) -> None:
        """Adds a visit at the end of the course, validated with the visits before it.

        Raises:
            ValueError: the course has ended (docs/design.md section 13.8), or there are
                already as many visits as a course may have.
            pydantic.ValidationError: the visit does not follow the ones before it (its day,
                its infusion number) or there is no plan; the course is unchanged.
        """
        if self.course_end is not None:
            raise ValueError("the course has ended: no visit can be added after its end")
        if len(self.course) >= MAX_VISITS:
            raise ValueError(f"a course has at most {MAX_VISITS} visits")
        self.course = [*self.course, visit]

    def to_json(self) -> str:
        """The consult as the text of a ``*.consult.json`` file (every answer written out)."""
        return self.model_dump_json(indent=2) + "\n"


# Fields the program fills in, not the clinician: not questions, and never "unanswered".
PROGRAM_FIELDS: Final = frozenset({"decision.handout"})
# Schema 4's parts: a record of their own, judged by the course assessment, whose answers are
# not among section 4's questions (their required answers are the course's, section 13.1).
COURSE_PARTS: Final = frozenset({"plan", "course", "course_end"})
