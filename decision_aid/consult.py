"""The consult file: the clinician's answers, as pydantic models (design.md section 4).

A consult never holds a patient's name, birth date or record number. Every answer may be
absent, and an absent answer means "unknown" (null for a number, an empty list for a list), so
a consult saved halfway through loads again exactly as it was. "unknown" is a real answer of its
own and is never read as "none".
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator

SCHEMA_VERSION: Final = 1

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


class Liver(StrEnum):
    NONE = "none"
    MILD_MODERATE = "mild_moderate"
    SEVERE = "severe"
    UNKNOWN = "unknown"


class Psychosis(StrEnum):
    NONE = "none"
    HISTORY = "history"
    ACTIVE = "active"
    UNKNOWN = "unknown"


class Pressure(StrEnum):
    NORMAL = "normal"
    RAISED = "raised"
    UNKNOWN = "unknown"


class UrinarySymptoms(StrEnum):
    NONE = "none"
    PRESENT = "present"
    UNKNOWN = "unknown"


class Hypersensitivity(StrEnum):
    NO = "no"
    YES = "yes"
    UNKNOWN = "unknown"


class Medication(StrEnum):
    BENZODIAZEPINE = "benzodiazepine"
    OPIOID = "opioid"
    LAMOTRIGINE = "lamotrigine"
    OTHER_CNS_DEPRESSANT = "other_cns_depressant"


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


def _no_repeats[T](values: list[T]) -> list[T]:
    """Refuses a list that names the same choice twice: a check box is ticked or it is not."""
    seen: set[T] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{value!s} is listed twice")
        seen.add(value)
    return values


class _Section(BaseModel):
    # validate_assignment: the window edits a live consult, and a wrong value must be refused
    # where it is set, not when the file is saved.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Patient(_Section):
    age_years: Annotated[StrictInt | None, Field(ge=0, le=120)] = None
    pregnancy: Pregnancy = Pregnancy.UNKNOWN
    handout_language: Language = Language.EN


class Fibromyalgia(_Section):
    diagnosis: Diagnosis = Diagnosis.UNKNOWN
    symptom_months: Annotated[StrictInt | None, Field(ge=0, le=1200)] = None
    wpi: Annotated[StrictInt | None, Field(ge=0, le=19)] = None
    sss: Annotated[StrictInt | None, Field(ge=0, le=12)] = None
    pain_nrs: Annotated[StrictInt | None, Field(ge=0, le=10)] = None


class PriorTreatment(_Section):
    therapy: Therapy
    outcome: Outcome


class Comorbidities(_Section):
    depression: Depression = Depression.UNKNOWN
    phq9_total: Annotated[StrictInt | None, Field(ge=0, le=27)] = None
    phq9_item9: Annotated[StrictInt | None, Field(ge=0, le=3)] = None
    crps: Crps = Crps.UNKNOWN


class Safety(_Section):
    cardiovascular: Cardiovascular = Cardiovascular.UNKNOWN
    liver: Liver = Liver.UNKNOWN
    psychosis: Psychosis = Psychosis.UNKNOWN
    intracranial_pressure: Pressure = Pressure.UNKNOWN
    intraocular_pressure: Pressure = Pressure.UNKNOWN
    urinary_symptoms: UrinarySymptoms = UrinarySymptoms.UNKNOWN
    ketamine_hypersensitivity: Hypersensitivity = Hypersensitivity.UNKNOWN
    medications: list[Medication] = Field(default_factory=list)

    _unique_medications = field_validator("medications")(_no_repeats)


class SubstanceUse(_Section):
    status: SubstanceStatus = SubstanceStatus.UNKNOWN
    substances: list[Substance] = Field(default_factory=list)

    _unique_substances = field_validator("substances")(_no_repeats)


class Insurance(_Section):
    coverage: Coverage = Coverage.UNKNOWN
    covers_ketamine_for_pain: CoversKetamine = CoversKetamine.UNKNOWN
    can_self_pay: SelfPay = SelfPay.UNSURE


class Consult(_Section):
    """One consult's answers: the whole content of a ``*.consult.json`` file."""

    schema_version: Literal[1] = SCHEMA_VERSION
    patient: Patient = Field(default_factory=Patient)
    fibromyalgia: Fibromyalgia = Field(default_factory=Fibromyalgia)
    prior_treatments: list[PriorTreatment] = Field(default_factory=list, max_length=50)
    comorbidities: Comorbidities = Field(default_factory=Comorbidities)
    safety: Safety = Field(default_factory=Safety)
    substance_use: SubstanceUse = Field(default_factory=SubstanceUse)
    insurance: Insurance = Field(default_factory=Insurance)
    priorities: list[Priority] = Field(default_factory=list)

    _unique_priorities = field_validator("priorities")(_no_repeats)

    def to_json(self) -> str:
        """The consult as the text of a ``*.consult.json`` file (every answer written out)."""
        return self.model_dump_json(indent=2) + "\n"


