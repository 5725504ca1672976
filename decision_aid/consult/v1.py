"""Version 1 of the consult file (November 2026), read only to be brought up to version 2."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, StrictInt, ValidationError

from decision_aid.consult.answers import ANSWERS, new_required_since
from decision_aid.consult.errors import ConsultError, describe_validation_error
from decision_aid.consult.model import (
    SCHEMA_VERSION,
    Cardiovascular,
    Consult,
    Crps,
    Depression,
    Diagnosis,
    Hypersensitivity,
    Insurance,
    Language,
    Liver,
    Pregnancy,
    Presence,
    Pressure,
    Priority,
    SectionModel,
    Substance,
    SubstanceStatus,
    Therapy,
)
from decision_aid.consult.paths import field_paths


@dataclass(frozen=True, slots=True)
class Upgrade:
    """What reading an older consult file changed: the window says it once, the note and
    ``assess`` name the questions to answer again."""

    from_version: int
    # Dotted paths whose older answer could not be carried over, or that are new and required.
    answer_again: tuple[str, ...]


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


class _PatientV1(SectionModel):
    age_years: Annotated[StrictInt | None, Field(ge=0, le=120)] = None
    pregnancy: Pregnancy = Pregnancy.UNKNOWN
    handout_language: Language = Language.EN


class _FibromyalgiaV1(SectionModel):
    diagnosis: Diagnosis = Diagnosis.UNKNOWN
    symptom_months: Annotated[StrictInt | None, Field(ge=0, le=1200)] = None
    wpi: Annotated[StrictInt | None, Field(ge=0, le=19)] = None
    sss: Annotated[StrictInt | None, Field(ge=0, le=12)] = None
    pain_nrs: Annotated[StrictInt | None, Field(ge=0, le=10)] = None


class _PriorTreatmentV1(SectionModel):
    therapy: Therapy
    outcome: _OutcomeV1


class _ComorbiditiesV1(SectionModel):
    depression: Depression = Depression.UNKNOWN
    phq9_total: Annotated[StrictInt | None, Field(ge=0, le=27)] = None
    phq9_item9: Annotated[StrictInt | None, Field(ge=0, le=3)] = None
    crps: Crps = Crps.UNKNOWN


class _SafetyV1(SectionModel):
    cardiovascular: Cardiovascular = Cardiovascular.UNKNOWN
    liver: Liver = Liver.UNKNOWN
    psychosis: _PsychosisV1 = _PsychosisV1.UNKNOWN
    intracranial_pressure: Pressure = Pressure.UNKNOWN
    intraocular_pressure: Pressure = Pressure.UNKNOWN
    urinary_symptoms: Presence = Presence.UNKNOWN
    ketamine_hypersensitivity: Hypersensitivity = Hypersensitivity.UNKNOWN
    medications: list[_MedicationV1] = Field(default_factory=list)


class _SubstanceUseV1(SectionModel):
    status: SubstanceStatus = SubstanceStatus.UNKNOWN
    substances: list[Substance] = Field(default_factory=list)


class ConsultV1(SectionModel):
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


def upgrade(old: ConsultV1) -> tuple[Consult, Upgrade]:
    """A version 1 consult as version 2.

    Every answer keeps its meaning, except where version 1 could not tell "not asked" from an
    answer: an empty medication or substance list becomes "not reviewed", and a psychosis
    "history" becomes unknown, since version 1 did not say whether it was one past episode or
    a chronic disorder (the rows' ``rereads`` in ``consult/answers.py``). The new questions
    start unknown, and the required ones are asked again.

    Raises:
        ConsultError: the old answers cannot be read as version 2 (not expected: every
            version 1 value has a version 2 meaning).
    """
    data = old.model_dump(mode="json")
    data["schema_version"] = SCHEMA_VERSION
    again = reread_older_answers(data, old.schema_version)
    again += new_required_since(old.schema_version)
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


def reread_older_answers(data: dict[str, Any], version: int) -> list[str]:
    """Reads, in an older file's data, each value whose meaning changed as its table row
    says (``Reread``); returns the paths changed, whose questions are asked again."""
    changed: list[str] = []
    for spec in ANSWERS:
        for reread in spec.rereads:
            if version > reread.up_to_version:
                continue
            *sections, name = spec.path.split(".")
            holder: Any = data
            for section in sections:
                holder = holder.get(section) if isinstance(holder, dict) else None
            if isinstance(holder, dict) and name in holder and holder[name] == reread.old:
                holder[name] = reread.new
                changed.append(spec.path)
    return changed
