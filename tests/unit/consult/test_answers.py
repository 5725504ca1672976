"""The table of answers (decision_aid/consult/answers.py): one row per answer of the model,
and the lists derived from it (docs/design.md sections 4 and 5)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from decision_aid.consult import (
    ALWAYS_REQUIRED,
    ANSWERS,
    CONDITIONALLY_REQUIRED,
    Consult,
    Need,
    answer_spec,
    field_paths,
    is_unknown,
    missing_required,
    new_required_since,
)
from decision_aid.consult.answers import table_problems
from decision_aid.consult.upgrade import reread_older_answers
from tests.helpers import safe_consult


def test_the_table_has_one_right_row_for_every_answer_in_file_order() -> None:
    assert table_problems() == []
    assert [spec.path for spec in ANSWERS] == list(field_paths())


def test_a_table_without_a_new_field_or_with_a_stray_row_is_caught() -> None:
    assert table_problems(ANSWERS[:-1])
    assert table_problems((*ANSWERS, dataclasses.replace(ANSWERS[0], path="safety.nonsense")))
    assert table_problems((ANSWERS[1], ANSWERS[0], *ANSWERS[2:]))


def test_a_row_that_contradicts_itself_or_the_model_is_caught() -> None:
    liver = ANSWERS.index(answer_spec("safety.liver"))
    for broken in (
        dataclasses.replace(ANSWERS[liver], need=Need.WHEN),
        dataclasses.replace(ANSWERS[liver], risk_order=("none", "dreadful")),
        dataclasses.replace(ANSWERS[liver], risk_order=("none", "none")),
        dataclasses.replace(ANSWERS[liver], when=lambda _: True, when_text="always"),
    ):
        problems = table_problems((*ANSWERS[:liver], broken, *ANSWERS[liver + 1 :]))
        assert len(problems) == 1
        assert problems[0].startswith("safety.liver: ")


def test_the_derived_lists_follow_the_rows() -> None:
    assert tuple(s.path for s in ANSWERS if s.need is Need.ALWAYS) == ALWAYS_REQUIRED
    assert set(CONDITIONALLY_REQUIRED) == {
        "comorbidities.phq9_total",
        "comorbidities.phq9_item9",
        "ketamine_exposure.harms",
        "substance_use.substances",
        "decision.suicide_risk",
    }
    assert not set(ALWAYS_REQUIRED) & set(CONDITIONALLY_REQUIRED)
    # An empty consult misses every always-required answer, in file order, and nothing else.
    assert missing_required(Consult()) == ALWAYS_REQUIRED
    assert missing_required(safe_consult()) == ()
    assert new_required_since(2) == (
        "safety.heart_or_stroke_event",
        "safety.dissociative_disorder",
        "ketamine_exposure.status",
    )
    assert new_required_since(3) == ()


# For each conditional answer: the sections of a consult that calls for it (the answer left
# unknown), and of one that does not (docs/design.md section 4.2).
CALLING: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "comorbidities.phq9_total": (
        {"comorbidities": {"depression": "treatment_resistant", "phq9_total": None}},
        {"comorbidities": {"depression": "none", "phq9_total": None}},
    ),
    "comorbidities.phq9_item9": (
        {"comorbidities": {"depression": "current", "phq9_total": 12, "phq9_item9": None}},
        {"comorbidities": {"depression": "none", "phq9_total": 9, "phq9_item9": None}},
    ),
    "ketamine_exposure.harms": (
        {"ketamine_exposure": {"status": "esketamine_now", "harms": None}},
        {"ketamine_exposure": {"status": "none", "harms": None}},
    ),
    "substance_use.substances": (
        {"substance_use": {"status": "active", "substances": None}},
        {"substance_use": {"status": "none", "substances": None}},
    ),
    "decision.suicide_risk": (
        {"comorbidities": {"phq9_item9": 1, "phq9_total": 4}, "decision": {"suicide_risk": "unknown"}},
        {"comorbidities": {"phq9_item9": 0}, "decision": {"suicide_risk": "unknown"}},
    ),
}


@pytest.mark.parametrize("path", CONDITIONALLY_REQUIRED)
def test_a_conditional_answer_is_missing_only_when_its_condition_holds(path: str) -> None:
    calling, not_calling = CALLING[path]
    assert path in missing_required(safe_consult(**calling))
    assert path not in missing_required(safe_consult(**not_calling))
    assert answer_spec(path).when_text


def test_harms_are_asked_when_ketamine_is_among_the_substances_whatever_the_exposure() -> None:
    consult = safe_consult(
        substance_use={"status": "in_remission", "substances": ["ketamine_or_dissociatives"]},
        ketamine_exposure={"status": "none", "harms": None},
    )
    assert "ketamine_exposure.harms" in missing_required(consult)


@pytest.mark.parametrize("risk", ["not_assessed", "unknown"])
def test_a_suicide_risk_not_assessed_counts_as_unknown_where_it_is_required(risk: str) -> None:
    consult = safe_consult(
        comorbidities={"phq9_total": 4, "phq9_item9": 2}, decision={"suicide_risk": risk}
    )
    assert missing_required(consult) == ("decision.suicide_risk",)
    consult.decision.suicide_risk = "low"  # type: ignore[assignment]
    assert missing_required(consult) == ()


def test_unknown_is_unknown_and_none_is_an_answer() -> None:
    assert is_unknown(None)
    assert is_unknown("unknown")
    assert not is_unknown("none")
    assert not is_unknown([])
    assert not is_unknown(0)


def test_an_older_files_changed_values_are_read_anew_and_the_rest_kept() -> None:
    data = {
        "safety": {"psychosis": "history", "medications": [], "liver": "none"},
        "substance_use": {"status": "none", "substances": ["alcohol"]},
    }
    changed = reread_older_answers(data, 1)
    assert changed == ["safety.psychosis", "safety.medications"]
    assert data == {
        "safety": {"psychosis": "unknown", "medications": None, "liver": "none"},
        "substance_use": {"status": "none", "substances": ["alcohol"]},
    }
    # In a version 2 file a psychosis "history" cannot occur and keeps no other meaning, but
    # an eye pressure "raised" (which covered controlled glaucoma) and an empty medicine list
    # (never asked of the two new medicines) are read anew, each with its old value kept.
    again: dict[str, Any] = {
        "safety": {"psychosis": "history", "intraocular_pressure": "raised", "medications": []}
    }
    was: dict[str, Any] = {}
    assert reread_older_answers(again, 2, was) == [
        "safety.intraocular_pressure",
        "safety.medications",
    ]
    assert again == {
        "safety": {"psychosis": "history", "intraocular_pressure": "unknown", "medications": None}
    }
    assert was == {"safety.intraocular_pressure": "raised", "safety.medications": []}
    # A version 3 file's values are its own.
    current = {"safety": {"intraocular_pressure": "raised", "medications": []}}
    assert reread_older_answers(current, 3) == []


def test_no_sensitive_answer_may_tailor_the_handout() -> None:
    # docs/design.md section 6: substance use, psychosis, bipolar disorder, mood, pregnancy
    # and every other safety answer never change a word; the handout is tailored only by
    # the language, the prior treatments, CRPS, the health plan and the priorities.
    tailoring = {spec.path for spec in ANSWERS if spec.tailors_handout}
    assert tailoring == {
        "patient.handout_language",
        "prior_treatments",
        "comorbidities.crps",
        "insurance.coverage",
        "insurance.covers_ketamine_for_pain",
        "insurance.can_self_pay",
        "priorities",
    }
