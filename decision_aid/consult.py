"""The consult file: the clinician's answers, as pydantic models (docs/design.md section
4).

A consult never holds a patient's name, birth date or record number. Every answer may be
absent, and an absent answer means "unknown" (null for a number or for a list that was not
reviewed), so a consult saved halfway through loads again exactly as it was. "unknown" is a
real answer of its own and is never read as "none": a list answer tells "not reviewed" (null)
from "reviewed, none of these" (an empty list).

Version 2 replaced version 1 in December 2026; a version 1 file is read and brought up to
version 2 by :func:`upgrade`, which also says which questions need an answer again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

SCHEMA_VERSION: Final = 2

# A consult file is a few kilobytes; anything far larger is not a consult, and reading it
# whole would only cost memory before the inevitable refusal.
MAX_FILE_BYTES: Final = 1_000_000


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
    UNSURE = "unsure"


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


class YesNo(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class TeachBack(StrEnum):
    DONE = "done"
    NOT_DONE = "not_done"
    UNKNOWN = "unknown"


def _no_repeats[T](values: list[T] | None) -> list[T] | None:
    """Refuses a list that names the same choice twice: a check box is ticked or it is not."""
    seen: set[T] = set()
    for value in values or ():
        if value in seen:
            raise ValueError(f"{value!s} is listed twice")
        seen.add(value)
    return values


class _Section(BaseModel):
    # validate_assignment: the window edits a live consult, and a wrong value must be refused
    # where it is set, not when the file is saved.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    def __setattr__(self, name: str, value: Any) -> None:
        # pydantic stores an assigned value before it runs a check of the whole section (PHQ-9
        # item 9 within the total) and keeps it when that check refuses it: the refused value
        # would stay in the consult and be saved into a file that then cannot be opened. The
        # old value is put back.
        if name not in type(self).model_fields:
            super().__setattr__(name, value)
            return
        before = self.__dict__[name]
        try:
            super().__setattr__(name, value)
        except ValidationError:
            self.__dict__[name] = before
            raise


class Patient(_Section):
    age_years: Annotated[StrictInt | None, Field(ge=0, le=120)] = None
    # Infusion doses are per kilogram; the note shows it.
    weight_kg: Annotated[StrictInt | None, Field(ge=30, le=300)] = None
    pregnancy: Pregnancy = Pregnancy.UNKNOWN
    # The one place the handout's language is kept: every control that shows it edits this.
    handout_language: Language = Language.EN


class Fibromyalgia(_Section):
    diagnosis: Diagnosis = Diagnosis.UNKNOWN
    symptom_months: Annotated[StrictInt | None, Field(ge=0, le=1200)] = None
    wpi: Annotated[StrictInt | None, Field(ge=0, le=19)] = None
    sss: Annotated[StrictInt | None, Field(ge=0, le=12)] = None
    # How many of the five ACR 2016 regions have pain; 4 or more is generalized pain.
    pain_regions: Annotated[StrictInt | None, Field(ge=0, le=5)] = None
    pain_nrs: Annotated[StrictInt | None, Field(ge=0, le=10)] = None


class PriorTreatment(_Section):
    therapy: Therapy
    outcome: Outcome = Outcome.UNKNOWN


class Comorbidities(_Section):
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


class Safety(_Section):
    cardiovascular: Cardiovascular = Cardiovascular.UNKNOWN
    vascular_hazard: Presence = Presence.UNKNOWN
    liver: Liver = Liver.UNKNOWN
    psychosis: Psychosis = Psychosis.UNKNOWN
    bipolar: Bipolar = Bipolar.UNKNOWN
    intracranial_pressure: Pressure = Pressure.UNKNOWN
    intraocular_pressure: Pressure = Pressure.UNKNOWN
    urinary_symptoms: Presence = Presence.UNKNOWN
    hyperthyroidism: Presence = Presence.UNKNOWN
    sleep_apnea: Presence = Presence.UNKNOWN
    porphyria: Presence = Presence.UNKNOWN
    ketamine_hypersensitivity: Hypersensitivity = Hypersensitivity.UNKNOWN
    # None: not reviewed (unknown); []: reviewed, none of these.
    medications: list[Medication] | None = None

    _unique_medications = field_validator("medications")(_no_repeats)


class SubstanceUse(_Section):
    # Use disorder or misuse, not social use.
    status: SubstanceStatus = SubstanceStatus.UNKNOWN
    # None: not asked (unknown); []: asked, none.
    substances: list[Substance] | None = None

    _unique_substances = field_validator("substances")(_no_repeats)


class Insurance(_Section):
    coverage: Coverage = Coverage.UNKNOWN
    covers_ketamine_for_pain: CoversKetamine = CoversKetamine.UNKNOWN
    can_self_pay: SelfPay = SelfPay.UNSURE


class Sure(_Section):
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


class HandoutGiven(_Section):
    """The handout last printed or saved from this consult; set by the program, never typed."""

    language: Language
    paper: Paper
    content_stamp: Annotated[str, Field(pattern=r"^[0-9a-f]{6,64}$")]


class Decision(_Section):
    leaning: Leaning = Leaning.UNKNOWN
    sure: Sure = Field(default_factory=Sure)
    teach_back: TeachBack = TeachBack.UNKNOWN
    # Asked only when PHQ-9 item 9 is 1 or more: the urgent flag stays until this is "yes".
    self_harm_assessed: YesNo = YesNo.UNKNOWN
    handout: HandoutGiven | None = None


class Consult(_Section):
    """One consult's answers: the whole content of a ``*.consult.json`` file."""

    schema_version: Literal[2] = SCHEMA_VERSION
    patient: Patient = Field(default_factory=Patient)
    fibromyalgia: Fibromyalgia = Field(default_factory=Fibromyalgia)
    # An empty list: no treatment recorded (the rules read it as none tried).
    prior_treatments: list[PriorTreatment] = Field(default_factory=list, max_length=50)
    comorbidities: Comorbidities = Field(default_factory=Comorbidities)
    safety: Safety = Field(default_factory=Safety)
    substance_use: SubstanceUse = Field(default_factory=SubstanceUse)
    insurance: Insurance = Field(default_factory=Insurance)
    priorities: list[Priority] = Field(default_factory=list)
    decision: Decision = Field(default_factory=Decision)

    _unique_priorities = field_validator("priorities")(_no_repeats)

    @field_validator("prior_treatments")
    @classmethod
    def _one_entry_per_therapy(cls, entries: list[PriorTreatment]) -> list[PriorTreatment]:
        _no_repeats([entry.therapy for entry in entries])
        return entries

    def to_json(self) -> str:
        """The consult as the text of a ``*.consult.json`` file (every answer written out)."""
        return self.model_dump_json(indent=2) + "\n"


