"""Shared test helpers: the built-in content, example consults and consult builders."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from decision_aid.consult import Consult
from decision_aid.content import Content, load_content

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "resources" / "examples"


@functools.cache
def content() -> Content:
    """The built-in content pack, loaded once for the whole run (it is immutable)."""
    return load_content()


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.consult.json"))


def safe_consult(**sections: dict[str, Any] | list[Any]) -> Consult:
    """A complete consult with no safety finding and standard care tried: may_discuss.

    Keyword arguments replace whole sections or update their fields, for example
    ``safe_consult(safety={"liver": "severe"})``.
    """
    data: dict[str, Any] = {
        "patient": {"age_years": 45, "pregnancy": "no", "handout_language": "en"},
        "fibromyalgia": {"diagnosis": "confirmed", "symptom_months": 24, "wpi": 10, "sss": 8},
        "prior_treatments": [
            {"therapy": "exercise", "outcome": "partial_benefit"},
            {"therapy": "duloxetine", "outcome": "no_benefit"},
            {"therapy": "pregabalin", "outcome": "stopped_side_effects"},
        ],
        "comorbidities": {"depression": "none", "phq9_total": 2, "phq9_item9": 0, "crps": "none"},
        "safety": {
            "cardiovascular": "none",
            "liver": "none",
            "psychosis": "none",
            "intracranial_pressure": "normal",
            "intraocular_pressure": "normal",
            "urinary_symptoms": "none",
            "ketamine_hypersensitivity": "no",
            "medications": [],
        },
        "substance_use": {"status": "none", "substances": []},
        "insurance": {
            "coverage": "commercial",
            "covers_ketamine_for_pain": "no",
            "can_self_pay": "yes",
        },
        "priorities": [],
    }
    for name, value in sections.items():
        if isinstance(value, dict):
            data[name] = {**data[name], **value}
        else:
            data[name] = value
    return Consult.model_validate(data)


_HEAVY_PROBE = """
import json, sys
from decision_aid.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({name.split('.')[0] for name in sys.modules} & {'PySide6', 'shiboken6', 'reportlab'})
print(json.dumps(heavy), file=sys.stderr)
"""


def heavy_modules_loaded_by(*arguments: str) -> list[str]:
    """Runs ``decision-aid ARGUMENTS`` in a fresh process; the heavy packages it imported."""
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", _HEAVY_PROBE, *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=True,
    )
    heavy: list[str] = json.loads(result.stderr.strip().splitlines()[-1])
    return heavy
