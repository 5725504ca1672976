"""Reading a version 1 consult file (docs/design.md section 4.1): it loads as version 3 (read as
version 2, then as version 3), names the questions to answer again, is incomplete until they
are answered, and saves as version 3."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

import pytest
from pydantic import BaseModel

from decision_aid.catalogue import Status
from decision_aid.cli import main
from decision_aid.consult import (
    ALWAYS_REQUIRED,
    ConsultError,
    Psychosis,
    Upgrade,
    field_paths,
    new_required_since,
    parse_consult,
    parse_consult_upgrading,
)
from decision_aid.consult.v1 import ConsultV1
from decision_aid.files import read_consult_file_upgrading, write_atomic
from decision_aid.rules import assess
from tests.helpers import V1_DATA, content, example_paths

if TYPE_CHECKING:
    from pathlib import Path

V1_FILES: Final = sorted(V1_DATA.glob("*.consult.json"))


def v1_paths(model: type[BaseModel] = ConsultV1, prefix: str = "") -> set[str]:
    """Every answer a version 1 file could hold, read off version 1's own model."""
    paths: set[str] = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths |= v1_paths(annotation, f"{prefix}{name}.")
        elif name != "schema_version":
            paths.add(f"{prefix}{name}")
    return paths


# Required now and never asked by version 1 (no field of its model): always asked again.
NEW_REQUIRED: Final = set(ALWAYS_REQUIRED) - v1_paths()

# What each version 1 sample must be asked again, by file name.
ANSWER_AGAIN: Final = {
    # Empty lists in version 1 could mean "not asked": both are asked again.
    "may-discuss.v1.consult.json": NEW_REQUIRED
    | {"safety.medications", "substance_use.substances"},
    # "history" could be one past episode or a chronic disorder; the non-empty lists carry over.
    "psychosis-history.v1.consult.json": NEW_REQUIRED | {"safety.psychosis"},
}


