"""Schema 4: the plan, the course and its end (docs/design.md section 13.1 and 13.7 item 1).

Older files load unchanged as version 4 with no plan; generated version 4 consults round-trip;
the new parts hold no free text and no date; each refusal names its path.
"""

from __future__ import annotations

import json
import types
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, Union, get_args, get_origin

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

from decision_aid.consult import (
    Consult,
    ConsultError,
    CourseEnd,
    Plan,
    Visit,
    field_paths,
    parse_consult,
    parse_consult_upgrading,
)
from tests.course_strategies import planned_consult_data, version_4_consults
from tests.helpers import REPO, example_paths
from tests.strategies import consult_data

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA: Final = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

PLAN: Final = {
    "made_at_status": "may_discuss",
    "measures": ["pain_30"],
    "judge_after_infusions": 4,
    "baseline": {"pain_week": 7, "bladder": []},
}


def infusion(number: int, day: int, **answers: Any) -> dict[str, Any]:
    return {"infusion": "given", "infusion_number": number, "day": day, **answers}


def with_course(*visits: dict[str, Any], **parts: Any) -> str:
    return json.dumps({"schema_version": 4, "plan": PLAN, "course": list(visits), **parts})


@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.name)
def test_a_version_3_example_loads_as_version_4_unchanged(path: Path) -> None:
    written = json.loads(path.read_text(encoding="utf-8"))
    if written["schema_version"] != 3:
        pytest.skip("a version 4 example")
    consult, upgrade = parse_consult_upgrading(path.read_text(encoding="utf-8"))
    assert upgrade is None
    saved = json.loads(consult.to_json())
    assert saved["schema_version"] == 4
    assert (saved["plan"], saved["course"], saved["course_end"]) == (None, [], None)
    # Every answer the file gave is the same in the saved version 4 file.
    del saved["plan"], saved["course"], saved["course_end"]
    saved["schema_version"] = 3
    assert _given(written, saved)


def _given(written: Any, saved: Any) -> bool:
    """Whether every value ``written`` gives is in ``saved`` with the same value."""
    if isinstance(written, dict):
        return all(key in saved and _given(value, saved[key]) for key, value in written.items())
    if isinstance(written, list) and isinstance(saved, list):
        return len(written) == len(saved) and all(map(_given, written, saved))
    return bool(written == saved)


@SCHEMA
@given(consult_data())
def test_a_generated_version_3_file_loads_as_version_4_with_every_answer(
    data: dict[str, Any],
) -> None:
    data["schema_version"] = 3
    consult, upgrade = parse_consult_upgrading(json.dumps(data))
    assert upgrade is None
    assert (consult.plan, consult.course, consult.course_end) == (None, [], None)
    saved = json.loads(consult.to_json())
    assert saved["schema_version"] == 4
    saved["schema_version"] = 3
    assert _given(data, saved)


@pytest.mark.parametrize("folder", ["v1", "v2"])
def test_version_1_and_2_files_still_load_as_version_4(folder: str) -> None:
    paths = sorted((REPO / "tests" / "data" / folder).glob("*.consult.json"))
    assert paths
    for path in paths:
        consult, upgrade = parse_consult_upgrading(path.read_text(encoding="utf-8"))
        assert upgrade is not None
        assert consult.schema_version == 4
        assert consult.plan is None


@SCHEMA
@given(version_4_consults())
def test_generated_version_4_consults_round_trip(consult: Consult) -> None:
    assert Consult.model_validate_json(consult.model_dump_json()) == consult
    assert parse_consult(consult.to_json()) == consult


@SCHEMA
@given(planned_consult_data(complete=True))
def test_a_complete_generated_course_round_trips(data: dict[str, Any]) -> None:
    consult = parse_consult(json.dumps(data))
    assert consult.plan is not None
    assert parse_consult(consult.to_json()) == consult


