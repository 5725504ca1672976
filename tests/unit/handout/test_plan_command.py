"""`decision-aid plan` run in this process (docs/design.md section 13.5): the page of a consult
with a trial plan in the format, language, paper and size asked for; the one-line refusal of a
consult with no plan or an incomplete one; and privacy: consults that differ in everything but
the plan, the language and the paper print byte-identical pages. What the page holds is gated
in tests/gates/test_plan_page.py."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any, Final

import pypdf
import pytest

from decision_aid import cli
from decision_aid.consult import Consult, Language
from tests.helpers import content, example_data

if TYPE_CHECKING:
    from pathlib import Path

# A plan as the window records it (docs/design.md section 13.1).
PLAN: Final = {
    "made_at_status": "may_discuss",
    "made_with_findings": [],
    "specialist_agreed": "unknown",
    "measures": ["pain_30", "pgic_much"],
    "judge_after_infusions": 4,
    "stop_rules": ["bp_during"],
    "liver_tests_every": None,
    "baseline": {"pain_week": 7, "bladder": []},
}

# A visit of the course: the page prints none of it.
VISIT: Final = {
    "infusion": "given",
    "infusion_number": 1,
    "day": 0,
    "pain_week": 6,
    "phq9_item9": 2,
    "suicide_risk": "moderate",
    "bladder": ["blood"],
    "misuse_signs": ["ketamine_elsewhere"],
    "screening_reviewed": "yes",
    "side_effects": ["nausea_or_vomiting"],
    "side_effects_acceptable": "no",
    "dissociation": "severe",
}


def consult_file(folder: Path, name: str, data: dict[str, Any]) -> Path:
    Consult.model_validate(data)  # a file the program reads, or the test is wrong
    path = folder / f"{name}.consult.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def planned(plan: dict[str, Any] | None = PLAN, example: str = "may-discuss") -> dict[str, Any]:
    data = example_data(example)
    data["schema_version"] = 4
    data["plan"] = copy.deepcopy(plan)
    return data


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().err


def test_a_consult_without_a_plan_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = consult_file(tmp_path, "none", planned(None))
    out = tmp_path / "plan.pdf"
    code, err = _run(capsys, "plan", str(source), "-o", str(out))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "has no trial plan" in err
    assert "Make a trial plan" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"judge_after_infusions": None}, "after how many infusions"),
        ({"measures": []}, "measures"),
        ({"baseline": {"bladder": []}}, "baseline pain"),
    ],
)
def test_an_incomplete_plan_is_refused_in_one_line_naming_what_is_missing(
    change: dict[str, Any], said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = consult_file(tmp_path, "part", planned({**PLAN, **change}))
    code, err = _run(capsys, "plan", str(source), "-o", str(tmp_path / "plan.pdf"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "not complete" in err
    assert said in err


@pytest.mark.parametrize(
    ("name", "options", "kind"),
    [
        ("p.pdf", [], b"%PDF"),
        ("p.html", [], b"<!DOCTYPE html>"),
        ("plan", ["--format", "html"], b"<!DOCTYPE html>"),
        ("plan", [], b"%PDF"),
    ],
)
def test_the_page_is_written_in_the_format_asked_for(
    name: str,
    options: list[str],
    kind: bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = consult_file(tmp_path, "planned", planned())
    out = tmp_path / name
    assert _run(capsys, "plan", str(source), "-o", str(out), *options) == (0, "")
    assert out.read_bytes().startswith(kind)


def test_a_format_the_name_contradicts_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = consult_file(tmp_path, "planned", planned())
    code, err = _run(capsys, "plan", str(source), "-o", str(tmp_path / "p.pdf"), "--format", "html")
    assert code == 2
    assert "--format" in err


def test_language_paper_and_large_print(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = consult_file(tmp_path, "planned", planned())
    out = tmp_path / "p.pdf"
    argv = ["plan", str(source), "-o", str(out), "--lang", "es", "--paper", "a4"]
    assert _run(capsys, *argv, "--large-print") == (0, "")
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 2
    assert round(float(reader.pages[0].mediabox.width)) == 595
    text = " ".join(reader.pages[0].extract_text().split())
    assert content().handout[Language.ES].plan.title in text
    # Without --lang, the consult's handout language.
    spanish = planned(example="crps-may-discuss-es")
    source = consult_file(tmp_path, "es", spanish)
    assert _run(capsys, "plan", str(source), "-o", str(tmp_path / "es.pdf")) == (0, "")
    text = " ".join(pypdf.PdfReader(tmp_path / "es.pdf").pages[0].extract_text().split())
    assert content().handout[Language.ES].plan.title in text


def _different_consult() -> dict[str, Any]:
    """The same plan in a consult whose every other answer can differ: screening answers
    that print nothing on the page, a leaning, priorities, coverage and a recorded visit."""
    data = planned()
    data["comorbidities"]["phq9_total"] = 19
    data["comorbidities"]["phq9_item9"] = 2
    data["comorbidities"]["depression"] = "current"
    data["safety"]["psychosis"] = "past_episode"
    data["safety"]["liver"] = "severe"
    data["substance_use"] = {"status": "active", "substances": ["alcohol"]}
    data["insurance"]["coverage"] = "uninsured"
    data["priorities"] = ["cost"]
    data["decision"]["leaning"] = "unsure"
    data["course"] = [VISIT]
    return data


@pytest.mark.parametrize("suffix", ["pdf", "html"])
def test_twins_with_the_same_plan_print_byte_identical_pages(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Privacy (docs/design.md 13.5, 13.7 item 7): the page prints the plan and nothing else
    of the consult, so what else the consults say changes no byte."""
    one = consult_file(tmp_path, "one", planned())
    other = consult_file(tmp_path, "other", _different_consult())
    assert one.read_bytes() != other.read_bytes()
    pages = []
    for source in (one, other):
        out = tmp_path / f"{source.stem}.{suffix}"
        assert _run(capsys, "plan", str(source), "-o", str(out), "--lang", "en") == (0, "")
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]
    # And a change to the plan does change the page.
    changed = consult_file(tmp_path, "changed", planned({**PLAN, "judge_after_infusions": 5}))
    out = tmp_path / f"changed.{suffix}"
    assert _run(capsys, "plan", str(changed), "-o", str(out), "--lang", "en") == (0, "")
    assert out.read_bytes() != pages[0]