# Fields the program fills in, not the clinician: not questions, and never "unanswered".
PROGRAM_FIELDS: Final = frozenset({"decision.handout"})


class ConsultError(ValueError):
    """A consult file or text that cannot be read, with a one-line reason naming the field."""


# Fields that look like identifiers get their own message: the refusal is on purpose.
_IDENTIFIER_WORDS: Final = ("name", "birth", "dob", "mrn", "record", "address", "phone", "ssn")


@dataclass(frozen=True, slots=True)
class Upgrade:
    """What reading an older consult file changed: the window says it once, the note and
    ``assess`` name the questions to answer again."""

    from_version: int
    # Dotted paths whose older answer could not be carried over, or that are new and required.
    answer_again: tuple[str, ...]


def parse_consult(text: str | bytes) -> Consult:
    """Reads a consult from the text of a consult file (any schema version this program reads).

    Raises:
        ConsultError: the text is not JSON, repeats a key, has a schema_version this program
            cannot read, or an answer is missing its required parts, out of range or not an
            allowed value.
    """
    return parse_consult_upgrading(text)[0]


def parse_consult_upgrading(text: str | bytes) -> tuple[Consult, Upgrade | None]:
    """As :func:`parse_consult`, and what was upgraded when the file had an older version."""
    try:
        data = json.loads(text, object_pairs_hook=_refuse_repeated_keys)
    except UnicodeDecodeError as error:
        raise ConsultError(f"the file is not UTF-8 text (byte {error.start})") from None
    except RecursionError:
        raise ConsultError("the file is nested too deeply to be a consult") from None
    except json.JSONDecodeError as error:
        raise ConsultError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except ValueError:
        # Python refuses to convert an integer of more than 4,300 digits (a guard against
        # slow conversions); no answer of a consult has more than four.
        raise ConsultError("a number in the file has far too many digits") from None
    try:
        repeated = _repeated_key(data)
    except RecursionError:
        raise ConsultError("the file is nested too deeply to be a consult") from None
    if repeated:
        raise ConsultError(
            f"{repeated}: given twice in one JSON object; a file must say one thing per answer"
        )
    return consult_from_data_upgrading(data)


class _Repeated(dict[str, Any]):
    """A JSON object that named one key twice; which key, so the message can say where."""

    repeated = ""


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of a repeated key: "liver": "severe" then "liver": "none" would be
    # read as none. The object is marked here, and refused once its place is known.
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data and not isinstance(data, _Repeated):
            data = _Repeated(data)
            data.repeated = key
        data[key] = value
    return data


