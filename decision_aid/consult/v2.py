"""Version 2 of the consult file (December 2026, before schema 3), read only to be brought up
to the current version (``consult/upgrade.py``).

Only what version 3 changed is kept here; the sections version 3 left as they were are its
own. A version 2 file is validated against these models first, so that a value version 2
never allowed (a version 3 medicine, "controlled_glaucoma") is refused with the field named
as the file has it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator

from decision_aid.consult.model import (
    Bipolar,
    Cardiovascular,
    Comorbidities,
    Fibromyalgia,
    HandoutGiven,
    Hypersensitivity,
    Insurance,
    Leaning,
    Liver,
    Outcome,
    Patient,
    Presence,
    Pressure,
    Priority,
    Psychosis,
    SectionModel,
    SubstanceUse,
    Sure,
    TeachBack,
    YesNo,
    no_repeats,
)


class TherapyV2(StrEnum):
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


class _MedicationV2(StrEnum):
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


class _PriorTreatmentV2(SectionModel):
    therapy: TherapyV2
    outcome: Outcome = Outcome.UNKNOWN


class _SafetyV2(SectionModel):
    cardiovascular: Cardiovascular = Cardiovascular.UNKNOWN
    vascular_hazard: Presence = Presence.UNKNOWN
    liver: Liver = Liver.UNKNOWN
    psychosis: Psychosis = Psychosis.UNKNOWN
    bipolar: Bipolar = Bipolar.UNKNOWN
    intracranial_pressure: Pressure = Pressure.UNKNOWN
    # "raised" also covered controlled open-angle glaucoma, a value of its own in version 3.
    intraocular_pressure: Pressure = Pressure.UNKNOWN
    urinary_symptoms: Presence = Presence.UNKNOWN
    hyperthyroidism: Presence = Presence.UNKNOWN
    sleep_apnea: Presence = Presence.UNKNOWN
    porphyria: Presence = Presence.UNKNOWN
    ketamine_hypersensitivity: Hypersensitivity = Hypersensitivity.UNKNOWN
    medications: list[_MedicationV2] | None = None

    _unique_medications = field_validator("medications")(no_repeats)


class _DecisionV2(SectionModel):
    leaning: Leaning = Leaning.UNKNOWN
    sure: Sure = Field(default_factory=Sure)
    teach_back: TeachBack = TeachBack.UNKNOWN
    # Whether suicide risk was assessed, not its outcome: version 3 asks the outcome.
    self_harm_assessed: YesNo = YesNo.UNKNOWN
    handout: HandoutGiven | None = None


class ConsultV2(SectionModel):
    """A version 2 consult file, exactly as version 2 of the program accepted it."""

    schema_version: Literal[2]
    patient: Patient = Field(default_factory=Patient)
    fibromyalgia: Fibromyalgia = Field(default_factory=Fibromyalgia)
    prior_treatments: list[_PriorTreatmentV2] = Field(default_factory=list, max_length=50)
    comorbidities: Comorbidities = Field(default_factory=Comorbidities)
    safety: _SafetyV2 = Field(default_factory=_SafetyV2)
    substance_use: SubstanceUse = Field(default_factory=SubstanceUse)
    insurance: Insurance = Field(default_factory=Insurance)
    priorities: list[Priority] = Field(default_factory=list)
    decision: _DecisionV2 = Field(default_factory=_DecisionV2)

    @field_validator("prior_treatments")
    @classmethod
    def _one_entry_per_therapy(cls, entries: list[_PriorTreatmentV2]) -> list[_PriorTreatmentV2]:
        no_repeats([entry.therapy for entry in entries])
        return entries
