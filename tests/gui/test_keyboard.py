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
    from collections.abc import Callable
    from pathlib import Path

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


@pytest.mark.parametrize(
    "example",
    ["specialist-review-controlled-bp.consult.json", "urgent-self-harm-trd-es.consult.json"],
)
def test_a_whole_consult_by_keyboard_then_saved_with_ctrl_s_reopens_identical(
    qtbot: QtBot,
    window: MainWindow,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    example: str,
) -> None:
    from decision_aid.ui import dialogs

    window.activateWindow()
    qtbot.waitActive(window)
    expected = in_window_order(read_consult_file(EXAMPLES / example))
    answer_consult(window, expected)
    assert window.pages.currentWidget() is window.review
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "by-keyboard")
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = tmp_path / "by-keyboard.consult.json"
    assert read_consult_file(saved) == window.session.consult == expected
    other = make_window()
    other.open_path(saved)
    assert other.session.consult == expected


# An opened list of outcomes is a popup window: the offscreen platform says it cannot raise
# it or give it the keyboard, which a real display does.
@pytest.mark.qt_log_ignore("does not support grabbing the keyboard", "does not support raise")
@pytest.mark.parametrize(
    "example",
    ["not-advised-active-substance-use.consult.json", "crps-may-discuss-es.consult.json"],
)
def test_a_whole_consult_by_mouse_reaches_review_and_reopens_identical(
    qtbot: QtBot,
    window: MainWindow,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    example: str,
) -> None:
    from decision_aid.ui import dialogs
    from tests.gui.mouse import answer_consult_by_mouse

    window.activateWindow()
    qtbot.waitActive(window)
    expected = in_window_order(read_consult_file(EXAMPLES / example))
    answer_consult_by_mouse(window, expected)
    assert window.pages.currentWidget() is window.review
    differences = {
        key: (value, expected.model_dump()[key])
        for key, value in window.session.consult.model_dump().items()
        if value != expected.model_dump()[key]
    }
    assert not differences
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "by-mouse")
    window.save_action.trigger()
    other = make_window()
    other.open_path(tmp_path / "by-mouse.consult.json")
    assert other.session.consult == expected


def test_large_print_is_reached_by_tab_and_ticked_with_space(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.open_path(EXAMPLES / "may-discuss.consult.json")
    window.activateWindow()
    qtbot.waitActive(window)
    window.go_to_step(window.steps.count() - 1)
    review = window.review
    assert focused() is review.language
    press(Qt.Key.Key_Tab)
    assert focused() is review.paper
    press(Qt.Key.Key_Tab)
    assert focused() is review.large_print
    press(Qt.Key.Key_Space)
    assert review.large_print.isChecked()
    assert review.preview_status.text().endswith(", large print.")
    press(Qt.Key.Key_Space)
    assert not review.large_print.isChecked()


def test_the_still_unknown_questions_are_reached_and_opened_by_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    window.next_button.setFocus()
    qtbot.waitUntil(window.next_button.hasFocus)
    press(Qt.Key.Key_Tab)
    assert focused() is window.panel.missing
    # The first link is the first question still unknown (age); Tab moves to the next one.
    first, second = window.session.assessment.missing[:2]
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Return)
    target = next(
        widget
        for page in window.step_pages
        for widget in page.questions
        if widget.question.field == second
    )
    qtbot.waitUntil(target.isVisible)
    assert window.steps.currentRow() == next(
        row for row, page in enumerate(window.step_pages) if target in page.questions
    )
    assert first != second
