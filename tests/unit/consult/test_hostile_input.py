"""Hostile consult files: refused with a one-line message, never a crash, in bounded memory."""

from __future__ import annotations

import copy
import json
import resource
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.consult import ConsultError, field_paths, parse_consult
from decision_aid.files import read_consult_file
from tests.helpers import V1_DATA, set_in_data
from tests.strategies import consult_data

if TYPE_CHECKING:
    from pathlib import Path

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def refused_or_valid(text: str | bytes) -> None:
    message = ""
    try:
        parse_consult(text)
    except ConsultError as error:
        message = str(error) or "(empty message)"
    assert "\n" not in message
    assert message != "(empty message)"


@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    refused_or_valid(data)


@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    refused_or_valid(text)


@given(json_values)
def test_random_json(value: Any) -> None:
    refused_or_valid(json.dumps(value))


PATHS = [*field_paths(), "decision.handout", "decision.handout.content_stamp", "schema_version"]


@settings(max_examples=300, deadline=None)
@given(consult_data(), st.sampled_from(PATHS), json_values)
def test_every_field_with_every_kind_of_value(data: dict[str, Any], path: str, value: Any) -> None:
    set_in_data(data, path, value)
    refused_or_valid(json.dumps(data))


V1_SAMPLE = json.loads((V1_DATA / "psychosis-history.v1.consult.json").read_text("utf-8"))
V1_PATHS = [
    f"{section}.{name}" if isinstance(values, dict) else section
    for section, values in V1_SAMPLE.items()
    for name in (values if isinstance(values, dict) else [None])
    if section != "schema_version"
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(V1_PATHS), json_values)
def test_a_version_1_file_with_any_value_is_upgraded_or_refused(path: str, value: Any) -> None:
    data = copy.deepcopy(V1_SAMPLE)
    set_in_data(data, path, value)
    refused_or_valid(json.dumps(data))


@settings(max_examples=200, deadline=None)
@given(st.integers(-5, 40) | st.none(), st.integers(-2, 6) | st.none())
def test_any_version_1_phq9_pair_is_upgraded_or_refused(
    total: int | None, item9: int | None
) -> None:
    data = copy.deepcopy(V1_SAMPLE)
    data["comorbidities"].update(phq9_total=total, phq9_item9=item9)
    text = json.dumps(data)
    in_range = (total is None or 0 <= total <= 27) and (item9 is None or 0 <= item9 <= 3)
    if not in_range:
        with pytest.raises(ConsultError):
            parse_consult(text)
        return
    # Every in-range version 1 pair loads: item 9 is kept, a total below it is asked again.
    consult = parse_consult(text)
    assert consult.comorbidities.phq9_item9 == item9
    if total is not None and item9 is not None and item9 > total:
        assert consult.comorbidities.phq9_total is None
    else:
        assert consult.comorbidities.phq9_total == total


@pytest.mark.parametrize(
    "text",
    [
        '{"schema_version": 2, "schema_version": 2}',
        '{"patient": {"age_years": 40}, "patient": {"age_years": 40}}',
        '{"decision": {"sure": {"clear_what_matters": "yes", "clear_what_matters": "no"}}}',
        '{"prior_treatments": [{"therapy": "cbt", "therapy": "exercise"}]}',
        '{"safety": {"medications": [], "medications": ["opioid"]}}',
    ],
)
def test_a_repeated_key_at_any_depth_is_refused(text: str) -> None:
    with pytest.raises(ConsultError, match="given twice in one JSON object"):
        parse_consult(text)


@pytest.mark.parametrize("depth", [50, 5_000, 200_000])
def test_deeply_nested_json(depth: int) -> None:
    for text in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        with pytest.raises(ConsultError):
            parse_consult(text)


def test_deeply_nested_inside_a_section() -> None:
    nested = '{"x":' * 200 + "1" + "}" * 200
    with pytest.raises(ConsultError, match=r"^patient\.x: unknown field"):
        parse_consult('{"patient": ' + nested + "}")


def test_huge_string_value() -> None:
    text = json.dumps({"insurance": {"coverage": "a" * 900_000}})
    with pytest.raises(ConsultError) as caught:
        parse_consult(text)
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize(
    ("encoding", "accepted"),
    [("utf-8", True), ("utf-8-sig", True), ("utf-16", True), ("latin-1", False), ("cp1252", False)],
)
def test_encodings(tmp_path: Path, encoding: str, accepted: bool) -> None:
    # A non-ASCII character, so that the single-byte encodings are not valid UTF-8.
    path = tmp_path / "x.consult.json"
    path.write_bytes(
        '{"patient": {"age_years": 40}, "priorities": ["cost"], "ñ": 1}'.encode(encoding)
    )
    with pytest.raises(ConsultError) as caught:
        read_consult_file(path)
    if accepted:
        assert "ñ: unknown field" in str(caught.value)
    else:
        assert "UTF-8" in str(caught.value) or "not valid JSON" in str(caught.value)


def test_a_50_mb_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.consult.json"
    with path.open("wb") as file:
        file.write(b'{"patient": {"age_years": 40}, "pad": "')
        file.write(b"x" * 50_000_000)
        file.write(b'"}')
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ConsultError, match="too large to be a consult file"):
        read_consult_file(path)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 20_000, "the file must not be read whole"
