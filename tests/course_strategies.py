"""Hypothesis strategies for schema 4's plan and course (docs/design.md section 13.1): valid
plans and courses drawn from the model's own choices and bounds, every field sometimes absent
(unknown), and complete ones where every required answer of a course is known.

Each strategy is built once and kept (docs/design.md section 10.1): a strategy built afresh for
every draw is analysed afresh by hypothesis too, which was half the time of the course tests'
generation. The values drawn are the same.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from decision_aid import consult as model
from tests.strategies import consult_data

if TYPE_CHECKING:
    from enum import StrEnum


@functools.cache
def _choice(enum: type[StrEnum]) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


@functools.cache
def _subset(enum: type[StrEnum], min_size: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(_choice(enum), unique=True, min_size=min_size, max_size=len(enum))


@functools.cache
def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


_tenths = st.integers(0, 1000).map(lambda tenths: tenths / 10)


@st.composite
def blood_pressures(draw: st.DrawFn) -> dict[str, int]:
    systolic = draw(st.integers(61, 260))
    return {"systolic": systolic, "diastolic": draw(st.integers(30, min(160, systolic - 1)))}


_MAYBE_TENTHS = _maybe(_tenths)


@st.composite
def liver_tests(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(_choice(model.LiverTestStatus))
    values = {name: draw(_MAYBE_TENTHS) for name in ("alt", "ast", "alp", "bilirubin")}
    if status == "done" and values["alt"] is None and values["ast"] is None:
        values["alt"] = draw(_tenths)
    return {"status": status, **values}


@st.composite
def plan_data(draw: st.DrawFn, complete: bool = False) -> dict[str, Any]:
    measures = draw(_subset(model.Measure, min_size=1))
    if "pain_30" in measures and "pain_50" in measures:
        measures.remove(draw(st.sampled_from(["pain_30", "pain_50"])))
    status = draw(_choice(model.PlanStatus))
    pain_low = 1 if {"pain_30", "pain_50"} & set(measures) else 0
    plan: dict[str, Any] = {
        "made_at_status": status,
        "made_with_findings": sorted(draw(_FINDINGS)),
        "measures": measures,
        "stop_rules": draw(_subset(model.StopRule)),
        "liver_tests_every": draw(_LIVER_TESTS_EVERY),
    }
    baseline = _baseline(pain_low)
    if complete:
        plan |= {name: draw(strategy) for name, strategy in _PLAN_FIELDS.items()}
        plan["specialist_agreed"] = "yes"
        plan["baseline"] = {name: draw(strategy) for name, strategy in baseline.items()}
    else:
        plan |= draw(_SOME_PLAN_FIELDS)
        plan["baseline"] = draw(_some(baseline))
    return plan


_FINDINGS = st.sets(st.sampled_from(["caution.liver", "first.diagnosis", "caution.urinary"]))
_LIVER_TESTS_EVERY = _maybe(st.integers(1, 20))
_PLAN_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "specialist_agreed": _choice(model.YesNo),
    "fiqr_drop_percent": st.integers(5, 50),
    "judge_after_infusions": st.integers(1, 20),
}
_SOME_PLAN_FIELDS = st.fixed_dictionaries({}, optional=_PLAN_FIELDS)


@functools.cache
def _baseline(pain_low: int) -> dict[str, st.SearchStrategy[Any]]:
    return {
        "pain_week": st.integers(pain_low, 10),
        "fiqr_total": _tenths,
        "bladder": _subset(model.BladderSymptom),
    }


_SOME: dict[int, st.SearchStrategy[dict[str, Any]]] = {}


def _some(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Any of ``fields`` (a mapping kept for the run), each drawn or left out."""
    if id(fields) not in _SOME:
        _SOME[id(fields)] = st.fixed_dictionaries({}, optional=fields)
    return _SOME[id(fields)]


