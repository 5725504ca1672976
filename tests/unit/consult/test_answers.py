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
from decision_aid.consult.v1 import reread_older_answers
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
    assert set(CONDITIONALLY_REQUIRED) == {"substance_use.substances", "comorbidities.phq9_item9"}
    assert not set(ALWAYS_REQUIRED) & set(CONDITIONALLY_REQUIRED)
    # An empty consult misses every always-required answer, in file order, and nothing else.
    assert missing_required(Consult()) == ALWAYS_REQUIRED
    assert missing_required(safe_consult()) == ()
    assert new_required_since(2) == ()


# For each conditional answer: a consult that calls for it, and one that does not.
CALLING: dict[str, tuple[dict[str, Any], str]] = {
    "substance_use.substances": ({"status": "active", "substances": None}, "substance_use"),
    "comorbidities.phq9_item9": (
        {"depression": "current", "phq9_total": 12, "phq9_item9": None},
        "comorbidities",
    ),
}
NOT_CALLING: dict[str, dict[str, Any]] = {
    "substance_use.substances": {"status": "none", "substances": None},
    "comorbidities.phq9_item9": {"depression": "none", "phq9_total": 9, "phq9_item9": None},
}


@pytest.mark.parametrize("path", CONDITIONALLY_REQUIRED)
def test_a_conditional_answer_is_missing_only_when_its_condition_holds(path: str) -> None:
    calling, section = CALLING[path]
    assert path in missing_required(safe_consult(**{section: calling}))
    assert path not in missing_required(safe_consult(**{section: NOT_CALLING[path]}))
    assert answer_spec(path).when_text


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
    # A version 2 file's values keep their meaning: nothing is read anew.
    again = {"safety": {"psychosis": "history"}}
    assert reread_older_answers(again, 2) == []
    assert again == {"safety": {"psychosis": "history"}}


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
