"""A whole consult answered with the mouse, as a clinician who clicks through it would.

Every choice, tick and step is a mouse click on the shown widget (QTest mouse events at the
widget's own position, after scrolling it into view); only the digits of a number are typed,
into the box the click put the keyboard in. Nothing is set through a widget's API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from decision_aid.consult import answer_at
from decision_aid.ui.questions import (
    ChoiceQuestion,
    ListQuestion,
    NumberQuestion,
    QuestionWidget,
    TreatmentsQuestion,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QComboBox

    from decision_aid.consult import Consult
    from decision_aid.ui.main_window import MainWindow


def click(window: MainWindow, widget: QWidget, position: QPoint | None = None) -> None:
    """Scrolls ``widget`` into view on the current page and clicks it (near its left edge,
    where a check box or radio button has its indicator, unless told where)."""
    scroll = window.pages.currentWidget()
    if isinstance(scroll, QScrollArea):
        scroll.ensureWidgetVisible(widget)
    QApplication.processEvents()
    where = position or QPoint(min(8, widget.width() // 2), widget.height() // 2)
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=where)


def choose_in_combo(combo: QComboBox, code: str) -> None:
    """Opens the list with a click and clicks the item."""
    QTest.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    wait_until(view.isVisible)
    index = combo.model().index(combo.findData(code), 0)
    view.scrollTo(index)
    # An open list ignores a release that comes within a double-click interval of its
    # opening (so that the click that opened it does not also choose); a person is slower.
    QTest.qWait(QApplication.doubleClickInterval() + 50)
    where = view.visualRect(index).center()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    wait_until(lambda: not view.isVisible())
    assert combo.currentData() == code, f"{combo.accessibleName()}: {combo.currentData()}"


def wait_until(condition: Callable[[], bool], timeout_ms: int = 3000) -> None:
    """Lets the event loop run until ``condition`` holds (a list opening, say)."""
    for _ in range(timeout_ms // 10):
        if condition():
            return
        QTest.qWait(10)
    raise AssertionError("timed out waiting for the window")


def answer_question(window: MainWindow, widget: QuestionWidget, consult: Consult) -> None:
    value = answer_at(consult, widget.question.field)
    if isinstance(widget, NumberQuestion):
        if value is not None:
            click(window, widget.spin.lineEdit())
            focused = QApplication.focusWidget()
            assert focused is not None
            QTest.keyClicks(focused, str(value))
    elif isinstance(widget, ChoiceQuestion):
        click(window, widget.buttons[str(value)])
    elif isinstance(widget, ListQuestion):
        if value == [] and widget.none_of_these is not None:
            click(window, widget.none_of_these)
        for code in value or ():
            click(window, widget.boxes[str(code)])
    elif isinstance(widget, TreatmentsQuestion):
        for entry in value:
            click(window, widget.tried[entry.therapy])
            combo = widget.outcomes[entry.therapy]
            if str(entry.outcome) != combo.currentData():
                scroll = window.pages.currentWidget()
                if isinstance(scroll, QScrollArea):
                    scroll.ensureWidgetVisible(combo)
                choose_in_combo(combo, str(entry.outcome))
                # The list is a window of its own; on the offscreen platform the main window
                # does not take the keyboard back by itself when it closes.
                window.activateWindow()
                QTest.qWaitForWindowActive(window)


def answer_consult_by_mouse(window: MainWindow, consult: Consult) -> None:
    """Answers every step as ``consult`` says, going from step to step with Next."""
    for row, page in enumerate(window.step_pages):
        assert window.steps.currentRow() == row
        for widget in page.questions:
            answer_question(window, widget, consult)
        click(window, window.next_button, QPoint(10, 10))
    # The Course step asks nothing of a consult without a trial plan: on to Review.
    click(window, window.next_button, QPoint(10, 10))