class ConsultError(ValueError):
    """A consult file or text that cannot be read, with a one-line reason naming the field."""


# Fields that look like identifiers get their own message: the refusal is on purpose.
_IDENTIFIER_WORDS: Final = ("name", "birth", "dob", "mrn", "record", "address", "phone", "ssn")


def parse_consult(text: str | bytes) -> Consult:
    """Reads a consult from the text of a consult file.

    Raises:
        ConsultError: the text is not JSON, has a schema_version this program cannot read, or
            an answer is missing its required parts, out of range or not an allowed value.
    """
    try:
        data = json.loads(text)
    except UnicodeDecodeError as error:
        raise ConsultError(f"the file is not UTF-8 text (byte {error.start})") from None
    except RecursionError:
        raise ConsultError("the file is nested too deeply to be a consult") from None
    except json.JSONDecodeError as error:
        raise ConsultError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    return consult_from_data(data)


def consult_from_data(data: object) -> Consult:
    """Validates already-decoded JSON data as a consult, migrating older schema versions.

    Raises:
        ConsultError: as for :func:`parse_consult`.
    """
    if not isinstance(data, dict):
        raise ConsultError(f"a consult is a JSON object, not {_json_type(data)}")
    data = _migrate(data)
    try:
        return Consult.model_validate(data)
    except ValidationError as error:
        raise ConsultError(describe_validation_error(error)) from None


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Brings an older consult up to the current schema; refuses one from a newer program.

    Version 1 is the first schema, so there is nothing to migrate yet: an older version
    would be converted here, one step at a time, before validation.
    """
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ConsultError(f"schema_version: {version!r} is not a schema version (expected 1)")
    if version > SCHEMA_VERSION:
        raise ConsultError(
            f"schema_version: this consult was saved by a newer decision-aid (schema "
            f"version {version}); this one reads schema version {SCHEMA_VERSION}. "
            "Update decision-aid to open it."
        )
    return data


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


def field_bounds(path: str) -> tuple[int, int] | None:
    """The lowest and highest value of a number answer, from the model's own constraints."""
    section_name, _, field_name = path.partition(".")
    section = Consult.model_fields.get(section_name)
    annotation = section.annotation if section else None
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return None
    field = annotation.model_fields.get(field_name)
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
    """Every answer's dotted path (``safety.liver``), in the order of the consult file."""
    paths: list[str] = []
    for name, field in Consult.model_fields.items():
        annotation = field.annotation
        if name == "schema_version":
            continue
        if isinstance(annotation, type) and issubclass(annotation, _Section):
            paths.extend(f"{name}.{sub}" for sub in annotation.model_fields)
        else:
            paths.append(name)
    return tuple(paths)


_LIST_CHOICES: Final[dict[str, type[StrEnum]]] = {
    "prior_treatments": Therapy,
    "safety.medications": Medication,
    "substance_use.substances": Substance,
    "priorities": Priority,
}


def field_choices(path: str) -> tuple[str, ...] | None:
    """The allowed values of a choice or list field, or None for a number field."""
    if path in _LIST_CHOICES:
        return tuple(_LIST_CHOICES[path])
    section, _, name = path.partition(".")
    model = Consult.model_fields[section].annotation
    if not (isinstance(model, type) and issubclass(model, _Section)):
        raise KeyError(path)
    annotation = model.model_fields[name].annotation
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return tuple(annotation)
    return None


def is_list_field(path: str) -> bool:
    return path in _LIST_CHOICES
