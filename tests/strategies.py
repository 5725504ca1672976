"""Hypothesis strategies for valid consults, built from the consult model's own answers,
choices and bounds and from the table of answers (docs/design.md sections 4 and 5): a new
question is drawn as soon as it is in the model and its row is written."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Final

from hypothesis import strategies as st

from decision_aid import consult as model

if TYPE_CHECKING:
    from enum import StrEnum


def _choice(enum: type[StrEnum]) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


def _number(low: int, high: int) -> st.SearchStrategy[int | None]:
    return st.none() | st.integers(low, high)


def _section(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A section whose fields are each sometimes absent (absent is unknown)."""
    return st.fixed_dictionaries({}, optional=fields)


def _prior_treatments() -> st.SearchStrategy[list[dict[str, str]]]:
    return st.lists(
        st.fixed_dictionaries(
            {"therapy": _choice(model.Therapy)}, optional={"outcome": _choice(model.Outcome)}
        ),
        max_size=8,
        unique_by=lambda entry: entry["therapy"],
    )


def handouts() -> st.SearchStrategy[dict[str, str]]:
    """decision.handout as the program records it."""
    return st.fixed_dictionaries(
        {
            "language": _choice(model.Language),
            "paper": _choice(model.Paper),
            "content_stamp": st.text("0123456789abcdef", min_size=6, max_size=64),
        }
    )


def answer_values(path: str) -> st.SearchStrategy[Any]:
    """Any value the model allows for one answer, read off the model (bounds, choices)."""
    if path == "prior_treatments":
        return _prior_treatments()
    choices = [str(choice) for choice in model.field_choices(path) or ()]
    if model.is_list_field(path):
        listed = st.lists(st.sampled_from(choices), unique=True, max_size=len(choices))
        return st.none() | st.just([]) | listed if path in model.REVIEWED_LISTS else listed
    if not choices:
        bounds = model.field_bounds(path)
        assert bounds is not None, path
        return _number(*bounds)
    return st.sampled_from(choices)


def _fields(paths: list[str], depth: int) -> dict[str, st.SearchStrategy[Any]]:
    """The strategies of one section's fields: its answers among the (full, dotted) ``paths``
    at ``depth``, and its inner sections."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    inner: dict[str, list[str]] = {}
    for path in paths:
        parts = path.split(".")
        if len(parts) == depth + 1:
            fields[parts[depth]] = answer_values(path)
        else:
            inner.setdefault(parts[depth], []).append(path)
    for name, section_paths in inner.items():
        section_fields = _fields(section_paths, depth + 1)
        if depth == 0 and name == "decision":
            # The handout given is filled in by the program, not an answer: drawn as it
            # records it.
            section_fields["handout"] = st.none() | handouts()
        fields[name] = _section(**section_fields)
    return fields


@functools.cache
def _free_consult_data() -> st.SearchStrategy[dict[str, Any]]:
    # Built once: a strategy built afresh for every draw is analysed afresh by hypothesis.
    return st.fixed_dictionaries(
        {"schema_version": st.just(model.SCHEMA_VERSION)},
        optional=_fields(list(model.field_paths()), 0),
    )


@st.composite
def consult_data(draw: st.DrawFn) -> dict[str, Any]:
    """JSON data of a valid consult with every answer of the model (``field_paths``, so a
    new question is drawn at once); sections and fields are sometimes absent (= unknown).
    PHQ-9 item 9 never exceeds the total (it is part of it)."""
    data: dict[str, Any] = draw(_free_consult_data())
    comorbidities = data.get("comorbidities", {})
    total, item9 = comorbidities.get("phq9_total"), comorbidities.get("phq9_item9")
    if total is not None and item9 is not None and item9 > total:
        comorbidities["phq9_item9"] = draw(st.integers(0, total))
    return data


def consults() -> st.SearchStrategy[model.Consult]:
    return consult_data().map(model.Consult.model_validate)


def _known_answer(spec: model.AnswerSpec, risky: set[str]) -> st.SearchStrategy[Any]:
    """A known value of a required answer: the safest for an answer with a risk order
    unless it is among the ``risky`` ones, any known value otherwise."""
    return _known_answer_of(spec.path, spec.path in risky)


# Built once for each answer (see _free_consult_data): the values drawn are the same.
@functools.cache
def _known_answer_of(path: str, risky: bool) -> st.SearchStrategy[Any]:
    spec = next(spec for spec in model.ANSWERS if spec.path == path)
    choices = [str(choice) for choice in model.field_choices(spec.path) or ()]
    if model.is_list_field(spec.path):
        return st.just([]) | st.lists(st.sampled_from(choices), unique=True, min_size=1)
    if not choices:
        bounds = model.field_bounds(spec.path)
        assert bounds is not None, spec.path
        return st.integers(*bounds)
    if spec.risk_order and not risky:
        return st.just(spec.risk_order[0])
    # Values that count as unknown where the answer is required ("not assessed") are not
    # known answers.
    unknown_like = {"unknown", *spec.also_unknown}
    return st.sampled_from([choice for choice in choices if choice not in unknown_like])


# The required answers whose values go from safest to riskiest (the table of answers).
_RISK_ORDERED: Final = sorted(
    spec.path for spec in model.ANSWERS if spec.risk_order and spec.need is not model.Need.OPTIONAL
)


_RISKY: Final = st.sets(st.sampled_from(_RISK_ORDERED), max_size=3)


@st.composite
def complete_consult_data(draw: st.DrawFn) -> dict[str, Any]:
    """JSON data of a consult with every required answer known (docs/design.md section 5), the
    conditional ones included, from the table of answers; the optional answers vary as in
    :func:`consult_data`. Such a consult is never incomplete for a gap, only for a conflict.
    Most answers with a risk order are the safest and up to three are drawn from all known
    values, so that every status occurs."""
    data = draw(consult_data())
    risky = draw(_RISKY)
    for spec in model.ANSWERS:
        if spec.need is not model.Need.OPTIONAL:
            *sections, name = spec.path.split(".")
            holder = data
            for section in sections:
                holder = holder.setdefault(section, {})
            holder[name] = draw(_known_answer(spec, risky))
    comorbidities = data["comorbidities"]
    total = comorbidities.get("phq9_total")
    if total is not None and comorbidities["phq9_item9"] > total:
        comorbidities["phq9_item9"] = draw(st.integers(0, min(3, total)))
    return data
