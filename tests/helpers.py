"""Shared test helpers: the built-in content, example consults, consult builders, copies of
the content pack to edit, and the command line run in a process of its own."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from decision_aid import consult as consult_package
from decision_aid.consult import Consult, field_choices, is_list_field
from decision_aid.content import Content, load_content

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "resources" / "examples"
V1_DATA = REPO / "tests" / "data" / "v1"
V2_DATA = REPO / "tests" / "data" / "v2"


@functools.cache
def content() -> Content:
    """The built-in content pack, loaded once for the whole run (it is immutable)."""
    return load_content()


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.consult.json"))


def safe_consult(**sections: dict[str, Any] | list[Any]) -> Consult:
    """A complete consult (no plan) with no safety finding and standard care tried:
    may_discuss.

    Every safety question is answered ("none", "normal" or "no"), the medicines were reviewed
    with none of the listed ones ([]), substance use was asked about with none ([]), pain is
    in all 5 regions and PHQ-9 item 9 is given. Keyword arguments replace whole sections or
    update their fields, for example ``safe_consult(safety={"liver": "severe"})``; ``decision``
    updates its own fields and ``sure`` items the same way.
    """
    data: dict[str, Any] = {
        "schema_version": 4,
        "patient": {
            "age_years": 45,
            "weight_kg": 70,
            "pregnancy": "not_applicable",
            "handout_language": "en",
        },
        "fibromyalgia": {
            "diagnosis": "confirmed",
            "symptom_months": 24,
            "wpi": 10,
            "sss": 8,
            "pain_regions": 5,
            "pain_nrs": 7,
        },
        "prior_treatments": [
            {"therapy": "exercise", "outcome": "partial_benefit"},
            {"therapy": "duloxetine", "outcome": "no_benefit"},
            {"therapy": "pregabalin", "outcome": "stopped_side_effects"},
        ],
        "comorbidities": {"depression": "none", "phq9_total": 2, "phq9_item9": 0, "crps": "none"},
        "safety": {
            "cardiovascular": "none",
            "heart_or_stroke_event": "none",
            "vascular_hazard": "none",
            "liver": "none",
            "psychosis": "none",
            "bipolar": "none",
            "dissociative_disorder": "none",
            "intracranial_pressure": "normal",
            "intraocular_pressure": "normal",
            "urinary_symptoms": "none",
            "hyperthyroidism": "none",
            "sleep_apnea": "none",
            "porphyria": "none",
            "ketamine_hypersensitivity": "no",
            "medications": [],
        },
        "ketamine_exposure": {"status": "none", "response": "unknown", "harms": None},
        "substance_use": {"status": "none", "substances": []},
        "insurance": {
            "coverage": "commercial",
            "covers_ketamine_for_pain": "no",
            "can_self_pay": "yes",
        },
        "priorities": [],
        "decision": {
            "leaning": "unsure",
            "sure": {
                "sure_of_best_choice": "yes",
                "knows_benefits_and_risks": "yes",
                "clear_what_matters": "yes",
                "has_support_and_advice": "yes",
            },
            "teach_back": "done",
            "suicide_risk": "unknown",
            "handout": None,
        },
    }
    # A required answer this literal does not give yet (a question newer than it) at its
    # safest value, from the table of answers.
    for spec in consult_package.ANSWERS:
        if spec.risk_order and spec.need is consult_package.Need.ALWAYS:
            *names, name = spec.path.split(".")
            section = data
            for part in names:
                section = section.setdefault(part, {})
            section.setdefault(name, spec.risk_order[0])
    return Consult.model_validate(with_sections(data, sections))


def with_sections(data: dict[str, Any], sections: dict[str, Any]) -> dict[str, Any]:
    """A copy of consult data with sections replaced (lists) or updated (objects, one level
    deep, and decision.sure inside decision)."""
    merged: dict[str, Any] = json.loads(json.dumps(data))
    for name, value in sections.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            update = dict(value)
            if name == "decision" and isinstance(update.get("sure"), dict):
                update["sure"] = {**merged[name]["sure"], **update["sure"]}
            merged[name] = {**merged[name], **update}
        else:
            merged[name] = value
    return merged


def set_in_data(data: dict[str, Any], path: str, value: Any) -> None:
    """Sets one answer by its dotted path (``decision.sure.clear_what_matters``) in consult
    JSON data, making the sections on the way; a section that is not an object is replaced.

    For data not yet validated (hostile or generated input); a Consult model is read and set
    with ``consult.answer_at`` and ``consult.set_answer_at``.
    """
    *sections, name = path.split(".")
    target = data
    for section in sections:
        if not isinstance(target.get(section), dict):
            target[section] = {}
        target = target[section]
    target[name] = value


def example_data(name: str = "may-discuss") -> dict[str, Any]:
    """The JSON data of one shipped example (``resources/examples/NAME.consult.json``)."""
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.consult.json").read_text("utf-8"))
    return data


_HEAVY_PROBE = """
import json, sys
from decision_aid.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({name.split('.')[0] for name in sys.modules}
               & {'PySide6', 'shiboken6', 'reportlab', 'pikepdf'})
