"""The step list's marks (decision_aid/ui/step_marks.py), without a window."""

from __future__ import annotations

from decision_aid.consult import answer_at, answer_spec
from decision_aid.rules import assess
from decision_aid.ui.step_marks import step_marks
from tests.helpers import content, safe_consult


def marks_of(**sections: object) -> list[str]:
    consult = safe_consult(**sections)  # type: ignore[arg-type]
    steps = content().questions.steps
    marks = step_marks(
        steps,
        assess(consult, content()),
        lambda path: answer_at(consult, path),
        lambda path: answer_spec(path).asked(consult),
    )
    return [mark.text for mark in marks]


def test_a_step_with_every_answer_is_ticked_and_review_is_not() -> None:
    marks = marks_of()
    # The harms of ketamine and how it helped are not asked of a patient who never had it.
    assert marks[4] == "5. Safety ✓"
    assert marks[-1] == "11. Review"


def test_a_question_the_consult_asks_holds_back_the_tick_until_answered() -> None:
    # A past course asks how it helped (optional): unanswered, the step is not ticked.
    course = {"status": "past_course", "harms": [], "response": "unknown"}
    assert marks_of(ketamine_exposure=course)[4] == "5. Safety"
    answered = {**course, "response": "partial_benefit"}
    assert marks_of(ketamine_exposure=answered)[4] == "5. Safety ✓"
    # The plan's answer is not asked of an uninsured patient.
    uninsured = {"coverage": "uninsured", "covers_ketamine_for_pain": "unknown"}
    assert marks_of(insurance=uninsured)[6] == "7. Insurance ✓"
    insured = {"coverage": "medicaid", "covers_ketamine_for_pain": "unknown"}
    assert marks_of(insurance=insured)[6] == "7. Insurance"


def test_unknown_disagreeing_and_weighing_answers_are_marked() -> None:
    marks = marks_of(
        safety={"liver": "unknown", "cardiovascular": "controlled"},
        substance_use={"status": "none", "substances": ["cannabis"]},
    )
    assert marks[4] == "5. Safety  (1 unknown, 1 finding)"
    assert marks[5] == "6. Substance use  (answers disagree)"
