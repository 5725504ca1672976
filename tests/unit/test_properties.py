"""Properties over generated version 2 consults (docs/design.md section 5): monotone safety, unknown
answers never better than incomplete, determinism and sources that resolve."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any, Final

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from decision_aid.catalogue import Level, Status
from decision_aid.consult import (
    ANSWERS,
    CONDITIONALLY_REQUIRED,
    Consult,
    KetamineHarm,
    Medication,
    Substance,
    answer_spec,
    field_choices,
    field_paths,
    is_list_field,
    parse_consult,
)
from decision_aid.rules import Answer, Assessment, answer, assess
from tests.helpers import ALWAYS_REQUIRED, content, set_in_data
from tests.strategies import complete_consult_data, consult_data, consults

if TYPE_CHECKING:
    from collections.abc import Callable

PROPERTY = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)

# Generated consults: any valid data, and data with every required answer known (in which the
# status is decided by the findings alone, so that a change of one answer can show).
any_consult_data = st.one_of(consult_data(), complete_consult_data())


def assessed(data: dict[str, Any]) -> Assessment:
    return assess(Consult.model_validate(data), content())


def with_answer(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of the data with one answer (a dotted path) set."""
    changed: dict[str, Any] = copy.deepcopy(data)
    set_in_data(changed, path, value)
    return changed


def answers_of(data: dict[str, Any]) -> Callable[[str], Answer]:
    """The answers of consult data by dotted path, as ``rules.answer`` gives them (an absent
    choice is "unknown", an absent number or list None)."""
    consult = Consult.model_validate(data)
    return lambda path: answer(consult, path)


# Each answer's known values from safest to riskiest, from the table of answers
# (docs/design.md section 5). "unknown" is in no order: it is not a degree of risk, and
# properties (b) and (c) test it.
RISK_ORDERS: Final[dict[str, list[Any]]] = {
    spec.path: list(spec.risk_order) for spec in ANSWERS if spec.risk_order
}


def test_every_safety_choice_has_a_risk_order() -> None:
    # So that property (a) covers a new safety question as soon as its row is written.
    choices = {
        path
        for path in field_paths()
        if path.startswith("safety.") and not is_list_field(path) and field_choices(path)
    }
    assert choices <= set(RISK_ORDERS)
    assert len(RISK_ORDERS) >= 14


# Changes towards more risk that are not a step along one order.
OTHER_CHANGES: Final = (
    "add a medication",
    "add a substance",
    "add a harm",
    "PHQ-9 total up",
    "PHQ-9 item 9 up",
    "age under 18",
    "age 65 or over",
)

_LISTS: Final[dict[str, tuple[str, list[Any]]]] = {
    "add a medication": ("safety.medications", list(Medication)),
    "add a substance": ("substance_use.substances", list(Substance)),
    "add a harm": ("ketamine_exposure.harms", list(KetamineHarm)),
}


