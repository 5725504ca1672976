"""The bounds of an assessment: the best and the worst status a consult can still reach by
answering its unknown required answers (docs/design.md section 5)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from decision_aid.catalogue import Status
from decision_aid.consult import (
    ANSWERS,
    Consult,
    Need,
    answer_spec,
    field_bounds,
    field_choices,
    is_list_field,
)
from decision_aid.files import read_consult_file
from decision_aid.rules import Assessment, Bounds, assess
from tests.helpers import content, example_paths, safe_consult, set_in_data
from tests.strategies import consult_data


def run(consult: Consult) -> Assessment:
    return assess(consult, content())


@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.name)
def test_an_example_with_nothing_missing_has_its_status_as_both_bounds(path: Any) -> None:
    assessment = run(read_consult_file(path))
    if not assessment.missing:
        assert assessment.bounds == Bounds(assessment.status, assessment.status)
    else:
        assert assessment.bounds.best.rank <= assessment.bounds.worst.rank


def test_an_empty_consult_can_still_go_either_way() -> None:
    # Filled safest: an adult with no safety finding, nothing tried yet (standard care and
    # the diagnosis come first); filled riskiest: under 18, pregnant, every stop.
    assert run(Consult()).bounds == Bounds(Status.STANDARD_CARE_FIRST, Status.NOT_ADVISED)


def test_one_unknown_safety_answer_decides_between_may_discuss_and_not_advised() -> None:
    assessment = run(safe_consult(safety={"liver": "unknown"}))
    assert assessment.status is Status.INCOMPLETE
    assert assessment.bounds == Bounds(Status.MAY_DISCUSS, Status.NOT_ADVISED)
    caution = run(safe_consult(safety={"liver": "unknown", "cardiovascular": "controlled"}))
    assert caution.bounds == Bounds(Status.SPECIALIST_REVIEW, Status.NOT_ADVISED)


def test_a_stop_from_known_answers_closes_the_bounds() -> None:
    assessment = run(safe_consult(patient={"pregnancy": "pregnant"}, safety={"liver": "unknown"}))
    assert assessment.bounds == Bounds(Status.NOT_ADVISED, Status.NOT_ADVISED)


def test_the_filling_never_contradicts_a_known_answer() -> None:
    # "none" would contradict a PHQ-9 total of 12 (a check): depression is filled "current",
    # which asks for item 9, filled too; the best is then may discuss, not incomplete.
    # (A psychological therapy was tried, so current depression asks for nothing first.)
    depression = run(
        safe_consult(
            comorbidities={"depression": "unknown", "phq9_total": 12},
            prior_treatments=[
                {"therapy": "exercise", "outcome": "partial_benefit"},
                {"therapy": "cbt", "outcome": "helping"},
                {"therapy": "duloxetine", "outcome": "no_benefit"},
                {"therapy": "pregabalin", "outcome": "stopped_side_effects"},
            ],
        )
    )
    assert depression.bounds.best is Status.MAY_DISCUSS
    # Use in remission with the substances unknown: "none of these" would contradict it.
    substances = run(safe_consult(substance_use={"status": "in_remission", "substances": None}))
    # At worst ketamine is among them: a stop (schema 3), with the harms it asks for filled.
    assert substances.bounds == Bounds(Status.SPECIALIST_REVIEW, Status.NOT_ADVISED)


def test_a_conflict_from_known_answers_keeps_both_bounds_no_better_than_incomplete() -> None:
    conflict = safe_consult(
        substance_use={"status": "none", "substances": ["alcohol"]}, safety={"liver": "unknown"}
    )
    bounds = run(conflict).bounds
    assert bounds == Bounds(Status.INCOMPLETE, Status.NOT_ADVISED)


def test_assess_json_gives_the_bounds() -> None:
    data = run(Consult()).as_json()
    assert data["bounds"] == {"best": "standard_care_first", "worst": "not_advised"}


def test_every_required_answer_has_values_to_fill_it_with() -> None:
    for spec in ANSWERS:
        if spec.need is not Need.OPTIONAL:
            assert spec.fill_values, spec.path


def _known(path: str) -> st.SearchStrategy[Any]:
    """Any known value of a required answer."""
    choices = [str(choice) for choice in field_choices(path) or ()]
    if is_list_field(path):
        return st.lists(st.sampled_from(choices), unique=True)
    if not choices:
        bounds = field_bounds(path)
        assert bounds is not None
        return st.integers(*bounds)
    unknown_like = {"unknown", *answer_spec(path).also_unknown}
    return st.sampled_from([choice for choice in choices if choice not in unknown_like])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=consult_data(), draw=st.data())
def test_the_bounds_bracket_every_completion_that_adds_no_conflict(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    consult = Consult.model_validate(data)
    before = run(consult)
    completed = consult
    # Answer what is missing, then what those answers call for, with any known values.
    for _ in range(6):
        missing = run(completed).missing
        if not missing:
            break
        filled = completed.model_dump(mode="json")
        for path in missing:
            set_in_data(filled, path, draw.draw(_known(path), label=path))
        try:
            completed = Consult.model_validate(filled)
        except ValidationError:
            assume(False)  # item 9 above the total: no consult anyone can save
    after = run(completed)
    assume(not after.missing)
    known_conflicts = {finding.rule for finding in before.conflicts}
    assume({finding.rule for finding in after.conflicts} <= known_conflicts)
    assert before.bounds.best.rank <= after.status.rank <= before.bounds.worst.rank, (
        before.bounds,
        after.status,
    )
