"""The consult file: the clinician's answers, as pydantic models (docs/design.md section
4).

A consult never holds a patient's name, birth date or record number. Every answer may be
absent, and an absent answer means "unknown" (null for a number or for a list that was not
reviewed), so a consult saved halfway through loads again exactly as it was. "unknown" is a
real answer of its own and is never read as "none": a list answer tells "not reviewed" (null)
from "reviewed, none of these" (an empty list).

Version 3 replaced version 2 in December 2026 (and version 2 version 1 a month before); an
older file is read as it was written and brought up to version 3 by :func:`upgrade`, which
also says which questions need an answer again.

The parts, each importing only those before it: ``model`` (the version 3 models), ``paths``
(answers by dotted path), ``answers`` (one row per answer: when it is required, since which
version, how an older value reads), ``errors`` (a validation error in one line), ``v1``
and ``v2`` (the older versions as they were written), ``upgrade`` (an older file read as
version 3) and ``reading`` (a consult from a file's text). This module
gathers their public names.
"""

from decision_aid.consult.answers import (
    ALWAYS_REQUIRED,
    ANSWERS,
    CONDITIONALLY_REQUIRED,
    AnswerSpec,
    Need,
    Reread,
    answer_spec,
    is_unknown,
    missing_required,
    new_required_since,
)
from decision_aid.consult.errors import (
    ConsultError,
    describe_validation_error,
    escape_unprintable,
)
from decision_aid.consult.model import (
    PROGRAM_FIELDS,
    SCHEMA_VERSION,
    Bipolar,
    Cardiovascular,
    Comorbidities,
    Consult,
    Coverage,
    CoversKetamine,
    Crps,
    Decision,
    Depression,
    Diagnosis,
    EyePressure,
    Fibromyalgia,
    HandoutGiven,
    HeartOrStrokeEvent,
    Hypersensitivity,
    Insurance,
    KetamineExposure,
    KetamineHarm,
    KetamineHistory,
    KetamineResponse,
    Language,
    Leaning,
    Liver,
    Medication,
    Outcome,
    Paper,
    Patient,
    Pregnancy,
    Presence,
    Pressure,
    Priority,
    PriorTreatment,
    Psychosis,
    Safety,
    SelfPay,
    Substance,
    SubstanceStatus,
    SubstanceUse,
    SuicideRisk,
    Sure,
    TeachBack,
    Therapy,
    YesNo,
)
from decision_aid.consult.paths import (
    REVIEWED_LISTS,
    answer_at,
    field_bounds,
    field_choices,
    field_paths,
    is_list_field,
    set_answer_at,
)
from decision_aid.consult.reading import (
    MAX_FILE_BYTES,
    consult_from_data,
    consult_from_data_upgrading,
    load_json_marking_repeats,
    parse_consult,
    parse_consult_upgrading,
    repeated_key_of,
)
from decision_aid.consult.upgrade import (
    Upgrade,
    upgrade,
)

__all__ = [
    "escape_unprintable",
    "ALWAYS_REQUIRED",
    "ANSWERS",
    "CONDITIONALLY_REQUIRED",
    "MAX_FILE_BYTES",
    "PROGRAM_FIELDS",
    "REVIEWED_LISTS",
    "SCHEMA_VERSION",
    "AnswerSpec",
    "Bipolar",
    "Cardiovascular",
    "Comorbidities",
    "Consult",
    "ConsultError",
    "Coverage",
    "CoversKetamine",
    "Crps",
    "Decision",
    "Depression",
    "Diagnosis",
    "EyePressure",
    "Fibromyalgia",
    "HandoutGiven",
    "HeartOrStrokeEvent",
    "Hypersensitivity",
    "Insurance",
    "KetamineExposure",
    "KetamineHarm",
    "KetamineHistory",
    "KetamineResponse",
    "Language",
    "Leaning",
    "Liver",
    "Medication",
    "Need",
    "Outcome",
    "Paper",
    "Patient",
    "Pregnancy",
    "Presence",
    "Pressure",
    "PriorTreatment",
    "Priority",
    "Psychosis",
    "Reread",
    "Safety",
    "SelfPay",
    "Substance",
    "SubstanceStatus",
    "SubstanceUse",
    "SuicideRisk",
    "Sure",
    "TeachBack",
    "Therapy",
    "Upgrade",
    "YesNo",
    "answer_at",
    "answer_spec",
    "consult_from_data",
    "consult_from_data_upgrading",
    "describe_validation_error",
    "field_bounds",
    "field_choices",
    "field_paths",
    "load_json_marking_repeats",
    "is_list_field",
    "is_unknown",
    "missing_required",
    "new_required_since",
    "parse_consult",
    "parse_consult_upgrading",
    "repeated_key_of",
    "set_answer_at",
    "upgrade",
]
