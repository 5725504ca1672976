"""Consults with a trial plan and a course, for the tests of the note's course block and of the
FHIR export of a course (docs/design.md section 13.4): the design's own example, and a worst
case that fires every course rule that can fire at once."""

from __future__ import annotations

import re
from typing import Any, Final

from decision_aid.consult import Consult
from tests.helpers import safe_consult

# Shapes of a date in any common writing: ISO, day/month/year with slashes, dots or dashes, a
# month's name beside a number, a time of day. A citation's year alone ("Cohen 2018") is not a
# date: the course block cites its sources.
_MONTHS: Final = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto"
    r"|septiembre|octubre|noviembre|diciembre)"
)
DATE_SHAPED: Final = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b"
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"
    rf"|\b\d{{1,2}}(st|nd|rd|th)?\s+(of\s+)?{_MONTHS}\b"
    rf"|\b{_MONTHS}\.?\s+\d{{1,4}}\b"
    r"|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE,
)


def visit(infusion_number: int | None, day: int, **fields: Any) -> dict[str, Any]:
    """A complete visit with nothing to find: an infusion when ``infusion_number`` is given."""
    data: dict[str, Any] = {
        "infusion": "given" if infusion_number is not None else "not_given",
        "infusion_number": infusion_number,
        "day": day,
        "pain_week": 6,
        "phq9_item9": 0,
        "bladder": [],
        "misuse_signs": [],
        "screening_reviewed": "yes",
    }
    if infusion_number is not None:
        data |= {
            "bp_before": {"systolic": 120, "diastolic": 80},
            "bp_peak": {"systolic": 130, "diastolic": 85},
            "bp_after": {"systolic": 122, "diastolic": 80},
            "dissociation": "mild",
            "side_effects": [],
            "side_effects_acceptable": "yes",
        }
    return data | fields


# The design's example plan (docs/design.md section 13.4).
DESIGN_PLAN: Final[dict[str, Any]] = {
    "made_at_status": "may_discuss",
    "made_with_findings": [],
    "measures": ["pain_30", "pgic_much"],
    "judge_after_infusions": 4,
    "stop_rules": ["bp_during", "bladder_new"],
    "liver_tests_every": 3,
    "baseline": {"pain_week": 7, "bladder": []},
}


def with_course(
    consult: Consult,
    plan: dict[str, Any],
    visits: list[dict[str, Any]],
    course_end: dict[str, Any] | None = None,
) -> Consult:
    """The consult with this plan, these visits and this end."""
    data = consult.model_dump(mode="json")
    data |= {"plan": plan, "course": visits, "course_end": course_end}
    return Consult.model_validate(data)


def design_example() -> Consult:
    """Responding after 5 infusions and a review: pain 7, 6, 5, 5, 4, 4; 420 mg recorded.

    Liver tests before infusions 1 and 4 (every 3), both within normal limits.
    """
    liver = {"status": "done", "alt": 0.5, "ast": 0.5, "alp": 0.5, "bilirubin": 0.5}
    pains = [7, 6, 5, 5, 4]
    visits = [
        visit(
            number,
            day,
            pain_week=pain,
            dose_mg=84.0,
            **({"liver": liver} if number in (1, 4) else {}),
            **({"pgic": "much_improved"} if number > 1 else {}),
        )
        for number, day, pain in zip(range(1, 6), (0, 7, 14, 21, 24), pains, strict=True)
    ]
    visits.append(visit(None, 28, pain_week=4, pgic="much_improved"))
    return with_course(safe_consult(decision={"leaning": "ketamine"}), DESIGN_PLAN, visits)


# Every stop rule chosen: each finding that can be a stop is one, the kind never dropped.
WORST_PLAN: Final[dict[str, Any]] = {
    "made_at_status": "specialist_review",
    "made_with_findings": [],
    "specialist_agreed": "no",
    "measures": ["pain_30", "pgic_much", "fiqr_drop"],
    "fiqr_drop_percent": 20,
    "judge_after_infusions": 4,
    "stop_rules": [
        "bp_during",
        "dissociation_severe",
        "side_effects_not_acceptable",
        "bladder_new",
        "liver_raised",
        "misuse_signs",
    ],
    "liver_tests_every": None,
    "baseline": {"pain_week": 3, "fiqr_total": 60.0, "bladder": []},
}


def worst_visits() -> list[dict[str, Any]]:
    """20 visits that between them fire every course rule a record can fire at once: self-harm
    unassessed and high risk, blood pressure before, during and after, severe and moderate
    dissociation, unacceptable side effects and breathing, new bladder symptoms, misuse,
    the Hy's law pattern, raised and above-normal liver tests, an unreviewed screening, and
    relief recorded after an infusion."""
    visits = [visit(number, 2 * (number - 1), pain_week=3) for number in range(1, 20)]
    visits.append(visit(None, 40, pain_week=3, pgic="no_change", fiqr_total=58.0))
    changes: dict[int, dict[str, Any]] = {
        1: {"phq9_item9": 1, "suicide_risk": "not_assessed"},
        2: {"phq9_item9": 2, "suicide_risk": "high"},
        3: {"bp_before": {"systolic": 185, "diastolic": 105}},
        4: {"bp_peak": {"systolic": 180, "diastolic": 112}},
        5: {"bp_after": {"systolic": 170, "diastolic": 110}},
        6: {"dissociation": "severe"},
        7: {"dissociation": "moderate"},
        8: {"side_effects": ["nausea_or_vomiting"], "side_effects_acceptable": "no"},
        9: {"side_effects": ["breathing_problem"]},
        10: {"bladder": ["frequency", "blood"]},
        11: {"misuse_signs": ["asks_sooner_or_more", "ketamine_elsewhere"]},
        12: {"liver": {"status": "done", "alt": 3.0, "bilirubin": 2.1}},
        13: {"liver": {"status": "done", "alp": 2.0, "ast": 1.0}},
        14: {"liver": {"status": "done", "alt": 1.5}},
        15: {"screening_reviewed": "no"},
        16: {"pain_before": 6, "pain_after": 2},
    }
    for index, fields in changes.items():
        visits[index] |= fields
    return visits