def riskier_pair(
    data: dict[str, Any], change: str, draw: st.DataObject
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the safer consult data, the same with one answer changed to a riskier value)."""
    if change in RISK_ORDERS:
        order = RISK_ORDERS[change]
        lower = draw.draw(st.integers(0, len(order) - 2))
        higher = draw.draw(st.integers(lower + 1, len(order) - 1))
        return with_answer(data, change, order[lower]), with_answer(data, change, order[higher])
    if change in _LISTS:
        path, choices = _LISTS[change]
        # Only a list that was reviewed (or asked): adding to "not reviewed" is not a change
        # of risk but an answer given.
        listed = answers_of(data)(path)
        assume(isinstance(listed, list))
        assert isinstance(listed, list)
        addable = [choice.value for choice in choices if choice.value not in listed]
        assume(addable)
        added = draw.draw(st.sampled_from(addable))
        return data, with_answer(data, path, [*listed, added])
    if change == "PHQ-9 item 9 up":
        total = answers_of(data)("comorbidities.phq9_total")
        assert total is None or isinstance(total, int)
        highest = 3 if total is None else min(3, total)
        assume(highest >= 1)
        lower = draw.draw(st.integers(0, highest - 1))
        higher = draw.draw(st.integers(lower + 1, highest))
        path = "comorbidities.phq9_item9"
        return with_answer(data, path, lower), with_answer(data, path, higher)
    if change == "PHQ-9 total up":
        item9 = answers_of(data)("comorbidities.phq9_item9")
        floor = item9 if isinstance(item9, int) else 0
        lower = draw.draw(st.integers(floor, 26))
        higher = draw.draw(st.integers(lower + 1, 27))
        path = "comorbidities.phq9_total"
        return with_answer(data, path, lower), with_answer(data, path, higher)
    if change == "age 65 or over":
        younger = draw.draw(st.integers(18, 64))
        older = draw.draw(st.integers(65, 120))
        path = "patient.age_years"
        return with_answer(data, path, younger), with_answer(data, path, older)
    assert change == "age under 18"
    adult = draw.draw(st.integers(18, 120))
    minor = draw.draw(st.integers(0, 17))
    return with_answer(data, "patient.age_years", adult), with_answer(
        data, "patient.age_years", minor
    )


@PROPERTY
@given(any_consult_data, st.sampled_from([*RISK_ORDERS, *OTHER_CHANGES]), st.data())
def test_a_riskier_answer_never_gives_a_better_status(
    data: dict[str, Any], change: str, draw: st.DataObject
) -> None:
    safer, riskier = riskier_pair(data, change, draw)
    before = assessed(safer)
    # Consults with a check finding are left out on purpose. A check means two answers
    # contradict each other, and the consult is incomplete until one is corrected; changing
    # one of them to a riskier value can be that correction. "Substances listed while the
    # status is none" is incomplete, and changing the status to the riskier "in remission"
    # resolves the contradiction and gives specialist_review, a better status. That is the
    # contradiction being resolved, not safety getting worse; from a consistent consult a
    # riskier answer must never help.
    assume(not before.conflicts)
    after = assessed(riskier)
    assert after.status.rank >= before.status.rank, (change, before.status, after.status)


NO_BETTER_THAN_INCOMPLETE: Final = frozenset({Status.INCOMPLETE, Status.NOT_ADVISED})


def known(value: Any) -> bool:
    return value is not None and value != "unknown"


@PROPERTY
@given(complete_consult_data(), st.sampled_from(sorted(ALWAYS_REQUIRED)))
def test_a_required_answer_made_unknown_is_never_better_than_incomplete(
    data: dict[str, Any], path: str
) -> None:
    assert known(answers_of(data)(path))
    unknown = assessed(with_answer(data, path, ALWAYS_REQUIRED[path]))
    assert unknown.status in NO_BETTER_THAN_INCOMPLETE
    assert path in unknown.missing


@PROPERTY
@given(
    complete_consult_data(),
    st.sampled_from(CONDITIONALLY_REQUIRED),
    st.sampled_from(["unknown", "not_assessed"]),
)
def test_a_conditional_answer_made_unknown_where_required_is_never_better_than_incomplete(
    data: dict[str, Any], path: str, unknown_word: str
) -> None:
    # Where the consult calls for it; a suicide risk "not assessed" counts as unknown.
    assume(answer_spec(path).required(Consult.model_validate(data)))
    value = unknown_word if path == "decision.suicide_risk" else None
    unknown = assessed(with_answer(data, path, value))
    assert unknown.status in NO_BETTER_THAN_INCOMPLETE
    assert path in unknown.missing


def required_unknown(data: dict[str, Any]) -> list[str]:
    """The required answers left unknown, worked out from docs/design.md section 4.2
    directly."""
    value_at = answers_of(data)
    gaps = [path for path in ALWAYS_REQUIRED if not known(value_at(path))]
    depressed = value_at("comorbidities.depression") in ("current", "treatment_resistant")
    total = value_at("comorbidities.phq9_total")
    if depressed and total is None:
        gaps.append("comorbidities.phq9_total")
    item9 = value_at("comorbidities.phq9_item9")
    if item9 is None and (depressed or (isinstance(total, int) and total >= 10)):
        gaps.append("comorbidities.phq9_item9")
    substances = value_at("substance_use.substances")
    exposed = value_at("ketamine_exposure.status") in (
        "past_course",
        "esketamine_now",
        "other_ketamine_now",
    )
    if value_at("ketamine_exposure.harms") is None and (
        exposed or (isinstance(substances, list) and "ketamine_or_dissociatives" in substances)
    ):
        gaps.append("ketamine_exposure.harms")
    if value_at("substance_use.status") in ("in_remission", "active") and substances is None:
        gaps.append("substance_use.substances")
    risk_unknown = value_at("decision.suicide_risk") in ("unknown", "not_assessed")
    if isinstance(item9, int) and item9 >= 1 and risk_unknown:
        gaps.append("decision.suicide_risk")
    return gaps


@st.composite
def consults_with_a_gap(draw: st.DrawFn) -> dict[str, Any]:
    """Complete consult data with one to three required answers made unknown, or any data."""
    data: dict[str, Any] = draw(st.one_of(complete_consult_data(), consult_data()))
    conditional = list(CONDITIONALLY_REQUIRED)
    for path in draw(st.sets(st.sampled_from([*ALWAYS_REQUIRED, *conditional]), max_size=3)):
        unknown = None if field_choices(path) is None or is_list_field(path) else "unknown"
        data = with_answer(data, path, unknown)
    return data


@PROPERTY
@given(consults_with_a_gap())
def test_a_consult_with_a_required_answer_unknown_is_never_concluded(
    data: dict[str, Any],
) -> None:
    gaps = required_unknown(data)
    assessment = assessed(data)
    assert set(assessment.missing) == set(gaps)
    if gaps:
        assert assessment.status not in (
            Status.MAY_DISCUSS,
            Status.STANDARD_CARE_FIRST,
            Status.SPECIALIST_REVIEW,
        )


@PROPERTY
@given(consults())
def test_assess_is_deterministic_and_every_citation_resolves(consult: Consult) -> None:
    first = assess(consult, content())
    again = assess(copy.deepcopy(consult), content())
    assert first == again
    assert json.dumps(first.as_json()) == json.dumps(again.as_json())
    sources = content().evidence.sources
    for finding in first.findings:
        assert all(key in sources for key in finding.citations), finding.rule
        if finding.level is not Level.CHECK:
            assert finding.citations, finding.rule
        assert "{" not in finding.text
        assert "}" not in finding.text
    assert first.urgent == tuple(finding for finding in first.findings if finding.urgent)


def expected_status(assessment: Assessment) -> Status:
    """The status rule of docs/design.md section 5, from the findings and the gaps."""
    levels = {finding.level for finding in assessment.findings}
    if Level.STOP in levels:
        return Status.NOT_ADVISED
    if assessment.missing or Level.CHECK in levels:
        return Status.INCOMPLETE
    if Level.CAUTION in levels:
        return Status.SPECIALIST_REVIEW
    if Level.FIRST in levels:
        return Status.STANDARD_CARE_FIRST
    return Status.MAY_DISCUSS


@PROPERTY
@given(any_consult_data)
def test_the_status_follows_from_the_findings_and_gaps(data: dict[str, Any]) -> None:
    assessment = assessed(data)
    assert assessment.status is expected_status(assessment)


@PROPERTY
@given(consults())
def test_json_round_trip_is_identity(consult: Consult) -> None:
    text = consult.to_json()
    assert json.loads(text)["schema_version"] == 4
    assert parse_consult(text) == consult


def contains(whole: Any, part: Any) -> bool:
    """Whether every answer given in ``part`` is in ``whole`` (which may add defaults)."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(
            key in whole and contains(whole[key], value) for key, value in part.items()
        )
    if isinstance(part, list):
        return (
            isinstance(whole, list)
            and len(whole) == len(part)
            and all(contains(w, p) for w, p in zip(whole, part, strict=True))
        )
    return bool(whole == part)


@PROPERTY
@given(consult_data())
def test_data_round_trip_keeps_every_given_answer(data: dict[str, Any]) -> None:
    dumped = json.loads(Consult.model_validate(data).to_json())
    assert contains(dumped, data)
