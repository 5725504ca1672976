"""Properties of the course assessment over generated courses (docs/design.md section 13.2,
"Monotonicity"; 13.7 item 3): making an answer worse never gives a better status, and making a
required answer unknown never gives a better status than ``incomplete_record``."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Final

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from decision_aid.catalogue import CourseStatus, Level
from decision_aid.consult import Consult, Pgic, SideEffect, StopRule
from decision_aid.course import assess_course
from tests.course_strategies import course_data, plan_data
from tests.helpers import content, safe_consult

if TYPE_CHECKING:
    from collections.abc import Callable

    # Draws one value from a strategy: a composite's draw or st.data()'s.
    Draw = Callable[..., Any]

PROPERTY: Final = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

_PGIC: Final = [str(value) for value in Pgic]
_DISSOCIATION: Final = ["none", "mild", "moderate", "severe"]
_RISK: Final = ["low", "moderate", "high"]
# Riskier section 5 answers of a safe consult (each one a stop, caution or first finding).
_RISKIER_SCREENING: Final = [
    ("patient", "pregnancy", "pregnant"),
    ("safety", "liver", "mild_moderate"),
    ("safety", "cardiovascular", "controlled"),
    ("safety", "cardiovascular", "poorly_controlled"),
    ("safety", "urinary_symptoms", "present"),
    ("substance_use", "status", "active"),
]


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A consult leaning to ketamine with a safe screening, a plan and 0 to 20 visits, every
    required answer known; the plan made at may_discuss."""
    data = safe_consult(decision={"leaning": "ketamine"}).model_dump(mode="json")
    plan = draw(plan_data(complete=True))
    plan["made_at_status"] = "may_discuss"
    plan["made_with_findings"] = []
    plan["judge_after_infusions"] = draw(st.integers(1, 4))
    if draw(st.integers(0, 9)) < 8:
        plan["liver_tests_every"] = None
        plan["stop_rules"] = []
    data["plan"] = plan
    course = draw(course_data(complete=True))
    # Most visits uneventful, so that every status occurs (a random visit nearly always
    # fires a stop).
    for visit in course:
        if draw(st.integers(0, 9)) < 8:
            visit |= {"phq9_item9": 0, "bladder": [], "misuse_signs": [], "liver": None}
            visit |= {"screening_reviewed": "yes", "fiqr_total": draw(st.integers(0, 300)) / 10}
            visit.pop("suicide_risk", None)
            if visit["infusion"] != "not_given":
                visit |= {
                    "bp_before": {"systolic": 120, "diastolic": 80},
                    "bp_peak": {"systolic": 130, "diastolic": 85},
                    "bp_after": {"systolic": 122, "diastolic": 80},
                    "dissociation": draw(st.sampled_from(["none", "mild"])),
                    "side_effects_acceptable": "yes",
                    "side_effects": [],
                }
    data["course"] = course
    return data


def _status(data: dict[str, Any]) -> CourseStatus:
    assessment = assess_course(Consult.model_validate(data), content())
    assert assessment is not None
    return assessment.status


def _has_check(data: dict[str, Any]) -> bool:
    assessment = assess_course(Consult.model_validate(data), content())
    assert assessment is not None
    return any(finding.level is Level.CHECK for finding in assessment.findings)


def _later(values: list[str], value: str | None, draw: Draw) -> str | None:
    """A value further along ``values`` than ``value`` (None if there is none)."""
    if value not in values or value == values[-1]:
        return None
    later: str = draw(st.sampled_from(values[values.index(value) + 1 :]))
    return later


def _higher_bp(reading: dict[str, int], draw: Draw) -> dict[str, int]:
    systolic = draw(st.integers(reading["systolic"], 260))
    diastolic = draw(st.integers(reading["diastolic"], min(160, systolic - 1)))
    return {"systolic": systolic, "diastolic": diastolic}


