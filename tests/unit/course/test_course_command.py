"""``decision-aid course FILE [--json]`` (docs/design.md sections 13.2 and 13.8), and a fuzz
test of the reader and the assessment on generated JSON: every input loads or is refused with
one line, never a traceback."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any, Final

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from decision_aid.catalogue import CourseStatus
from decision_aid.cli import main
from decision_aid.consult import Consult, ConsultError, parse_consult
from decision_aid.course import assess_course
from tests.course_strategies import planned_consult_data
from tests.helpers import EXAMPLES, content, example_paths, run_python
from tests.unit.test_fuzz import json_values, mutated_text

if TYPE_CHECKING:
    from pathlib import Path

COURSE_EXAMPLES: Final = [path for path in example_paths() if "-course-" in path.name]


def test_there_is_an_example_per_course_status() -> None:
    names = {
        path.name.split("-course-")[1].removesuffix(".consult.json") for path in COURSE_EXAMPLES
    }
    assert {name.replace("-", "_") for name in names} == {str(status) for status in CourseStatus}


@pytest.mark.parametrize("path", COURSE_EXAMPLES, ids=lambda path: path.name)
def test_course_json_of_each_example_gives_its_status(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["course", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {
        "status", "urgent", "findings", "missing", "judged_at", "measures", "screening",
    }  # fmt: skip
    assert result["status"].replace("_", "-") in path.name
    for finding in [*result["urgent"], *result["findings"]]:
        assert finding["rule"].startswith(("course.", "urgent."))
    if result["judged_at"] is not None:
        assert set(result["judged_at"]) == {"visit", "infusions"}
    for measure in result["measures"].values():
        assert set(measure) == {"baseline", "value", "target", "met"}


def test_course_text_names_the_status_and_the_stop(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "may-discuss-course-stop-rule-met.consult.json"
    assert main(["course", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Course: Stop rule met\n")
    assert "(course.stop.bp_during)" in out
    assert "Because: course[3].bp_peak = 172/96" in out
    assert "Sources: Spravato label" in out


def test_no_plan_prints_exactly_status_null(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["course", str(EXAMPLES / "may-discuss.consult.json"), "--json"]) == 0
    assert capsys.readouterr().out == '{"status": null}\n'
    assert main(["course", str(EXAMPLES / "may-discuss.consult.json")]) == 0
    assert "no trial plan" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            lambda data: data["course"][3]["bp_peak"].update(diastolic=170),
            "course[3].bp_peak.diastolic",
        ),
        (lambda data: data["course"][2].update(date="2026-12-01"), "course[2].date"),
        (lambda data: data.update(plan=None), "course: a course needs a plan"),
        (lambda data: data["course"][1].update(infusion_number=5), "course[1].infusion_number"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_file_and_the_path(
    change: Any, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((EXAMPLES / "may-discuss-course-responding.consult.json").read_text())
    change(data)
    bad = tmp_path / "bad.consult.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["course", str(bad), "--json"])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert str(bad) in lines[0]
    assert where in lines[0]


def test_the_course_command_never_imports_qt_and_plain_start_up_never_imports_course() -> None:
    example = EXAMPLES / "may-discuss-course-responding.consult.json"
    script = (
        "import sys, decision_aid.cli\n"
        f"assert decision_aid.cli.main(['assess', {str(example)!r}]) == 0\n"
        "assert 'decision_aid.course' not in sys.modules, 'course imported by assess'\n"
        f"assert decision_aid.cli.main(['course', {str(example)!r}]) == 0\n"
        "assert 'decision_aid.course' in sys.modules\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'reportlab'))]\n"
    )
    run_python("-c", script, check=True)


# --- fuzz --------------------------------------------------------------------------------------

FUZZ: Final = settings(
    max_examples=150, derandomize=True, deadline=None, database=None,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip


@st.composite
def mutated_course(draw: st.DrawFn) -> str:
    """A consult with a plan and a course, as text, edited: a part replaced by any JSON
    value, a visit's field given an unknown key or a wrong value, or the text itself
    mutated; or left valid, to be judged."""
    data = draw(planned_consult_data())
    kind = draw(st.sampled_from(["none", "text", "value", "key"]))
    if kind == "none":
        return json.dumps(data)
    if kind == "text":
        return draw(mutated_text(json.dumps(data, indent=1)))
    data = copy.deepcopy(data)
    holders: list[dict[str, Any]] = [data["plan"], data["plan"]["baseline"], *data["course"]]
    holder = draw(st.sampled_from(holders))
    if kind == "value" and holder:
        holder[draw(st.sampled_from(sorted(holder)))] = draw(json_values)
    else:
        holder[draw(st.sampled_from(["date", "name", "note", "x"]))] = draw(json_values)
    return json.dumps(data)


@FUZZ
@given(mutated_course())
def test_fuzz_every_course_loads_and_is_judged_or_is_refused_in_one_line(text: str) -> None:
    try:
        consult = parse_consult(text)
    except ConsultError as error:
        event("refused")
        message = str(error)
        assert message
        assert "\n" not in message
        return
    event("accepted")
    assert isinstance(consult, Consult)
    assessment = assess_course(consult, content())
    if consult.plan is None:
        assert assessment is None
    else:
        assert assessment is not None
        json.dumps(assessment.as_json())
