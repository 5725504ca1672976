"""Hostile consult files: refused with a one-line message, never a crash, in bounded time."""

from __future__ import annotations

import json
import resource
import time
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.consult import ConsultError, field_paths, parse_consult
from decision_aid.files import read_consult_file
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


@settings(max_examples=300)
@given(consult_data(), st.sampled_from(field_paths()), json_values)
def test_every_field_with_every_kind_of_value(data: dict[str, Any], path: str, value: Any) -> None:
    section, _, name = path.partition(".")
    if name:
        data.setdefault(section, {})[name] = value
    else:
        data[section] = value
    refused_or_valid(json.dumps(data))


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


def test_a_50_mb_file_is_refused_quickly_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.consult.json"
    with path.open("wb") as file:
        file.write(b'{"patient": {"age_years": 40}, "pad": "')
        file.write(b"x" * 50_000_000)
        file.write(b'"}')
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(ConsultError, match="too large to be a consult file"):
        read_consult_file(path)
    assert time.perf_counter() - start < 2
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 20_000, "the file must not be read whole"
