"""A whole consult with the keyboard alone (issue: usable without a mouse)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from decision_aid.files import read_consult_file
from decision_aid.rules import assess
from tests.gui.keyboard import answer_consult, focused, in_window_order, press
from tests.helpers import EXAMPLES, content

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow


@pytest.mark.parametrize(
    "example",
    [
        "may-discuss.consult.json",
        "not-advised-active-substance-use.consult.json",
        "crps-may-discuss-es.consult.json",
        "urgent-self-harm-trd-es.consult.json",
    ],
)
def test_a_whole_consult_by_keyboard_alone(qtbot: QtBot, window: MainWindow, example: str) -> None:
    expected = read_consult_file(EXAMPLES / example)
    window.activateWindow()
    qtbot.waitActive(window)
    answered: list[int] = []

    answer_consult(window, expected, answered.append)

    assert answered == list(range(len(window.step_pages)))
    assert window.session.consult == in_window_order(expected)
    assert window.session.assessment.status == assess(expected, content()).status
    # The last Ctrl+PgDown went on to Review, with the handout in the consult's language.
    assert window.pages.currentWidget() is window.review
    assert window.review.chosen_language == expected.patient.handout_language
    press(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == window.note_text()
    assert focused().window() is window


def test_tab_follows_the_review_page_then_the_findings_as_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.open_path(EXAMPLES / "not-advised-active-substance-use.consult.json")
    window.activateWindow()
    qtbot.waitActive(window)
    window.go_to_step(window.steps.count() - 2)
    press(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # on to Review
    review = window.review
    # New finding views are shown by the event loop, as between two key presses.
    qtbot.waitUntil(lambda: all(view.isVisible() for view in window.panel.finding_views))
    visited = [focused()]
    shown = [control for control in review.controls() if control.isVisible()]
    assert review.answers not in shown  # on the tab that is not shown
    for _ in range(len(shown) + 1 + len(window.panel.finding_views)):
        press(Qt.Key.Key_Tab)
        visited.append(focused())
    buttons = [view.button for view in window.panel.finding_views]
    assert visited == [
        *shown,
        window.back_button,
        *buttons,
        window.steps,
    ]