def v1_data(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((V1_DATA / name).read_text(encoding="utf-8"))
    return data


def test_the_table_says_since_when_each_required_answer_is_asked() -> None:
    # The table's "since" against version 1's own model: a required answer version 1 never
    # asked is one the table dates later (version 2 added five safety questions, version 3
    # two more and the ketamine-exposure status).
    assert set(new_required_since(1)) == NEW_REQUIRED
    assert len(NEW_REQUIRED) >= 8


def test_both_samples_are_version_1() -> None:
    assert sorted(path.name for path in V1_FILES) == sorted(ANSWER_AGAIN)
    for path in V1_FILES:
        assert v1_data(path.name)["schema_version"] == 1


@pytest.mark.parametrize("path", V1_FILES, ids=lambda path: path.name)
def test_a_version_1_file_loads_as_version_3_naming_the_questions_to_answer_again(
    path: Path,
) -> None:
    consult, upgrade = parse_consult_upgrading(path.read_bytes())
    assert consult.schema_version == 4
    assert isinstance(upgrade, Upgrade)
    assert upgrade.from_version == 1
    assert set(upgrade.answer_again) == ANSWER_AGAIN[path.name]
    # Listed once each, in the order of the consult file.
    order = list(field_paths())
    assert list(upgrade.answer_again) == sorted(upgrade.answer_again, key=order.index)


@pytest.mark.parametrize("path", V1_FILES, ids=lambda path: path.name)
def test_an_upgraded_file_is_incomplete_until_answered_again(path: Path) -> None:
    consult, upgrade = parse_consult_upgrading(path.read_bytes())
    assert upgrade is not None
    assessment = assess(consult, content())
    assert assessment.status is Status.INCOMPLETE
    # Every question to answer again that is required now is missing; a substance list is
    # required only with use in remission or active.
    required_again = set(upgrade.answer_again) - {"substance_use.substances"}
    assert required_again <= set(assessment.missing)


def test_every_version_1_answer_keeps_its_meaning() -> None:
    old = v1_data("psychosis-history.v1.consult.json")
    consult = parse_consult(json.dumps(old))
    new = json.loads(consult.to_json())
    for section, values in old.items():
        if section == "schema_version":
            continue
        if isinstance(values, dict):
            for name, value in values.items():
                if (section, name) == ("safety", "psychosis"):
                    continue
                assert new[section][name] == value, f"{section}.{name}"
        else:
            assert new[section] == values, section
    assert consult.safety.medications == ["benzodiazepine"]
    assert consult.substance_use.substances == ["alcohol"]


def test_psychosis_history_becomes_unknown_and_empty_lists_not_asked() -> None:
    history = parse_consult((V1_DATA / "psychosis-history.v1.consult.json").read_bytes())
    assert history.safety.psychosis is Psychosis.UNKNOWN
    may_discuss = parse_consult((V1_DATA / "may-discuss.v1.consult.json").read_bytes())
    assert may_discuss.safety.medications is None
    assert may_discuss.substance_use.substances is None
    # The new questions start unknown, the weight and the regions too.
    assert may_discuss.safety.bipolar.value == "unknown"
    assert may_discuss.patient.weight_kg is None
    assert may_discuss.fibromyalgia.pain_regions is None


def test_absent_version_1_lists_are_not_asked_either() -> None:
    data = v1_data("may-discuss.v1.consult.json")
    del data["safety"]["medications"]
    del data["substance_use"]["substances"]
    consult, upgrade = parse_consult_upgrading(json.dumps(data))
    assert consult.safety.medications is None
    assert consult.substance_use.substances is None
    assert upgrade is not None
    assert {"safety.medications", "substance_use.substances"} <= set(upgrade.answer_again)


@pytest.mark.parametrize("path", V1_FILES, ids=lambda path: path.name)
def test_saving_writes_version_3_and_reads_back_the_same_consult(
    path: Path, tmp_path: Path
) -> None:
    consult, _ = parse_consult_upgrading(path.read_bytes())
    saved = tmp_path / path.name
    write_atomic(saved, consult.to_json().encode())
    assert json.loads(saved.read_text(encoding="utf-8"))["schema_version"] == 4
    again, upgrade = read_consult_file_upgrading(saved)
    assert upgrade is None
    assert again == consult


@pytest.mark.parametrize(("total", "item9"), [(0, 1), (0, 3), (1, 2), (2, 3)])
def test_item9_above_the_total_keeps_item9_and_asks_for_the_total_again(
    total: int, item9: int
) -> None:
    data = v1_data("may-discuss.v1.consult.json")
    data["comorbidities"].update(phq9_total=total, phq9_item9=item9)
    consult, upgrade = parse_consult_upgrading(json.dumps(data))
    assert consult.comorbidities.phq9_item9 == item9
    assert consult.comorbidities.phq9_total is None
    assert upgrade is not None
    assert "comorbidities.phq9_total" in upgrade.answer_again
    # Item 9 of 1 or more is still urgent after the upgrade.
    assert [finding.rule for finding in assess(consult, content()).urgent] == ["urgent.self_harm"]


@pytest.mark.parametrize(("total", "item9"), [(0, 0), (3, 3), (27, 3), (None, 2), (5, None)])
def test_item9_within_the_total_carries_over(total: int | None, item9: int | None) -> None:
    data = v1_data("may-discuss.v1.consult.json")
    data["comorbidities"].update(phq9_total=total, phq9_item9=item9)
    consult, upgrade = parse_consult_upgrading(json.dumps(data))
    assert (consult.comorbidities.phq9_total, consult.comorbidities.phq9_item9) == (total, item9)
    assert upgrade is not None
    assert "comorbidities.phq9_total" not in upgrade.answer_again


@pytest.mark.parametrize(
    ("section", "name", "value", "message"),
    [
        # Version 1 files are validated as version 1 wrote them.
        ("safety", "psychosis", "past_episode", 'safety.psychosis: "past_episode" is not allowed'),
        ("safety", "bipolar", "none", "safety.bipolar: unknown field"),
        ("patient", "weight_kg", 70, "patient.weight_kg: unknown field"),
        ("safety", "medications", ["stimulant"], "safety.medications[0]"),
        ("safety", "medications", None, "safety.medications: expected a list"),
    ],
)
def test_a_version_1_file_with_version_2_answers_is_refused(
    section: str, name: str, value: object, message: str
) -> None:
    data = v1_data("may-discuss.v1.consult.json")
    data[section][name] = value
    with pytest.raises(ConsultError) as caught:
        parse_consult(json.dumps(data))
    assert message in str(caught.value)


def test_a_version_1_treatment_needs_its_outcome() -> None:
    data = v1_data("may-discuss.v1.consult.json")
    del data["prior_treatments"][0]["outcome"]
    with pytest.raises(ConsultError, match=r"prior_treatments\[0\]\.outcome: required"):
        parse_consult(json.dumps(data))


@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.name)
def test_a_version_3_file_has_no_upgrade(path: Path) -> None:
    assert parse_consult_upgrading(path.read_bytes())[1] is None


# --- decision-aid assess on a version 1 file -------------------------------------------------


@pytest.mark.parametrize("path", V1_FILES, ids=lambda path: path.name)
def test_assess_prints_the_questions_to_answer_again(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(path)]) == 0
    out = capsys.readouterr().out
    before_status = out.split("Status:")[0]
    assert "version 1 of the consult form" in before_status
    questions = content().questions
    for again in ANSWER_AGAIN[path.name]:
        assert f"{questions.label(again)} ({again})" in before_status
    assert f"Status: {content().rulebook.statuses[Status.INCOMPLETE]}" in out


@pytest.mark.parametrize("path", V1_FILES, ids=lambda path: path.name)
def test_assess_json_has_the_schema_upgrade(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "incomplete"
    assert result["schema_upgrade"]["from_version"] == 1
    assert set(result["schema_upgrade"]["answer_again"]) == ANSWER_AGAIN[path.name]
    required_again = set(result["schema_upgrade"]["answer_again"]) - {"substance_use.substances"}
    assert required_again <= set(result["missing"])


def test_assess_json_of_a_version_3_file_has_no_upgrade(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = next(path for path in example_paths() if path.name == "may-discuss.consult.json")
    assert main(["assess", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["schema_upgrade"] is None
