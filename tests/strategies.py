"""Hypothesis strategies for valid consults, built from the consult model's own choices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from decision_aid import consult as model

if TYPE_CHECKING:
    from enum import StrEnum


def _choice(enum: type[StrEnum]) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


def _number(low: int, high: int) -> st.SearchStrategy[int | None]:
    return st.none() | st.integers(low, high)


def _subset(enum: type[StrEnum]) -> st.SearchStrategy[list[str]]:
    return st.lists(_choice(enum), unique=True, max_size=len(enum))


def consult_data() -> st.SearchStrategy[dict[str, Any]]:
    """JSON data of a valid consult; sections and fields are sometimes absent (= unknown)."""

    def section(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries({}, optional=fields)

    return st.fixed_dictionaries(
        {"schema_version": st.just(1)},
        optional={
            "patient": section(
                age_years=_number(0, 120),
                pregnancy=_choice(model.Pregnancy),
                handout_language=_choice(model.Language),
            ),
            "fibromyalgia": section(
                diagnosis=_choice(model.Diagnosis),
                symptom_months=_number(0, 1200),
                wpi=_number(0, 19),
                sss=_number(0, 12),
                pain_nrs=_number(0, 10),
            ),
            "prior_treatments": st.lists(
                st.fixed_dictionaries(
                    {"therapy": _choice(model.Therapy), "outcome": _choice(model.Outcome)}
                ),
                max_size=8,
            ),
            "comorbidities": section(
                depression=_choice(model.Depression),
                phq9_total=_number(0, 27),
                phq9_item9=_number(0, 3),
                crps=_choice(model.Crps),
            ),
            "safety": section(
                cardiovascular=_choice(model.Cardiovascular),
                liver=_choice(model.Liver),
                psychosis=_choice(model.Psychosis),
                intracranial_pressure=_choice(model.Pressure),
                intraocular_pressure=_choice(model.Pressure),
                urinary_symptoms=_choice(model.UrinarySymptoms),
                ketamine_hypersensitivity=_choice(model.Hypersensitivity),
                medications=_subset(model.Medication),
            ),
            "substance_use": section(
                status=_choice(model.SubstanceStatus), substances=_subset(model.Substance)
            ),
            "insurance": section(
                coverage=_choice(model.Coverage),
                covers_ketamine_for_pain=_choice(model.CoversKetamine),
                can_self_pay=_choice(model.SelfPay),
            ),
            "priorities": _subset(model.Priority),
        },
    )


def consults() -> st.SearchStrategy[model.Consult]:
    return consult_data().map(model.Consult.model_validate)