def _repeated_key(data: object, path: str = "") -> str | None:
    """The dotted path of the first key given twice in one object, or None."""
    if isinstance(data, _Repeated):
        return f"{path}.{data.repeated}".lstrip(".")
    children: Any = ()
    if isinstance(data, dict):
        children = ((f"{path}.{_printable_name(key)}", value) for key, value in data.items())
    elif isinstance(data, list):
        children = ((f"{path}[{index}]", value) for index, value in enumerate(data))
    for child_path, value in children:
        found = _repeated_key(value, child_path.lstrip("."))
        if found:
            return found
    return None


def consult_from_data(data: object) -> Consult:
    """Validates already-decoded JSON data as a consult, upgrading older schema versions.

    Raises:
        ConsultError: as for :func:`parse_consult`.
    """
    return consult_from_data_upgrading(data)[0]


def consult_from_data_upgrading(data: object) -> tuple[Consult, Upgrade | None]:
    """As :func:`consult_from_data`, and what was upgraded when the data had an older version."""
    if not isinstance(data, dict):
        raise ConsultError(f"a consult is a JSON object, not {_json_type(data)}")
    version = _schema_version(data)
    try:
        if version == SCHEMA_VERSION:
            return Consult.model_validate(data), None
        # An older file is validated as it was written, so that a message names the field as
        # the file has it, and only then upgraded.
        old = ConsultV1.model_validate(data)
    except ValidationError as error:
        raise ConsultError(describe_validation_error(error)) from None
    return upgrade(old)


def _schema_version(data: dict[str, Any]) -> int:
    """The file's schema version; refuses one from a newer program. A file without one is
    taken as the current version (every version this program wrote states it)."""
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ConsultError(
            f"schema_version: {_short(version)} is not a schema version "
            f"(expected 1 to {SCHEMA_VERSION})"
        )
    if version > SCHEMA_VERSION:
        raise ConsultError(
            f"schema_version: this consult was saved by a newer decision-aid (schema "
            f"version {version}); this one reads schema versions 1 to {SCHEMA_VERSION}. "
            "Update decision-aid to open it."
        )
    return version


# ---------------------------------------------------------------------------------------------
# Version 1 (November 2026), read only to be upgraded


class _PsychosisV1(StrEnum):
    NONE = "none"
    HISTORY = "history"
    ACTIVE = "active"
    UNKNOWN = "unknown"


class _MedicationV1(StrEnum):
    BENZODIAZEPINE = "benzodiazepine"
    OPIOID = "opioid"
    LAMOTRIGINE = "lamotrigine"
    OTHER_CNS_DEPRESSANT = "other_cns_depressant"


class _OutcomeV1(StrEnum):
    NO_BENEFIT = "no_benefit"
    PARTIAL_BENEFIT = "partial_benefit"
    STOPPED_SIDE_EFFECTS = "stopped_side_effects"
    HELPING = "helping"


class _PatientV1(_Section):
    age_years: Annotated[StrictInt | None, Field(ge=0, le=120)] = None
    pregnancy: Pregnancy = Pregnancy.UNKNOWN
    handout_language: Language = Language.EN


class _FibromyalgiaV1(_Section):
    diagnosis: Diagnosis = Diagnosis.UNKNOWN
    symptom_months: Annotated[StrictInt | None, Field(ge=0, le=1200)] = None
    wpi: Annotated[StrictInt | None, Field(ge=0, le=19)] = None
    sss: Annotated[StrictInt | None, Field(ge=0, le=12)] = None
    pain_nrs: Annotated[StrictInt | None, Field(ge=0, le=10)] = None


class _PriorTreatmentV1(_Section):
    therapy: Therapy
    outcome: _OutcomeV1


class _ComorbiditiesV1(_Section):
    depression: Depression = Depression.UNKNOWN
    phq9_total: Annotated[StrictInt | None, Field(ge=0, le=27)] = None
    phq9_item9: Annotated[StrictInt | None, Field(ge=0, le=3)] = None
    crps: Crps = Crps.UNKNOWN


class _SafetyV1(_Section):
    cardiovascular: Cardiovascular = Cardiovascular.UNKNOWN
    liver: Liver = Liver.UNKNOWN
    psychosis: _PsychosisV1 = _PsychosisV1.UNKNOWN
    intracranial_pressure: Pressure = Pressure.UNKNOWN
    intraocular_pressure: Pressure = Pressure.UNKNOWN
    urinary_symptoms: Presence = Presence.UNKNOWN
    ketamine_hypersensitivity: Hypersensitivity = Hypersensitivity.UNKNOWN
    medications: list[_MedicationV1] = Field(default_factory=list)


