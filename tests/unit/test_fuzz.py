"""Fuzz targets of the three readers of outside data (issue 25): the consult reader, the FHIR
reader and the pack loader, each fed valid inputs mutated.

Bounded and seeded in CI (hypothesis's derandomize: the same examples every run); a longer,
random run is asked for with an environment variable::

    DECISION_AID_FUZZ_EXAMPLES=100000 .venv/bin/pytest -q -n 0 tests/unit/test_fuzz.py

What each asserts: only the documented error escapes (ConsultError, ContentError); a refused
input never yields a consult; an accepted input says one thing per answer (no JSON key or YAML
key given twice, no item that does not repeat answered twice) and reads as exactly what it
says, so never safer.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from decision_aid import fhir
from decision_aid.consult import (
    Consult,
    ConsultError,
    answer_at,
    field_paths,
    is_list_field,
    parse_consult,
)
from decision_aid.content import ContentError, load_content
from tests.helpers import REPO, content, copy_pack
from tests.strategies import consults

if TYPE_CHECKING:
    import pytest

# Examples per target: a few hundred in CI, seeded; more (and random) on request.
_ASKED: Final = os.environ.get("DECISION_AID_FUZZ_EXAMPLES")
EXAMPLES: Final = int(_ASKED) if _ASKED else 200
PACK_EXAMPLES: Final = int(_ASKED) if _ASKED else 60

FUZZ: Final = settings(
    max_examples=EXAMPLES,
    derandomize=_ASKED is None,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def repeated_keys(text: str | bytes) -> bool:
    """Whether JSON text gives one key twice in an object (an independent check)."""
    found = False

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal found
        keys = [key for key, _ in pairs]
        found = found or len(keys) != len(set(keys))
        return dict(pairs)

    json.loads(text, object_pairs_hook=hook)
    return found


# --- text mutations -------------------------------------------------------------------------

_INSERTS: Final = [
    '"x": 1, ',
    "[" * 3000,
    "9" * 5000,
    "\x1b",
    "\u200b",
    '"',
    "{",
    "}",
    ",",
    "null",
    "-0",
    "1e400",
    "\\ud800",
]


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> str:
    """A text with some edits: characters inserted, removed or replaced, an object's member
    given again (a repeated key), or its value replaced by any JSON value."""
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        kind = draw(st.sampled_from(["insert", "delete", "repeat", "replace"]))
        at = draw(st.integers(min_value=0, max_value=max(len(text) - 1, 0)))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(_INSERTS) | st.text(max_size=4)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=8)) :]
        elif kind == "repeat":
            # '"key": value,' given again right after itself.
            start = text.rfind('"', 0, at)
            start = text.rfind('"', 0, start) if start > 0 else -1
            end = text.find(",", at)
            if start >= 0 and end > start:
                member = text[start : end + 1]
                text = text[: end + 1] + " " + member + text[end + 1 :]
        else:
            value = json.dumps(draw(json_values))
            end = text.find(",", at)
            colon = text.rfind(":", 0, at)
            if colon >= 0 and end > colon:
                text = text[: colon + 1] + " " + value + text[end:]
    return text


# --- the consult reader ---------------------------------------------------------------------


@FUZZ
@given(data=st.data(), consult=consults())
def test_fuzz_the_consult_reader(data: st.DataObject, consult: Consult) -> None:
    text = data.draw(mutated_text(consult.model_dump_json(indent=1)))
    try:
        read = parse_consult(text)
    except ConsultError:
        event("refused")
        return
    event("accepted")
    assert isinstance(read, Consult)
    assert not repeated_keys(text), "a file with a key given twice was read"


# --- the FHIR reader ------------------------------------------------------------------------


def _items(data: Any) -> list[dict[str, Any]]:
    """Every item of a response at any depth."""
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "linkId" in node:
                found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


@st.composite
def mutated_response(draw: st.DrawFn, response: dict[str, Any]) -> dict[str, Any]:
    """A response with one or more structural edits: an answer given again or another of the
    item's codes added, an item given again, a part replaced by any JSON value."""
    response = copy.deepcopy(response)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        items = [
            item
            for item in _items(response)
            if isinstance(item.get("answer"), list)
            and item["answer"]
            and all(isinstance(answer, dict) for answer in item["answer"])
        ]
        if not items:
            break
        item = draw(st.sampled_from(items))
        kind = draw(
            st.sampled_from(["second_answer", "other_code", "change_code", "twice", "replace"])
        )
        if kind == "second_answer":
            item["answer"].append(copy.deepcopy(draw(st.sampled_from(item["answer"]))))
        elif kind == "other_code":
            answer = copy.deepcopy(item["answer"][0])
            if isinstance(answer.get("valueCoding"), dict):
                path = item["linkId"]
                codes = _codes(path)
                if codes:
                    answer["valueCoding"]["code"] = draw(st.sampled_from(codes))
            elif "valueInteger" in answer:
                answer["valueInteger"] = draw(st.integers(min_value=-5, max_value=400))
            item["answer"].append(answer)
        elif kind == "change_code":
            # Another answer in place of the one given: valid, and read as it is said.
            answer = item["answer"][0]
            codes = _codes(item["linkId"])
            if isinstance(answer.get("valueCoding"), dict) and codes:
                answer["valueCoding"]["code"] = draw(st.sampled_from(codes))
        elif kind == "twice":
            groups = [
                group
                for group in response["item"]
                if isinstance(group, dict) and isinstance(group.get("item"), list)
            ]
            if groups:
                draw(st.sampled_from(groups))["item"].append(copy.deepcopy(item))
        else:
            key = draw(st.sampled_from(sorted(item)))
            item[key] = draw(json_values)
    return response


