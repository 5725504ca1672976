"""A question the consult does not ask is greyed, with its reason, rather than asked: the
plan's answer for an uninsured patient, how a ketamine course helped when there was none
(docs/design.md section 4: "not asked, and ignored")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea

from decision_aid.ui.questions import ChoiceQuestion
from tests.gui.test_window import question

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow


def click(qtbot: QtBot, window: MainWindow, field: str, value: str) -> None:
    widget = question(window, field)
    assert isinstance(widget, ChoiceQuestion)
    row = next(index for index, page in enumerate(window.step_pages) if widget in page.questions)
    window.go_to_step(row)
    button = widget.buttons[value]
    qtbot.waitUntil(button.isVisible)
    scroll = window.pages.widget(row)
    assert isinstance(scroll, QScrollArea)
    scroll.ensureWidgetVisible(button)
    with qtbot.waitSignal(window.session.assessment_changed):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def test_the_plans_answer_is_greyed_for_an_uninsured_patient(
    qtbot: QtBot, window: MainWindow
) -> None:
    plan = question(window, "insurance.covers_ketamine_for_pain")
    assert plan.isEnabled()  # coverage unknown: there may be a plan
    click(qtbot, window, "insurance.coverage", "uninsured")
    assert not plan.isEnabled()
    assert "uninsured" in plan.toolTip()
    click(qtbot, window, "insurance.coverage", "medicaid")
    assert plan.isEnabled()
    assert plan.toolTip() == ""


def test_how_ketamine_helped_is_asked_only_after_a_course(qtbot: QtBot, window: MainWindow) -> None:
    response = question(window, "ketamine_exposure.response")
    assert not response.isEnabled()  # status unknown: no course recorded
    click(qtbot, window, "ketamine_exposure.status", "past_course")
    assert response.isEnabled()
    click(qtbot, window, "ketamine_exposure.status", "none")
    assert not response.isEnabled()
