"""Version 1 of the consult file (November 2026), read only to be brought up to the current
version (``consult/upgrade.py``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StrictInt

from decision_aid.consult.model import (
    Cardiovascular,
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
)
from decision_aid.consult.v2 import TherapyV2


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
    therapy: TherapyV2
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
