"""A whole consult answered with the keyboard alone, as a clinician without a mouse would.

Keys go to whichever widget has the focus (``QApplication.focusWidget()``): Tab and Shift+Tab
to move, arrows inside a radio group, Space on a check box, Ctrl+A and digits in a number box,
Ctrl+PgDown to the next step. Which keys to press is read off the screen's widgets, as a
person reads the screen; nothing is set through a widget's API.

Used by tests/gui/test_keyboard.py (offscreen) and tools/keyboard_walkthrough.py (under
Xvfb, with a screenshot of every step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from decision_aid.consult import Therapy, answer_at
from decision_aid.ui.questions import (
    ChoiceQuestion,
    ListQuestion,
    NumberQuestion,
    QuestionWidget,
    TreatmentsQuestion,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from decision_aid.consult import Consult
    from decision_aid.ui.main_window import MainWindow


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def answer_of(consult: Consult, field: str) -> Any:
    return answer_at(consult, field)


def in_window_order(consult: Consult) -> Consult:
    """The consult with its prior treatments in the window's order (a file may hold any)."""
    order = list(Therapy)
    treatments = sorted(consult.prior_treatments, key=lambda entry: order.index(entry.therapy))
    return consult.model_copy(update={"prior_treatments": treatments})


def _choose_radio(widget: ChoiceQuestion, value: str) -> None:
    """From the group's focused button: Space checks it, Down/Up move the choice."""
    values = list(widget.buttons)
    assert focused() in widget.buttons.values(), f"focus is not in {widget.question.field}"
    press(Qt.Key.Key_Space)
    current = values.index(
        next(key for key, button in widget.buttons.items() if button is focused())
    )
    target = values.index(value)
    key = Qt.Key.Key_Down if target > current else Qt.Key.Key_Up
    for _ in range(abs(target - current)):
        press(key)


def _choose_in_combo(combo: QComboBox, code: str) -> None:
    target = combo.findData(code)
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(abs(target - combo.currentIndex())):
        press(key)


def answer_question(widget: QuestionWidget, consult: Consult) -> None:
    """Answers one question from the focused control, and Tabs past it. A question the
    consult does not ask is greyed, and Tab passes it by: its answer must be unknown."""
    value = answer_of(consult, widget.question.field)
    if not widget.isEnabled():
        assert value in (None, "unknown"), f"{widget.question.field} is not asked but has {value}"
        return
    if isinstance(widget, NumberQuestion):
        assert focused() is widget.spin
        press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        if value is not None:
            QTest.keyClicks(focused(), str(value))
        press(Qt.Key.Key_Tab)
    elif isinstance(widget, ChoiceQuestion):
        _choose_radio(widget, str(value))
        press(Qt.Key.Key_Tab)
    elif isinstance(widget, ListQuestion):
        if widget.not_reviewed is not None and widget.none_of_these is not None:
            # "Not reviewed" is where a reviewed list starts; "None of these" is a choice.
            assert focused() is widget.not_reviewed
            assert widget.not_reviewed.isChecked() == (
                widget.session.answer(widget.question.field) is None
            )
            press(Qt.Key.Key_Tab)
            assert focused() is widget.none_of_these
            if (value == []) != widget.none_of_these.isChecked():
                press(Qt.Key.Key_Space)
            press(Qt.Key.Key_Tab)
        chosen = {str(item) for item in value or ()}
        for code, box in widget.boxes.items():
            assert focused() is box
            if (code in chosen) != box.isChecked():
                press(Qt.Key.Key_Space)
            press(Qt.Key.Key_Tab)
    elif isinstance(widget, TreatmentsQuestion):
        outcomes = {str(entry.therapy): str(entry.outcome) for entry in value}
        for therapy, box in widget.tried.items():
            assert focused() is box
            if (str(therapy) in outcomes) != box.isChecked():
                press(Qt.Key.Key_Space)
            press(Qt.Key.Key_Tab)  # into the outcome list, which is enabled once tried
            if str(therapy) in outcomes:
                assert focused() is widget.outcomes[therapy]
                _choose_in_combo(widget.outcomes[therapy], outcomes[str(therapy)])
                press(Qt.Key.Key_Tab)


def answer_consult(
    window: MainWindow, consult: Consult, after_step: Callable[[int], None] | None = None
) -> None:
    """Answers every step of ``window`` as ``consult`` says, by keyboard, from step 1.

    Args:
        window: a shown, active window on its first step, the first answer focused.
        consult: the answers to give.
        after_step: called with each step's row once it is answered (a screenshot, say).
    """
    for row, page in enumerate(window.step_pages):
        assert window.steps.currentRow() == row
        for widget in page.questions:
            answer_question(widget, consult)
        if after_step is not None:
            after_step(row)
        press(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    # The Course step asks nothing of a consult without a trial plan: on to Review.
    press(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