class _SubstanceUseV1(_Section):
    status: SubstanceStatus = SubstanceStatus.UNKNOWN
    substances: list[Substance] = Field(default_factory=list)


class ConsultV1(_Section):
    """A version 1 consult file, exactly as version 1 of the program accepted it."""

    schema_version: Literal[1]
    patient: _PatientV1 = Field(default_factory=_PatientV1)
    fibromyalgia: _FibromyalgiaV1 = Field(default_factory=_FibromyalgiaV1)
    prior_treatments: list[_PriorTreatmentV1] = Field(default_factory=list, max_length=50)
    comorbidities: _ComorbiditiesV1 = Field(default_factory=_ComorbiditiesV1)
    safety: _SafetyV1 = Field(default_factory=_SafetyV1)
    substance_use: _SubstanceUseV1 = Field(default_factory=_SubstanceUseV1)
    insurance: Insurance = Field(default_factory=Insurance)
    priorities: list[Priority] = Field(default_factory=list)


# Required in version 2 and not asked by version 1: always to be answered again.
_NEW_REQUIRED: Final = (
    "safety.vascular_hazard",
    "safety.bipolar",
    "safety.hyperthyroidism",
    "safety.sleep_apnea",
    "safety.porphyria",
)


def upgrade(old: ConsultV1) -> tuple[Consult, Upgrade]:
    """A version 1 consult as version 2.

    Every answer keeps its meaning, except where version 1 could not tell "not asked" from an
    answer: an empty medication or substance list becomes "not reviewed", and a psychosis
    "history" becomes unknown, since version 1 did not say whether it was one past episode or
    a chronic disorder. The new questions start unknown.

    Raises:
        ConsultError: the old answers cannot be read as version 2 (not expected: every
            version 1 value has a version 2 meaning).
    """
    data = old.model_dump(mode="json")
    data["schema_version"] = SCHEMA_VERSION
    again: list[str] = []
    if data["safety"]["psychosis"] == "history":
        data["safety"]["psychosis"] = Psychosis.UNKNOWN.value
        again.append("safety.psychosis")
    for section, name in (("safety", "medications"), ("substance_use", "substances")):
        if not data[section][name]:
            data[section][name] = None
            again.append(f"{section}.{name}")
    again += _NEW_REQUIRED
    comorbidities = data["comorbidities"]
    total, item9 = comorbidities["phq9_total"], comorbidities["phq9_item9"]
    if total is not None and item9 is not None and item9 > total:
        # Version 1 let item 9 exceed the total; version 2 refuses it. Item 9 is the answer
        # that screens for self-harm, so it is kept and the total asked again.
        comorbidities["phq9_total"] = None
        again.append("comorbidities.phq9_total")
    try:
        consult = Consult.model_validate(data)
    except ValidationError as error:
        raise ConsultError(describe_validation_error(error)) from None
    order = {path: index for index, path in enumerate(field_paths())}
    return consult, Upgrade(
        from_version=old.schema_version, answer_again=tuple(sorted(again, key=order.__getitem__))
    )


def describe_validation_error(error: ValidationError) -> str:
    """One line naming the first bad field, what is wrong and, for a choice, what is allowed."""
    errors = error.errors(include_url=False)
    first = errors[0]
    path = _dotted_path(first["loc"])
    message = _describe_one(first, path)
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return message


def _describe_one(detail: Any, path: str) -> str:
    kind = detail["type"]
    context = detail.get("ctx", {})
    if kind == "extra_forbidden":
        leaf = path.rsplit(".", 1)[-1].lower()
        if any(word in leaf for word in _IDENTIFIER_WORDS):
            return (
                f"{path}: unknown field; a consult never holds a patient's name, birth date "
                "or record number"
            )
        return f"{path}: unknown field"
    if kind == "missing":
        return f"{path}: required here but missing"
    if kind == "enum":
        allowed = context.get("expected", "")
        return f"{path}: {_short(detail['input'])} is not allowed; allowed values: {allowed}"
    if kind == "literal_error":
        return f"{path}: {_short(detail['input'])} is not allowed; expected {context['expected']}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bounds = _bounds_of(path)
        return f"{path}: {_short(detail['input'])} is out of range; allowed {bounds}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{path}: expected a whole number or null, not {_json_type(detail['input'])}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{path}: expected a JSON object, not {_json_type(detail['input'])}"
    if kind == "list_type":
        return f"{path}: expected a list, not {_json_type(detail['input'])}"
    if kind == "too_long":
        return f"{path}: too many entries (at most {context.get('max_length')})"
    if kind == "value_error":
        problem = context.get("error", detail["msg"])
        # A check of the whole object (loc is empty) says itself which fields it compares.
        return f"{path}: {problem}" if detail["loc"] else str(problem)
    return f"{path}: {detail['msg']}"


