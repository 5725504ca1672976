"""Reading a version 2 consult file (docs/design.md section 4.1): every answer that kept its
meaning carries over; the new required questions are unknown, so the consult is incomplete
until they are answered; the answers whose meaning changed are read as unknown (or "not
reviewed"), never as the safer of their new meanings; it saves as version 3.

The files are the examples as version 2 wrote them, kept in tests/data/v2."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

import pytest

from decision_aid.catalogue import Status
from decision_aid.consult import (
    ConsultError,
    EyePressure,
    SuicideRisk,
    parse_consult,
    parse_consult_upgrading,
)
from decision_aid.files import read_consult_file_upgrading, write_atomic
from decision_aid.rules import assess
from tests.helpers import V2_DATA, content

if TYPE_CHECKING:
    from pathlib import Path

V2_FILES: Final = sorted(V2_DATA.glob("*.consult.json"))

# Required from version 3 on and never asked by version 2.
NEW_REQUIRED: Final = {
    "safety.heart_or_stroke_event",
    "safety.dissociative_disorder",
    "ketamine_exposure.status",
}


def v2_data(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((V2_DATA / name).read_text(encoding="utf-8"))
    return data


def upgraded(data: dict[str, Any]) -> tuple[Any, Any]:
    return parse_consult_upgrading(json.dumps(data))


def test_the_kept_files_are_version_2() -> None:
    assert len(V2_FILES) >= 9
    for path in V2_FILES:
        assert v2_data(path.name)["schema_version"] == 2


@pytest.mark.parametrize("path", V2_FILES, ids=lambda path: path.name)
def test_a_version_2_file_opens_incomplete_until_the_new_questions_are_answered(
    path: Path, tmp_path: Path
) -> None:
    consult, upgrade = parse_consult_upgrading(path.read_bytes())
    assert consult.schema_version == 4
    assert upgrade is not None
    assert upgrade.from_version == 2
    assert set(upgrade.answer_again) >= NEW_REQUIRED
    assessment = assess(consult, content())
    assert set(assessment.missing) >= NEW_REQUIRED
    assert assessment.status.rank >= Status.INCOMPLETE.rank
    # It saves as version 3, and reads back as the same consult with nothing to upgrade.
    saved = tmp_path / path.name
    write_atomic(saved, consult.to_json().encode())
    assert json.loads(saved.read_text(encoding="utf-8"))["schema_version"] == 4
    again, no_upgrade = read_consult_file_upgrading(saved)
    assert no_upgrade is None
    assert again == consult


@pytest.mark.parametrize("path", V2_FILES, ids=lambda path: path.name)
def test_every_version_2_answer_that_kept_its_meaning_carries_over(path: Path) -> None:
    old = v2_data(path.name)
    new = json.loads(parse_consult(path.read_bytes()).to_json())
    changed_meaning = {
        ("safety", "intraocular_pressure"),
        ("safety", "medications"),
        ("decision", "self_harm_assessed"),
    }
    for section, values in old.items():
        if section == "schema_version":
            continue
        if not isinstance(values, dict):
            assert new[section] == values, section
            continue
        for name, value in values.items():
            if (section, name) in changed_meaning:
                continue
            if name == "sure":
                assert new[section][name] == {**new[section][name], **value}
                continue
            assert new[section][name] == value, f"{section}.{name}"


def test_raised_eye_pressure_is_asked_again_with_its_old_value() -> None:
    data = v2_data("may-discuss.v2.consult.json")
    data["safety"]["intraocular_pressure"] = "raised"
    consult, upgrade = upgraded(data)
    # Version 2's "raised" also covered controlled open-angle glaucoma: neither stop nor
    # caution is guessed; the question is asked again.
    assert consult.safety.intraocular_pressure is EyePressure.UNKNOWN
    assert "safety.intraocular_pressure" in upgrade.answer_again
    assert upgrade.was["safety.intraocular_pressure"] == "raised"
    assessment = assess(consult, content())
    assert "safety.intraocular_pressure" in assessment.missing
    # The bounds still say the worst it can be.
    assert assessment.bounds.worst is Status.NOT_ADVISED


@pytest.mark.parametrize("kept", ["normal", "unknown"])
def test_normal_or_unknown_eye_pressure_carries_over(kept: str) -> None:
    data = v2_data("may-discuss.v2.consult.json")
    data["safety"]["intraocular_pressure"] = kept
    consult, upgrade = upgraded(data)
    assert consult.safety.intraocular_pressure.value == kept
    assert "safety.intraocular_pressure" not in upgrade.answer_again


@pytest.mark.parametrize(
    ("assessed", "risk", "asked_again"),
    [
        ("no", SuicideRisk.NOT_ASSESSED, False),
        # An assessment was made but its outcome was not recorded: "low" would be a guess.
        ("yes", SuicideRisk.UNKNOWN, True),
        ("unknown", SuicideRisk.UNKNOWN, False),
        (None, SuicideRisk.UNKNOWN, False),
    ],
)
def test_suicide_risk_assessed_becomes_the_outcome_it_implies(
    assessed: str | None, risk: SuicideRisk, asked_again: bool
) -> None:
    data = v2_data("urgent-self-harm-trd-es.v2.consult.json")
    if assessed is None:
        data["decision"].pop("self_harm_assessed", None)
    else:
        data["decision"]["self_harm_assessed"] = assessed
    consult, upgrade = upgraded(data)
    assert consult.decision.suicide_risk is risk
    assert ("decision.suicide_risk" in upgrade.answer_again) is asked_again
    assessment = assess(consult, content())
    # Item 9 is 1 in this file: without an outcome the flag stays urgent and the consult
    # incomplete, whatever version 2 said.
    assert [finding.rule for finding in assessment.urgent] == ["urgent.self_harm"]
    assert "decision.suicide_risk" in assessment.missing


def test_none_of_these_medicines_is_asked_again_and_a_list_carries_over() -> None:
    data = v2_data("may-discuss.v2.consult.json")
    assert data["safety"]["medications"] == []
    consult, upgrade = upgraded(data)
    assert consult.safety.medications is None
    assert "safety.medications" in upgrade.answer_again
    assert upgrade.was["safety.medications"] == []
    assert upgrade.new_choices == ()
    data["safety"]["medications"] = ["opioid", "thyroid_hormone"]
    consult, upgrade = upgraded(data)
    assert consult.safety.medications == ["opioid", "thyroid_hormone"]
    assert "safety.medications" not in upgrade.answer_again
    # The two new medicines were never asked about: the window reminds the clinician.
    assert upgrade.new_choices == ("safety.medications",)


def test_the_phq9_total_is_now_required_with_depression() -> None:
    data = v2_data("urgent-self-harm-trd-es.v2.consult.json")
    data["comorbidities"]["phq9_total"] = None
    consult, _ = upgraded(data)
    assert "comorbidities.phq9_total" in assess(consult, content()).missing


def test_a_version_2_file_is_read_as_written() -> None:
    # Version 2 files are validated against version 2's own model: a value only version 3
    # allows is refused, naming the field as the file has it.
    for section, name, value, message in [
        ("safety", "intraocular_pressure", "controlled_glaucoma", "safety.intraocular_pressure"),
        ("safety", "medications", ["bupropion"], "safety.medications[0]"),
        ("safety", "heart_or_stroke_event", "none", "safety.heart_or_stroke_event: unknown field"),
        ("decision", "suicide_risk", "low", "decision.suicide_risk: unknown field"),
    ]:
        data = v2_data("may-discuss.v2.consult.json")
        data[section][name] = value
        with pytest.raises(ConsultError) as caught:
            parse_consult(json.dumps(data))
        assert message in str(caught.value)
    data = v2_data("may-discuss.v2.consult.json")
    data["ketamine_exposure"] = {"status": "none"}
    with pytest.raises(ConsultError, match="ketamine_exposure: unknown field"):
        parse_consult(json.dumps(data))


def test_a_version_3_file_may_not_say_self_harm_assessed() -> None:
    data = v2_data("may-discuss.v2.consult.json")
    data["schema_version"] = 3
    data["decision"]["self_harm_assessed"] = "yes"
    with pytest.raises(ConsultError, match="decision.self_harm_assessed: unknown field"):
        parse_consult(json.dumps(data))
