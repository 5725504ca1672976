"""Hypothesis strategies for valid version 2 consults, built from the consult model's own
choices (docs/design.md section 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

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


def _reviewed_list(enum: type[StrEnum]) -> st.SearchStrategy[list[str] | None]:
    """None (not reviewed or not asked), [] (none of these) or some of the choices."""
    return st.none() | st.just([]) | _subset(enum)


def _section(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A section whose fields are each sometimes absent (absent is unknown)."""
    return st.fixed_dictionaries({}, optional=fields)


@st.composite
def _comorbidities(draw: st.DrawFn) -> dict[str, Any]:
    """Comorbidity answers where PHQ-9 item 9 never exceeds the total (item 9 is part of it)."""
    data = draw(
        _section(
            depression=_choice(model.Depression),
            phq9_total=_number(0, 27),
            crps=_choice(model.Crps),
        )
    )
    if draw(st.booleans()):
        total = data.get("phq9_total")
        data["phq9_item9"] = draw(_number(0, 3 if total is None else min(3, total)))
    return data


def _prior_treatments() -> st.SearchStrategy[list[dict[str, str]]]:
    return st.lists(
        st.fixed_dictionaries(
            {"therapy": _choice(model.Therapy)}, optional={"outcome": _choice(model.Outcome)}
        ),
        max_size=8,
        unique_by=lambda entry: entry["therapy"],
    )


def handouts() -> st.SearchStrategy[dict[str, str]]:
    """decision.handout as the program records it."""
    return st.fixed_dictionaries(
        {
            "language": _choice(model.Language),
            "paper": _choice(model.Paper),
            "content_stamp": st.text("0123456789abcdef", min_size=6, max_size=64),
        }
    )


def consult_data() -> st.SearchStrategy[dict[str, Any]]:
    """JSON data of a valid version 2 consult; sections and fields are sometimes absent
    (= unknown)."""
    return st.fixed_dictionaries(
        {"schema_version": st.just(2)},
        optional={
            "patient": _section(
                age_years=_number(0, 120),
                weight_kg=_number(30, 300),
                pregnancy=_choice(model.Pregnancy),
                handout_language=_choice(model.Language),
            ),
            "fibromyalgia": _section(
                diagnosis=_choice(model.Diagnosis),
                symptom_months=_number(0, 1200),
                wpi=_number(0, 19),
                sss=_number(0, 12),
                pain_regions=_number(0, 5),
                pain_nrs=_number(0, 10),
            ),
            "prior_treatments": _prior_treatments(),
            "comorbidities": _comorbidities(),
            "safety": _section(
                cardiovascular=_choice(model.Cardiovascular),
                vascular_hazard=_choice(model.Presence),
                liver=_choice(model.Liver),
                psychosis=_choice(model.Psychosis),
                bipolar=_choice(model.Bipolar),
                intracranial_pressure=_choice(model.Pressure),
                intraocular_pressure=_choice(model.Pressure),
                urinary_symptoms=_choice(model.Presence),
                hyperthyroidism=_choice(model.Presence),
                sleep_apnea=_choice(model.Presence),
                porphyria=_choice(model.Presence),
                ketamine_hypersensitivity=_choice(model.Hypersensitivity),
                medications=_reviewed_list(model.Medication),
            ),
            "substance_use": _section(
                status=_choice(model.SubstanceStatus),
                substances=_reviewed_list(model.Substance),
            ),
            "insurance": _section(
                coverage=_choice(model.Coverage),
                covers_ketamine_for_pain=_choice(model.CoversKetamine),
                can_self_pay=_choice(model.SelfPay),
            ),
            "priorities": _subset(model.Priority),
            "decision": _section(
                leaning=_choice(model.Leaning),
                sure=_section(
                    sure_of_best_choice=_choice(model.YesNo),
                    knows_benefits_and_risks=_choice(model.YesNo),
                    clear_what_matters=_choice(model.YesNo),
                    has_support_and_advice=_choice(model.YesNo),
                ),
                teach_back=_choice(model.TeachBack),
                self_harm_assessed=_choice(model.YesNo),
                handout=st.none() | handouts(),
            ),
        },
    )


def consults() -> st.SearchStrategy[model.Consult]:
    return consult_data().map(model.Consult.model_validate)


def _known(enum: type[StrEnum]) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum if member.value != "unknown"])


# The safety answers with their safest value, and the type of their known values.
_SAFETY: Final[dict[str, tuple[str, type[StrEnum]]]] = {
    "cardiovascular": ("none", model.Cardiovascular),
    "vascular_hazard": ("none", model.Presence),
    "liver": ("none", model.Liver),
    "psychosis": ("none", model.Psychosis),
    "bipolar": ("none", model.Bipolar),
    "intracranial_pressure": ("normal", model.Pressure),
    "intraocular_pressure": ("normal", model.Pressure),
    "urinary_symptoms": ("none", model.Presence),
    "hyperthyroidism": ("none", model.Presence),
    "sleep_apnea": ("none", model.Presence),
    "porphyria": ("none", model.Presence),
    "ketamine_hypersensitivity": ("no", model.Hypersensitivity),
}


@st.composite
def complete_consult_data(draw: st.DrawFn) -> dict[str, Any]:
    """JSON data of a consult with every required answer known (docs/design.md section 5), the
    conditional ones included; the optional answers vary as in :func:`consult_data`. Such a
    consult is never incomplete for a gap, only for a conflict. Most safety answers are the
    safest one and a few are drawn from all known values, so that every status occurs."""
    data = draw(consult_data())
    data["patient"] = {
        **data.get("patient", {}),
        "age_years": draw(st.integers(18, 120) | st.integers(0, 17)),
        "pregnancy": draw(_known(model.Pregnancy)),
    }
    total = data.get("comorbidities", {}).get("phq9_total")
    data["comorbidities"] = {
        **data.get("comorbidities", {}),
        "depression": draw(_known(model.Depression)),
        "phq9_item9": draw(st.integers(0, 3 if total is None else min(3, total))),
    }
    risky = draw(st.sets(st.sampled_from(sorted(_SAFETY)), max_size=3))
    data["safety"] = {
        name: draw(_known(enum)) if name in risky else safest
        for name, (safest, enum) in _SAFETY.items()
    }
    data["safety"]["medications"] = draw(st.just([]) | _subset(model.Medication))
    data["substance_use"] = {
        "status": draw(_known(model.SubstanceStatus)),
        "substances": draw(st.just([]) | _subset(model.Substance)),
    }
    return data
