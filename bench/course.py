"""The course assessment's targets (docs/design.md section 13.6): ``assess_course`` of a
20-visit course with every field filled, the section 5 assessment included, under 5 ms; 1,000
generated courses of up to 20 visits under 5 s. ``bench/run.py`` reports them with the rest;
alone: ``.venv/bin/python bench/course.py``.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Final

REPO: Final = Path(__file__).resolve().parent.parent
EXAMPLE: Final = REPO / "resources" / "examples" / "may-discuss.consult.json"

TARGETS: Final = {
    "assess_course, 20 visits, every field (ms, median)": 5.0,
    "assess_course, 1,000 generated courses (s)": 5.0,
}


def _reading(generator: random.Random, low: int, high: int) -> dict[str, int]:
    systolic = generator.randint(low, high)
    return {"systolic": systolic, "diastolic": generator.randint(50, min(110, systolic - 1))}


def course_data(generator: random.Random, visits: int, every_field: bool) -> dict[str, Any]:
    """A plan and ``visits`` visits, answers drawn at random; with ``every_field``, every
    field of every visit is filled (the judgement visit's measures included)."""
    plan = {
        "made_at_status": "may_discuss",
        "made_with_findings": [],
        "specialist_agreed": "yes",
        "measures": ["pain_30", "pgic_much", "fiqr_drop"],
        "fiqr_drop_percent": 20,
        "judge_after_infusions": generator.randint(1, 8),
        "stop_rules": generator.sample(
            ["bp_during", "dissociation_severe", "bladder_new", "liver_raised"], 2
        ),
        "liver_tests_every": 3,
        "baseline": {"pain_week": 7, "fiqr_total": 62.5, "bladder": []},
    }
    course = []
    infusions = 0
    for index in range(visits):
        given = index == 0 or generator.random() < 0.8
        infusions += given
        visit: dict[str, Any] = {
            "infusion": "given" if given else "not_given",
            "infusion_number": infusions if given else None,
            "day": 3 * index,
            "pain_week": generator.randint(2, 8),
            "phq9_item9": generator.choice([0, 0, 0, 1]),
            "suicide_risk": generator.choice(["low", "moderate"]),
            "bladder": generator.choice([[], [], ["frequency"]]),
            "misuse_signs": [],
            "screening_reviewed": "yes",
        }
        if every_field or generator.random() < 0.5:
            visit |= {
                "pain_before": generator.randint(3, 8),
                "pain_after": generator.randint(0, 5),
                "fiqr_total": generator.randint(300, 700) / 10,
                "cadss_total": generator.randint(0, 30),
                "liver": {"status": "done", "alt": 1.2, "ast": 0.9, "alp": 1.0, "bilirubin": 0.8},
                "dose_mg": 35.5,
            }
            if index:
                visit["pgic"] = generator.choice(["much_improved", "minimally_improved"])
        if given:
            visit |= {
                "bp_before": _reading(generator, 110, 150),
                "bp_peak": _reading(generator, 120, 190),
                "bp_after": _reading(generator, 110, 160),
                "dissociation": generator.choice(["none", "mild", "moderate"]),
                "side_effects": generator.choice([[], ["dizziness", "nausea_or_vomiting"]]),
                "side_effects_acceptable": "yes",
            }
        course.append(visit)
    return {"plan": plan, "course": course}


def course_figures() -> dict[str, float]:
    from decision_aid.consult import Consult
    from decision_aid.content import load_content
    from decision_aid.course import assess_course
    from decision_aid.files import read_consult_file

    content = load_content()
    screening = read_consult_file(EXAMPLE).model_dump(mode="json")
    generator = random.Random(20261206)
    full = Consult.model_validate(screening | course_data(generator, 20, every_field=True))
    assess_course(full, content)
    times = []
    for _ in range(500):
        start = time.perf_counter()
        assess_course(full, content)
        times.append((time.perf_counter() - start) * 1000)
    generated = [
        Consult.model_validate(
            screening | course_data(generator, generator.randint(0, 20), every_field=False)
        )
        for _ in range(1000)
    ]
    start = time.perf_counter()
    for consult in generated:
        assess_course(consult, content)
    many = time.perf_counter() - start
    names = list(TARGETS)
    return {names[0]: statistics.median(times), names[1]: many}


def main() -> int:
    figures = course_figures()
    for name, value in figures.items():
        print(f"{name:55} {value:8.3f}  < {TARGETS[name]:g}")
    return 0 if all(value < TARGETS[name] for name, value in figures.items()) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