def _bounds_of(path: str) -> str:
    """The allowed range of a number field, in words."""
    bounds = field_bounds(path)
    return f"{bounds[0]} to {bounds[1]}, or null" if bounds else "within the documented range"


def _leaf(path: str) -> Any:
    """The pydantic field of a dotted answer path, walking nested sections; None if none."""
    model: Any = Consult
    field = None
    for part in path.split("."):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = field.annotation
    return field


def field_bounds(path: str) -> tuple[int, int] | None:
    """The lowest and highest value of a number answer, from the model's own constraints."""
    field = _leaf(path)
    if field is None:
        return None
    low = high = None
    for item in field.metadata:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    if low is None or high is None:
        return None
    return int(low), int(high)


def _dotted_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            name = _printable_name(part)
            path += f".{name}" if path else name
    return path or "(top level)"


def _printable_name(name: str) -> str:
    """A field name as a message can show it: odd or long names quoted and shortened."""
    if re.fullmatch(r"\w{1,40}", name):
        return name
    quoted = json.dumps(name, ensure_ascii=False)
    return quoted if len(quoted) <= 40 else quoted[:36] + '..."'


def _json_type(value: object) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "true/false"
        case int() | float():
            return "a number"
        case str():
            return "text"
        case list():
            return "a list"
        case dict():
            return "an object"
    return type(value).__name__


def _short(value: object) -> str:
    """A bad value, shortened: enough to recognise a typo, never a pasted paragraph."""
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, StrEnum) else value
    return text if len(text) <= 32 else text[:29] + "..."


def field_paths() -> tuple[str, ...]:
    """Every answer's dotted path (``safety.liver``, ``decision.sure.clear_what_matters``), in
    the order of the consult file; the fields the program fills in are not answers."""
    return _FIELD_PATHS


def _paths_of(model: type[BaseModel], prefix: str) -> list[str]:
    paths: list[str] = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = field.annotation
        if name == "schema_version" or path in PROGRAM_FIELDS:
            continue
        if isinstance(annotation, type) and issubclass(annotation, _Section):
            paths.extend(_paths_of(annotation, f"{path}."))
        else:
            paths.append(path)
    return paths


_FIELD_PATHS: Final = tuple(_paths_of(Consult, ""))

_LIST_CHOICES: Final[dict[str, type[StrEnum]]] = {
    "prior_treatments": Therapy,
    "safety.medications": Medication,
    "substance_use.substances": Substance,
    "priorities": Priority,
}

# List answers that tell "not reviewed" (null) from "none of these" (an empty list).
REVIEWED_LISTS: Final = frozenset({"safety.medications", "substance_use.substances"})


def field_choices(path: str) -> tuple[str, ...] | None:
    """The allowed values of a choice or list field, or None for a number field.

    Raises:
        KeyError: the path is not an answer of the consult.
    """
    if path in _LIST_CHOICES:
        return tuple(_LIST_CHOICES[path])
    field = _leaf(path)
    if field is None or path not in _FIELD_PATHS:
        raise KeyError(path)
    annotation = field.annotation
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return tuple(annotation)
    return None


def is_list_field(path: str) -> bool:
    return path in _LIST_CHOICES


def answer_at(consult: Consult, path: str) -> Any:
    """The value of one answer by its dotted path, as the model holds it.

    Raises:
        AttributeError: the path names no field of the consult.
    """
    value: Any = consult
    for part in path.split("."):
        value = getattr(value, part)
    return value


def set_answer_at(consult: Consult, path: str, value: Any) -> None:
    """Sets one answer by its dotted path; the model validates it where it is set.

    Raises:
        pydantic.ValidationError: the value is not allowed there (or breaks a rule that ties
            two answers, such as PHQ-9 item 9 above the total).
    """
    parent_path, _, name = path.rpartition(".")
    parent = answer_at(consult, parent_path) if parent_path else consult
    before = getattr(parent, name)
    try:
        setattr(parent, name, value)
    except ValidationError:
        # pydantic has already stored a value that only its model check refused (item 9
        # above the total); the consult must stay as it was.
        parent.__dict__[name] = before
        raise