def worsen(data: dict[str, Any], draw: Draw) -> bool:
    """Makes one answer worse, as the design lists; False when the drawn change is not
    possible on this record (nothing changed)."""
    visits = data["course"]
    kind = draw(
        st.sampled_from(
            ["pain", "fiqr", "pgic", "bp", "bp_all", "dissociation", "listed", "no", "item9"]
            + ["risk", "liver", "stop_rule", "screening"]
        )
    )
    if kind == "stop_rule":
        missing = [str(rule) for rule in StopRule if rule not in data["plan"]["stop_rules"]]
        if not missing:
            return False
        data["plan"]["stop_rules"].append(draw(st.sampled_from(missing)))
        return True
    if kind == "screening":
        section, name, value = draw(st.sampled_from(_RISKIER_SCREENING))
        data[section][name] = value
        if (section, name) == ("substance_use", "status"):
            data["substance_use"]["substances"] = ["alcohol"]
        return True
    if not visits:
        return False
    visit = visits[draw(st.integers(0, len(visits) - 1))]
    match kind:
        case "pain" if visit.get("pain_week") is not None and visit["pain_week"] < 10:
            visit["pain_week"] = draw(st.integers(visit["pain_week"] + 1, 10))
        case "fiqr" if visit.get("fiqr_total") is not None and visit["fiqr_total"] < 100:
            visit["fiqr_total"] = draw(st.integers(round(visit["fiqr_total"] * 10) + 1, 1000)) / 10
        case "pgic" if _later(_PGIC, visit.get("pgic"), draw):
            visit["pgic"] = _later(_PGIC, visit.get("pgic"), draw)
        case "bp" if visit.get("bp_peak") or visit.get("bp_after"):
            name = "bp_peak" if visit.get("bp_peak") else "bp_after"
            visit[name] = _higher_bp(visit[name], draw)
        case "bp_all" if visit.get("bp_before") and visit.get("bp_peak") and visit.get("bp_after"):
            # All three readings raised together, by the same amounts where they fit.
            rise_s, rise_d = draw(st.integers(0, 40)), draw(st.integers(0, 20))
            for name in ("bp_before", "bp_peak", "bp_after"):
                reading = visit[name]
                systolic = min(260, reading["systolic"] + rise_s)
                diastolic = min(160, systolic - 1, reading["diastolic"] + rise_d)
                if (
                    systolic - reading["systolic"] != rise_s
                    or diastolic - reading["diastolic"] != rise_d
                ):
                    return False
                visit[name] = {"systolic": systolic, "diastolic": diastolic}
        case "dissociation" if _later(_DISSOCIATION, visit.get("dissociation"), draw):
            visit["dissociation"] = _later(_DISSOCIATION, visit.get("dissociation"), draw)
        case "listed":
            name, choices = draw(
                st.sampled_from(
                    [
                        ("side_effects", [str(effect) for effect in SideEffect]),
                        ("bladder", ["frequency", "urgency", "pain", "blood"]),
                        (
                            "misuse_signs",
                            ["asks_sooner_or_more", "ketamine_elsewhere", "other_concern"],
                        ),
                    ]
                )
            )
            listed = visit.get(name)
            extra = [choice for choice in choices if choice not in (listed or [])]
            if listed is None or not extra:
                return False
            listed.append(draw(st.sampled_from(extra)))
        case "no":
            name = draw(st.sampled_from(["side_effects_acceptable", "screening_reviewed"]))
            if visit.get(name) != "yes":
                return False
            visit[name] = "no"
        case "item9" if visit.get("phq9_item9") is not None and visit["phq9_item9"] < 3:
            visit["phq9_item9"] = draw(st.integers(visit["phq9_item9"] + 1, 3))
        case "risk" if _later(_RISK, visit.get("suicide_risk"), draw):
            visit["suicide_risk"] = _later(_RISK, visit.get("suicide_risk"), draw)
        case "liver" if visit.get("liver"):
            test = visit["liver"]
            name = draw(st.sampled_from(["alt", "ast", "alp", "bilirubin"]))
            low = round((test[name] or 0) * 10) + 1
            if low > 1000:
                return False
            test[name] = draw(st.integers(low, 1000)) / 10
        case _:
            return False
    return True


@PROPERTY
@given(records(), st.data())
def test_a_worse_answer_never_gives_a_better_status(
    record: dict[str, Any], data: st.DataObject
) -> None:
    if _has_check(record):
        return
    before = _status(record)
    worse = copy.deepcopy(record)
    if not worsen(worse, data.draw):
        return
    # An answer made worse can call for a question the record has not answered (item 9 of
    # 1 asks the suicide risk): that is an incomplete record, which is worse too.
    after = _status(worse)
    event(f"{before.value} -> {after.value}")
    assert after.rank >= before.rank, (before, after)


# Required answers, and the unknown each one takes (section 13.1).
_VISIT_UNKNOWNS: Final = [
    ("pain_week", None),
    ("phq9_item9", None),
    ("bladder", None),
    ("misuse_signs", None),
    ("screening_reviewed", "unknown"),
    ("bp_before", None),
    ("bp_peak", None),
    ("bp_after", None),
    ("dissociation", "unknown"),
    ("side_effects", None),
    ("side_effects_acceptable", "unknown"),
    ("suicide_risk", "not_assessed"),
]
_PLAN_UNKNOWNS: Final[list[tuple[str, Any]]] = [
    ("judge_after_infusions", None),
    ("measures", []),
]


@PROPERTY
@given(records(), st.data())
def test_an_unknown_required_answer_is_never_better_than_an_incomplete_record(
    record: dict[str, Any], data: st.DataObject
) -> None:
    unknown = copy.deepcopy(record)
    visits = unknown["course"]
    if visits and data.draw(st.booleans()):
        visit = visits[data.draw(st.integers(0, len(visits) - 1))]
        name, value = data.draw(st.sampled_from(_VISIT_UNKNOWNS))
        asked = name in visit and visit[name] not in (None, "unknown", "not_assessed")
        if not asked:
            return
        visit[name] = value
    else:
        name, value = data.draw(st.sampled_from(_PLAN_UNKNOWNS))
        unknown["plan"][name] = value
    assert _status(unknown).rank >= CourseStatus.INCOMPLETE_RECORD.rank