def _codes(path: str) -> list[str]:
    from decision_aid.consult import field_choices

    try:
        return list(field_choices(path) or ()) if isinstance(path, str) else []
    except KeyError:
        return []


def _single_answers(response: dict[str, Any]) -> dict[str, list[Any]]:
    """The answers each item of a non-repeating question gives, by linkId."""
    said: dict[str, list[Any]] = {}
    for item in _items(response):
        path = item.get("linkId")
        if not isinstance(path, str) or path not in field_paths() or is_list_field(path):
            continue
        if path == "prior_treatments":
            continue
        for answer in item.get("answer", []) if isinstance(item.get("answer"), list) else []:
            if isinstance(answer, dict):
                value = answer.get("valueCoding", {})
                value = value.get("code") if isinstance(value, dict) else None
                said.setdefault(path, []).append(
                    value if value is not None else answer.get("valueInteger")
                )
    return said


def _check_accepted(response: Any, consult: Consult, text: str | None) -> None:
    assert isinstance(consult, Consult)
    if text is not None:
        assert not repeated_keys(text), "a response with a key given twice was read"
    for path, values in _single_answers(response).items():
        assert len(values) <= 1, f"{path} answered {values} and accepted"
        # What is read is what the response says: never a kinder answer.
        if values and values[0] is not None:
            read = answer_at(consult, path)
            assert str(getattr(read, "value", read)) == str(values[0]), (path, values, read)


@FUZZ
@given(data=st.data(), consult=consults())
def test_fuzz_the_fhir_reader_with_changed_structure(data: st.DataObject, consult: Consult) -> None:
    response = data.draw(mutated_response(fhir.questionnaire_response(consult, content())))
    try:
        read = fhir.consult_from_questionnaire_response(response)
    except ConsultError:
        event("refused")
        return
    event("accepted")
    _check_accepted(response, read, None)


@FUZZ
@given(data=st.data(), consult=consults())
def test_fuzz_the_fhir_reader_with_changed_text(data: st.DataObject, consult: Consult) -> None:
    text = data.draw(mutated_text(fhir.to_json(fhir.questionnaire_response(consult, content()))))
    try:
        read = fhir.consult_from_questionnaire_response(text)
    except ConsultError:
        event("refused")
        return
    event("accepted")
    _check_accepted(json.loads(text), read, text)


# --- the pack loader ------------------------------------------------------------------------

PACK_FILES: Final = [
    "pack.yaml",
    "evidence.yaml",
    "rules.yaml",
    "questions.yaml",
    "course_words.yaml",
    "handout/en.yaml",
    "handout/es.yaml",
]
_YAML_INSERTS: Final = [
    "\u200b",
    "\x1b[8m",
    "\u202e",
    ": ",
    "- ",
    "&a ",
    "*a",
    "{",
    "[",
    "'",
    '"',
    "\n",
    "  ",
    "!!python/object:os.system ",
    "9" * 5000,
]


@st.composite
def mutated_yaml(draw: st.DrawFn, text: str) -> str:
    """A pack file with some edits: lines given again (a repeated key among them), removed or
    moved in or out, characters inserted."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        kind = draw(st.sampled_from(["repeat", "delete", "indent", "insert"]))
        if kind == "repeat":
            lines.insert(draw(st.integers(min_value=0, max_value=len(lines))), lines[at])
        elif kind == "delete":
            del lines[at]
        elif kind == "indent":
            lines[at] = ("  " + lines[at]) if draw(st.booleans()) else lines[at].lstrip()
        else:
            line = lines[at]
            column = draw(st.integers(min_value=0, max_value=len(line)))
            insert = draw(st.sampled_from(_YAML_INSERTS) | st.text(max_size=3))
            lines[at] = line[:column] + insert + line[column:]
    return "\n".join(lines)


_PACK: Final = REPO / "resources"


def _yaml_repeats_a_key(text: str) -> bool:
    """Whether YAML text gives one key twice in a mapping (an independent check, by nodes)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
            if len(keys) != len(set(keys)):
                return True
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


@settings(FUZZ, max_examples=PACK_EXAMPLES)
@given(data=st.data(), name=st.sampled_from(PACK_FILES))
def test_fuzz_the_pack_loader(
    data: st.DataObject, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import unicodedata

    monkeypatch.setenv("DECISION_AID_NO_CACHE", "1")
    original = (_PACK / name).read_text(encoding="utf-8")
    text = data.draw(mutated_yaml(original))
    with tempfile.TemporaryDirectory() as folder:
        pack = copy_pack(Path(folder) / "pack")
        (pack / name).write_text(text, encoding="utf-8")
        refused_file: str | None = None
        try:
            loaded = load_content(pack)
        except ContentError as error:
            refused_file = error.file
    if refused_file is not None:
        assert refused_file in PACK_FILES, refused_file  # names the file it refuses
        event("refused")
        return
    event("accepted")
    assert loaded.stamp
    assert not _yaml_repeats_a_key(text), "a file with a key given twice was loaded"
    hidden = [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf")]
    # In a comment a character shows nowhere; anywhere else it would have been refused.
    if hidden:
        assert all(
            "#" in line.split(hidden_char)[0]
            for hidden_char in hidden
            for line in text.split("\n")
            if hidden_char in line
        ), f"a text holding {hidden!r} was loaded"