print(json.dumps(heavy), file=sys.stderr)
"""


def heavy_modules_loaded_by(*arguments: str) -> list[str]:
    """Runs ``decision-aid ARGUMENTS`` in a fresh process; the heavy packages it imported."""
    result = run_python("-c", _HEAVY_PROBE, *arguments, timeout=120, check=True)
    heavy: list[str] = json.loads(result.stderr.strip().splitlines()[-1])
    return heavy


def run_python(
    *arguments: str,
    cwd: Path | str = REPO,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    check: bool = False,
    stdout: int | IO[Any] | None = subprocess.PIPE,
    stderr: int | IO[Any] | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[str]:
    """Runs this interpreter with ``ARGUMENTS`` in a process of its own, its output as text.

    Args:
        cwd: the working folder (the checkout by default).
        env: the whole environment; None inherits the tests' own (HOME isolated, no network).
        stdout, stderr: where the streams go; captured by default.
    """
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=check,
        stdout=stdout,
        stderr=stderr,
        text=True,
    )


def run_command(
    *arguments: str,
    cwd: Path | str = REPO,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    check: bool = False,
    stdout: int | IO[Any] | None = subprocess.PIPE,
    stderr: int | IO[Any] | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[str]:
    """Runs ``decision-aid ARGUMENTS`` (``python -m decision_aid``) as a user does; see
    :func:`run_python` for the options."""
    return run_python(
        "-m",
        "decision_aid",
        *arguments,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=check,
        stdout=stdout,
        stderr=stderr,
    )


def copy_pack(destination: Path, *, examples: bool = False, fonts: bool = True) -> Path:
    """A copy of the built-in content pack at ``destination``, for a test to edit.

    Without the example consults (they are not part of a pack) unless ``examples``; without
    ``fonts/`` when ``fonts`` is False, so that the fonts come from the built-in pack.
    """
    left_out = [name for name, kept in (("examples", examples), ("fonts", fonts)) if not kept]
    shutil.copytree(REPO / "resources", destination, ignore=shutil.ignore_patterns(*left_out))
    return destination


def edit(path: Path, old: str, new: str) -> None:
    """Replaces the first ``old`` in a text file with ``new``; ``old`` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# The answers the table of answers always requires (decision_aid/consult/answers.py), with
# the value that leaves each unknown: null for a number or a list, "unknown" for a choice.
# test_rules checks the table against the design's rule for which answers these are.
ALWAYS_REQUIRED: dict[str, Any] = {
    path: None if field_choices(path) is None or is_list_field(path) else "unknown"
    for path in consult_package.ALWAYS_REQUIRED
}
