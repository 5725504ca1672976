"""The steps of many short questions lay each question's answers side by side (a row or two
per question, `compact` in questions.yaml), so the Safety step takes far less scrolling, with
no row wider than the page at the smallest window the design asks for (1024x700)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea

from decision_aid.ui.questions import ChoiceQuestion, compact_rows

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow


def test_labels_are_packed_into_as_few_rows_as_fit() -> None:
    assert compact_rows(["None", "Present", "Unknown"]) == [["None", "Present", "Unknown"]]
    long = ["None", "Recent (last 6 months), or severe heart disease now", "Earlier", "Unknown"]
    assert compact_rows(long, room=48) == [["None"], [long[1]], ["Earlier", "Unknown"]]
    assert compact_rows(["A" * 80]) == [["A" * 80]]  # a label longer than a row has its own


def test_the_safety_answers_sit_side_by_side_within_the_page(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(1024, 700)
    row = next(index for index, page in enumerate(window.step_pages) if page.step.id == "safety")
    window.go_to_step(row)
    page = window.page(row)
    qtbot.waitUntil(page.isVisible)
    choices = [widget for widget in page.questions if isinstance(widget, ChoiceQuestion)]
    buttons = sum(len(widget.buttons) for widget in choices)
    lines = sum(len({button.y() for button in widget.buttons.values()}) for widget in choices)
    # One under another, every answer would take a line of its own.
    assert lines <= buttons / 2, (lines, buttons)
    scroll = window.pages.widget(row)
    assert isinstance(scroll, QScrollArea)
    assert page.minimumSizeHint().width() <= scroll.viewport().width()


def test_arrows_still_choose_across_a_row(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    row = next(index for index, page in enumerate(window.step_pages) if page.step.id == "safety")
    window.go_to_step(row)
    widget = next(
        question
        for question in window.page(row).questions
        if question.question.field == "safety.cardiovascular"
    )
    assert isinstance(widget, ChoiceQuestion)
    none, controlled = widget.buttons["none"], widget.buttons["controlled"]
    assert none.y() == controlled.y()  # side by side
    none.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(none, Qt.Key.Key_Space)
    assert window.session.consult.safety.cardiovascular == "none"
    QTest.keyClick(none, Qt.Key.Key_Right)
    assert window.session.consult.safety.cardiovascular == "controlled"