@st.composite
def visit_data(
    draw: st.DrawFn, infusion: str, number: int | None, day: int, first: bool, complete: bool
) -> dict[str, Any]:
    with_infusion = infusion != "not_given"
    item9 = draw(st.integers(0, 3)) if complete else draw(_MAYBE_ITEM9)
    known = _known_visit_fields(item9, first, with_infusion)
    visit: dict[str, Any] = {"infusion": infusion, "infusion_number": number, "day": day}
    if complete:
        visit |= {name: draw(strategy) for name, strategy in known.items()}
        visit |= draw(_some(_OPTIONAL_VISIT_FIELDS))
    else:
        visit |= draw(_some(_any_visit_fields(item9, first, with_infusion)))
    return visit


_MAYBE_ITEM9 = _maybe(st.integers(0, 3))
_LIVER = liver_tests()
_BLOOD_PRESSURE = blood_pressures()
_OPTIONAL_VISIT_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "pain_before": st.integers(0, 10),
    "pain_after": st.integers(0, 10),
    "cadss_total": st.integers(0, 92),
    "dose_mg": st.integers(0, 10000).map(lambda tenths: tenths / 10),
}


@functools.cache
def _known_visit_fields(
    item9: int | None, first: bool, with_infusion: bool
) -> dict[str, st.SearchStrategy[Any]]:
    """A visit's required answers, in the order they are drawn."""
    known: dict[str, st.SearchStrategy[Any]] = {
        "pain_week": st.integers(0, 10),
        "phq9_item9": st.just(item9),
        "bladder": _subset(model.BladderSymptom),
        "misuse_signs": _subset(model.MisuseSign),
        "screening_reviewed": st.sampled_from(["yes", "no"]),
        "fiqr_total": _tenths,
        "liver": _LIVER,
    }
    if not first:
        known["pgic"] = _choice(model.Pgic)
    if item9 is not None and item9 >= 1:
        known["suicide_risk"] = st.sampled_from(["low", "moderate", "high"])
    if with_infusion:
        known |= {
            "bp_before": _BLOOD_PRESSURE,
            "bp_peak": _BLOOD_PRESSURE,
            "bp_after": _BLOOD_PRESSURE,
            "dissociation": st.sampled_from(["none", "mild", "moderate", "severe"]),
            "side_effects": _subset(model.SideEffect),
            "side_effects_acceptable": st.sampled_from(["yes", "no"]),
        }
    return known


@functools.cache
def _any_visit_fields(
    item9: int | None, first: bool, with_infusion: bool
) -> dict[str, st.SearchStrategy[Any]]:
    return _known_visit_fields(item9, first, with_infusion) | _OPTIONAL_VISIT_FIELDS


@functools.cache
def _kinds(max_visits: int) -> st.SearchStrategy[list[str]]:
    return st.lists(_choice(model.Infusion), max_size=max_visits)


@st.composite
def course_data(draw: st.DrawFn, complete: bool = False, max_visits: int = 20) -> list[Any]:
    """Visits in order: days from 0, never decreasing; infusion numbers counting."""
    kinds = draw(_kinds(max_visits))
    visits: list[Any] = []
    day = 0
    infusions = 0
    for index, kind in enumerate(kinds):
        if index:
            day += draw(st.integers(0, 14))
        number = None
        if kind != "not_given":
            infusions += 1
            number = infusions
        visits.append(draw(visit_data(kind, number, day, index == 0, complete)))
    return visits


@st.composite
def planned_consult_data(draw: st.DrawFn, complete: bool = False) -> dict[str, Any]:
    """JSON data of a valid version 4 consult with a plan and 0 to 20 visits, sometimes
    ended."""
    data = draw(consult_data())
    data["schema_version"] = model.SCHEMA_VERSION
    data["plan"] = draw(plan_data(complete))
    data["course"] = draw(course_data(complete))
    if draw(st.booleans()):
        data["course_end"] = {"reason": draw(_choice(model.EndReason))}
    return data


def version_4_consults() -> st.SearchStrategy[model.Consult]:
    """Version 4 consults, with or without a plan."""
    return (consult_data() | planned_consult_data()).map(model.Consult.model_validate)