def _models_in(annotation: Any) -> list[Any]:
    """The leaf types of an annotation: through ``X | None``, ``list[X]`` and ``Annotated``."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, list):
        return [leaf for arg in get_args(annotation) for leaf in _models_in(arg)]
    metadata = getattr(annotation, "__metadata__", None)
    if metadata is not None:
        return _models_in(annotation.__origin__)
    return [annotation]


# The one string that is not a choice: the plan's rule ids, set by the program, of a fixed
# shape (no space, no digit run that could be a date).
RULE_ID_FIELDS: Final = {"Plan.made_with_findings"}


def test_the_new_parts_hold_no_free_text_and_no_date() -> None:
    seen: set[type[BaseModel]] = set()
    pending: list[type[BaseModel]] = [Plan, Visit, CourseEnd]
    strings: list[str] = []
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            assert not {"date", "time", "name"} & set(name.split("_")), name
            assert name not in {"note", "comment", "text", "free_text"}, name
            for leaf in _models_in(field.annotation):
                if isinstance(leaf, type) and issubclass(leaf, BaseModel):
                    pending.append(leaf)
                elif isinstance(leaf, type) and issubclass(leaf, StrEnum):
                    continue
                elif leaf is str:
                    strings.append(f"{model.__name__}.{name}")
                else:
                    assert leaf in (int, float, type(None)), (model.__name__, name, leaf)
    assert set(strings) == RULE_ID_FIELDS
    with pytest.raises(ConsultError, match="made_with_findings"):
        parse_consult(
            json.dumps({"plan": {**PLAN, "made_with_findings": ["Seen 2026-01-02 by Dr X"]}})
        )


def test_the_course_parts_are_not_questions_of_section_4() -> None:
    assert not {"plan", "course", "course_end"} & {path.split(".")[0] for path in field_paths()}


# Each refusal of docs/design.md section 13.2 ("Bad input") and 13.1, with the path the
# message must start with and words it must hold.
REFUSALS: Final = [
    ("visit without infusion", with_course({"day": 0}), "course[0].infusion: required"),
    ("visit without day", with_course({"infusion": "not_given"}), "course[0].day: required"),
    (
        "first day not 0",
        with_course(infusion(1, 3)),
        "course[0].day: the first visit is day 0",
    ),
    (
        "days decrease",
        with_course(infusion(1, 0), infusion(2, 7), infusion(3, 6)),
        "course[2].day: 6 is before",
    ),
    (
        "infusion number does not count",
        with_course(infusion(1, 0), {"infusion": "not_given", "day": 2}, infusion(3, 4)),
        "course[2].infusion_number: 3 does not count",
    ),
    (
        "infusion number absent",
        with_course(infusion(1, 0), {"infusion": "stopped_early", "day": 2}),
        "course[1].infusion_number: required",
    ),
    (
        "infusion number without infusion",
        with_course({"infusion": "not_given", "infusion_number": 1, "day": 0}),
        "course[0].infusion_number: must be null",
    ),
    (
        "pgic at the first visit",
        with_course(infusion(1, 0, pgic="much_improved")),
        "course[0].pgic: ",
    ),
    (
        "diastolic at its systolic",
        with_course(infusion(1, 0), infusion(2, 3, bp_peak={"systolic": 120, "diastolic": 120})),
        "course[1].bp_peak.diastolic: 120 must be below the systolic",
    ),
    (
        "diastolic out of range",
        with_course(
            infusion(1, 0),
            infusion(2, 3),
            infusion(3, 5),
            infusion(4, 7, bp_peak={"systolic": 200, "diastolic": 170}),
        ),
        "course[3].bp_peak.diastolic: 170 is out of range",
    ),
    (
        "liver value out of range",
        with_course(infusion(1, 0, liver={"status": "done", "alt": 100.1})),
        "course[0].liver.alt: 100.1 is out of range",
    ),
    (
        "liver done without ALT or AST",
        with_course(infusion(1, 0, liver={"status": "done", "bilirubin": 1.0})),
        "course[0].liver: a liver test that is done needs ALT or AST",
    ),
    (
        "liver value with two decimals",
        with_course(infusion(1, 0, liver={"status": "pending", "alp": 1.25})),
        "course[0].liver.alp: 1.25 has more than one decimal",
    ),
    (
        "more than 200 visits",
        with_course(*[{"infusion": "not_given", "day": 0} for _ in range(201)]),
        "course: too many entries (at most 200)",
    ),
    (
        "a course without a plan",
        json.dumps({"schema_version": 4, "course": [infusion(1, 0)]}),
        "course: a course needs a plan",
    ),
    ("a date", with_course(infusion(1, 0, date="2026-12-01")), "course[0].date: unknown field"),
    ("a name", json.dumps({"plan": {**PLAN, "name": "A"}}), "plan.name: unknown field"),
    ("a note", json.dumps({"course_end": {"reason": "other", "note": "x"}}), "course_end.note"),
    (
        "a whole number written 5.0",
        with_course(infusion(1, 0, pain_week=5.0)),
        "course[0].pain_week: expected a whole number",
    ),
    (
        "a plan expecting a fall from 0",
        json.dumps({"plan": {**PLAN, "baseline": {"pain_week": 0}}}),
        "plan.baseline.pain_week: 0 leaves no fall",
    ),
    (
        "both pain measures",
        json.dumps({"plan": {**PLAN, "measures": ["pain_30", "pain_50"]}}),
        "plan.measures: choose at most one of pain_30 and pain_50",
    ),
    (
        "judge after 21",
        json.dumps({"plan": {**PLAN, "judge_after_infusions": 21}}),
        "plan.judge_after_infusions: 21 is out of range; allowed 1 to 20",
    ),
    (
        "an unknown measure",
        json.dumps({"plan": {**PLAN, "measures": ["pain_40"]}}),
        "plan.measures[0]: \"pain_40\" is not allowed; allowed values: 'pain_30'",
    ),
    (
        "a plan in a version 3 file",
        json.dumps({"schema_version": 3, "plan": PLAN}),
        "plan: unknown field in a schema version 3 file",
    ),
    ("a newer version", json.dumps({"schema_version": 5}), "schema_version: this consult"),
]


@pytest.mark.parametrize(("text", "start"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_bad_input_is_refused_naming_the_path(text: str, start: str) -> None:
    with pytest.raises(ConsultError) as refused:
        parse_consult(text)
    message = str(refused.value)
    assert message.startswith(start), message
    assert "\n" not in message


def test_an_unknown_key_says_dates_names_and_free_text_are_not_kept() -> None:
    for text in (
        with_course(infusion(1, 0, date="2026-12-01")),
        json.dumps({"plan": {**PLAN, "note": "went well"}}),
    ):
        with pytest.raises(ConsultError, match="no dates, names or free text"):
            parse_consult(text)


def test_a_well_formed_course_loads() -> None:
    consult = parse_consult(
        with_course(
            infusion(1, 0, pain_week=7),
            {"infusion": "not_given", "day": 2, "pgic": "no_change"},
            {"infusion": "stopped_early", "infusion_number": 2, "day": 2},
            course_end={"reason": "patient_choice"},
        )
    )
    assert [visit.infusion_number for visit in consult.course] == [1, None, 2]
    assert consult.course_end is not None


def test_no_visit_can_be_added_after_the_course_end() -> None:
    consult = parse_consult(with_course(infusion(1, 0), course_end={"reason": "other"}))
    with pytest.raises(ValueError, match="the course has ended"):
        consult.add_visit(Visit.model_validate(infusion(2, 3)))
    assert len(consult.course) == 1


def test_a_visit_that_does_not_follow_is_refused_and_the_course_kept() -> None:
    consult = parse_consult(with_course(infusion(1, 0)))
    with pytest.raises(ValueError, match="infusion_number"):
        consult.add_visit(Visit.model_validate(infusion(3, 3)))
    assert len(consult.course) == 1
    consult.add_visit(Visit.model_validate(infusion(2, 3)))
    assert [visit.infusion_number for visit in consult.course] == [1, 2]


def test_a_version_3_consult_saves_as_version_4() -> None:
    consult = parse_consult(json.dumps({"schema_version": 3, "patient": {"age_years": 40}}))
    assert json.loads(consult.to_json())["schema_version"] == 4
    assert consult.patient.age_years == 40
