"""No answer changes unseen, and numbers that take corrections (issue 23), driven by real
input events on the shown window: mouse clicks, key presses and wheel events sent to the
widget under the pointer, never a widget's setter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from decision_aid.consult import Therapy
from decision_aid.ui.questions import ChoiceQuestion, NumberQuestion
from tests.helpers import EXAMPLES

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow

SAFE_EXAMPLE = EXAMPLES / "may-discuss.consult.json"
CONTROLLED_BP = EXAMPLES / "specialist-review-controlled-bp.consult.json"
SAFETY_ROW = 4


def question(window: MainWindow, field: str) -> Any:
    for page in window.step_pages:
        for widget in page.questions:
            if widget.question.field == field:
                return widget
    raise KeyError(field)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def scroll_of(window: MainWindow, row: int) -> QScrollArea:
    scroll = window.pages.widget(row)
    assert isinstance(scroll, QScrollArea)
    return scroll


def row_of(window: MainWindow, widget: QWidget) -> int:
    return next(row for row, page in enumerate(window.step_pages) if page.isAncestorOf(widget))


def show(qtbot: QtBot, window: MainWindow, widget: QWidget) -> None:
    """Opens the widget's step with a click in the step list and scrolls the widget into view
    with the scroll bar, as a clinician would."""
    row = row_of(window, widget)
    item = window.steps.visualItemRect(window.steps.item(row))
    QTest.mouseClick(window.steps.viewport(), Qt.MouseButton.LeftButton, pos=item.center())
    assert window.steps.currentRow() == row
    scroll = scroll_of(window, row)
    QApplication.processEvents()  # the page laid out, as it is once shown
    scroll.ensureWidgetVisible(widget)
    qtbot.waitUntil(lambda: not widget.visibleRegion().isEmpty())


def wheel_over(widget: QWidget, notches: int, *, under_pointer: bool = True) -> None:
    """One wheel event per notch, sent to whichever widget is under the pointer at the
    widget's centre (the line edit inside a number box), as the window system sends it.

    Qt passes a wheel event to the parents of a widget that ignores it only when it came
    from the window system, never one sent by a program: a widget that lets the page
    scroll must pass the event on itself, which is what this checks."""
    centre = QPoint(widget.width() // 2, widget.height() // 2)
    target = (widget.childAt(centre) if under_pointer else None) or widget
    local = target.mapFrom(widget, centre)
    for _ in range(abs(notches)):
        event = QWheelEvent(
            QPointF(local),
            QPointF(target.mapToGlobal(local)),
            QPoint(0, 0),
            QPoint(0, 120 if notches > 0 else -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(target, event)


def click_into(widget: QWidget, position: QPoint | None = None) -> None:
    """A mouse click into a number box's text, where the pointer is (its middle by default)."""
    edit = widget.findChild(QWidget, "qt_spinbox_lineedit") or widget
    where = position or QPoint(edit.width() // 2, edit.height() // 2)
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, pos=where)


def read_to_bottom(window: MainWindow, row: int) -> None:
    """Wheel notches over the page's empty margin (its viewport) down to its bottom."""
    scroll = scroll_of(window, row)
    QApplication.processEvents()
    bar = scroll.verticalScrollBar()
    for _ in range(200):
        if bar.value() == bar.maximum():
            break
        wheel_over(scroll.viewport(), -1, under_pointer=False)
    assert bar.value() == bar.maximum() > 0


def active(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitActive(window)


# --- 1. The wheel ----------------------------------------------------------------------------


@pytest.mark.parametrize("focus", [False, True])
def test_the_wheel_over_a_number_or_list_box_scrolls_the_page_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, focus: bool
) -> None:
    """Three notches over WPI and over an outcome, just clicked into or not: the consult is
    unchanged and the page scrolls."""
    active(qtbot, window)
    window.resize(window.minimumSize())  # 900x600: both pages scroll
    window.open_path(SAFE_EXAMPLE)
    before = window.session.consult.model_copy(deep=True)
    wpi = question(window, "fibromyalgia.wpi").spin
    outcome = question(window, "prior_treatments").outcomes[Therapy.EXERCISE]
    for control in (wpi, outcome):
        show(qtbot, window, control)
        if focus:
            if control is wpi:
                click_into(control)
            else:
                control.setFocus(Qt.FocusReason.MouseFocusReason)  # as a click leaves it
            qtbot.waitUntil(control.hasFocus)
        bar = scroll_of(window, row_of(window, control)).verticalScrollBar()
        assert bar.maximum() > 0, "the page must scroll for this test"
        for notches in (-3, 3):  # down, then up
            start = bar.value()
            wheel_over(control, notches)
            moved = bar.value() - start
            if notches < 0 and start < bar.maximum():
                assert moved > 0, control.accessibleName()
            if notches > 0 and start > 0:
                assert moved < 0, control.accessibleName()
        assert window.session.consult == before, control.accessibleName()


def test_the_wheel_over_the_review_boxes_changes_neither_language_nor_paper(
    qtbot: QtBot, window: MainWindow
) -> None:
    active(qtbot, window)
    window.open_path(EXAMPLES / "crps-may-discuss-es.consult.json")
    QTest.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    review = window.review
    qtbot.waitUntil(review.paper.isVisible)
    QTest.keyClick(review.paper, Qt.Key.Key_Down)
    assert review.chosen_paper == "a4"
    window.steps.setFocus()
    for box in (review.language, review.paper):
        for notches in (1, -1, -1, 1):
            wheel_over(box, notches)
    assert window.session.consult.patient.handout_language == "es"
    assert review.chosen_language == "es"
    assert review.chosen_paper == "a4"
    # Focused, too: the wheel never chooses; arrows still do.
    review.paper.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(review.paper.hasFocus)
    wheel_over(review.paper, -1)
    assert review.chosen_paper == "a4"
    QTest.keyClick(review.paper, Qt.Key.Key_Up)
    assert review.chosen_paper == "letter"


# --- 2. No key on an unseen control ----------------------------------------------------------


def assert_opens_at_top_with_focus_in_view(window: MainWindow, row: int) -> None:
    scroll = scroll_of(window, row)
    assert scroll.verticalScrollBar().value() == 0
    widget = focused()
    if widget is window.steps:
        return
    page = scroll.widget()
    assert page is not None
    assert page.isAncestorOf(widget)
    viewport = scroll.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    assert top_left.y() >= 0
    assert top_left.y() + widget.height() <= viewport.height()


def test_back_then_next_opens_the_step_at_its_top_and_space_changes_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    active(qtbot, window)
    window.open_path(CONTROLLED_BP)
    before = window.session.consult.model_copy(deep=True)
    QTest.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.steps.currentRow() == SAFETY_ROW
    read_to_bottom(window, SAFETY_ROW)
    for button in (window.back_button, window.next_button):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert window.steps.currentRow() == SAFETY_ROW
    assert_opens_at_top_with_focus_in_view(window, SAFETY_ROW)
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    assert window.session.consult == before


@pytest.mark.parametrize("move", ["next", "back", "ctrl-pgdown", "ctrl-pgup", "ctrl-5", "list"])
def test_every_way_to_a_step_opens_it_at_its_top(
    qtbot: QtBot, window: MainWindow, move: str
) -> None:
    active(qtbot, window)
    window.open_path(CONTROLLED_BP)
    before = window.session.consult.model_copy(deep=True)
    start = {"next": 3, "back": 5, "ctrl-pgdown": 3, "ctrl-pgup": 5}.get(move, 0)
    for row in (SAFETY_ROW, start):  # Safety read to its bottom, then elsewhere
        window.steps.setCurrentRow(row)
        if scroll_of(window, row).verticalScrollBar().maximum() > 0:
            read_to_bottom(window, row)
    control = Qt.KeyboardModifier.ControlModifier
    if move in ("next", "back"):
        button = window.next_button if move == "next" else window.back_button
        QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    elif move == "ctrl-pgdown":
        QTest.keyClick(focused(), Qt.Key.Key_PageDown, control)
    elif move == "ctrl-pgup":
        QTest.keyClick(focused(), Qt.Key.Key_PageUp, control)
    elif move == "ctrl-5":
        QTest.keyClick(focused(), Qt.Key.Key_5, control)
    else:
        item = window.steps.visualItemRect(window.steps.item(SAFETY_ROW))
        QTest.mouseClick(window.steps.viewport(), Qt.MouseButton.LeftButton, pos=item.center())
    assert window.steps.currentRow() == SAFETY_ROW
    assert_opens_at_top_with_focus_in_view(window, SAFETY_ROW)
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    assert window.session.consult == before


def test_after_new_no_page_keeps_the_previous_consults_scroll_position(
    qtbot: QtBot, window: MainWindow
) -> None:
    active(qtbot, window)
    window.open_path(CONTROLLED_BP)
    for row in range(len(window.step_pages)):
        window.steps.setCurrentRow(row)
        if scroll_of(window, row).verticalScrollBar().maximum() > 0:
            read_to_bottom(window, row)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.session.consult.patient.age_years is None
    for row in range(len(window.step_pages)):
        assert scroll_of(window, row).verticalScrollBar().value() == 0, row
    assert window.steps.currentRow() == 0
    QTest.keyClicks(focused(), "61")
    assert window.session.consult.patient.age_years == 61


# --- 3. Radio groups -------------------------------------------------------------------------


def test_tab_into_a_radio_group_lands_on_its_checked_answer_and_arrows_choose(
    qtbot: QtBot, window: MainWindow
) -> None:
    active(qtbot, window)
    pregnancy = question(window, "patient.pregnancy")
    assert isinstance(pregnancy, ChoiceQuestion)
    weight = question(window, "patient.weight_kg").spin
    # Chosen by a click: "Not pregnant". Then another consult is opened: "Not applicable".
    show(qtbot, window, pregnancy.buttons["no"])
    QTest.mouseClick(pregnancy.buttons["no"], Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    window.session.mark_saved()
    window.open_path(SAFE_EXAMPLE)
    before = window.session.consult.model_copy(deep=True)
    click_into(weight)
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is pregnancy.buttons["not_applicable"]
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    assert window.session.consult == before
    QTest.keyClick(focused(), Qt.Key.Key_Down)  # arrows choose
    assert window.session.consult.patient.pregnancy == "no"
    # A new consult: Tab lands on "Unknown", where the answer starts, and records nothing;
    # an arrow chooses.
    window.session.mark_saved()
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    click_into(weight)
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is pregnancy.buttons["unknown"]
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    assert window.session.consult.patient.pregnancy == "unknown"
    QTest.keyClick(focused(), Qt.Key.Key_Up)
    assert window.session.consult.patient.pregnancy == "planning"
    assert focused() is pregnancy.buttons["planning"]
    # Shift+Tab back into the group lands on its checked answer too.
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    QTest.keyClick(focused(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is pregnancy.buttons["planning"]


# --- 4. Numbers ------------------------------------------------------------------------------


def test_a_click_into_a_filled_box_then_digits_replace_the_number(
    qtbot: QtBot, window: MainWindow
) -> None:
    active(qtbot, window)
    window.open_path(SAFE_EXAMPLE)  # age 52
    age = question(window, "patient.age_years")
    show(qtbot, window, age.spin)
    window.steps.setFocus()
    click_into(age.spin)
    QTest.keyClicks(focused(), "61")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert window.session.consult.patient.age_years == 61
    # A click at the far right of the box (where a unit would be) does the same.
    window.steps.setFocus()
    edit = age.spin.lineEdit()
    click_into(age.spin, QPoint(edit.width() - 3, edit.height() // 2))
    QTest.keyClicks(focused(), "58")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert window.session.consult.patient.age_years == 58


def test_a_double_click_selects_the_number_not_the_unit(qtbot: QtBot, window: MainWindow) -> None:
    active(qtbot, window)
    months = question(window, "fibromyalgia.symptom_months")
    show(qtbot, window, months.spin)
    click_into(months.spin)
    QTest.keyClicks(focused(), "6")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert window.session.consult.fibromyalgia.symptom_months == 6
    edit = months.spin.lineEdit()
    for where in (QPoint(4, edit.height() // 2), QPoint(edit.width() - 4, edit.height() // 2)):
        QTest.mouseDClick(edit, Qt.MouseButton.LeftButton, pos=where)
        QTest.keyClicks(focused(), "7")
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        assert window.session.consult.fibromyalgia.symptom_months == 7


@pytest.mark.parametrize(
    ("field", "typed", "words"),
    [
        ("patient.age_years", "150", ("0", "120")),
        ("patient.weight_kg", "25", ("30", "300")),
        ("fibromyalgia.wpi", "20", ("0", "19")),
    ],
)
def test_out_of_range_is_refused_with_a_message_naming_the_range(
    qtbot: QtBot, window: MainWindow, field: str, typed: str, words: tuple[str, str]
) -> None:
    active(qtbot, window)
    window.open_path(SAFE_EXAMPLE)
    before = window.session.consult.model_copy(deep=True)
    widget = question(window, field)
    assert isinstance(widget, NumberQuestion)
    show(qtbot, window, widget.spin)
    click_into(widget.spin)
    QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(focused(), typed)
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert window.session.consult == before  # not truncated, not "not known"
    assert window.session.assessment.status.value == "may_discuss"
    assert widget.refused.isVisible()
    message = widget.refused.text()
    assert typed in message
    assert f"{words[0]} to {words[1]}" in message
    # A value in range then goes through, and the message goes.
    click_into(widget.spin)
    QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(focused(), "5" if field != "patient.weight_kg" else "55")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert widget.refused.isHidden()


def test_clearing_the_text_gives_not_known(qtbot: QtBot, window: MainWindow) -> None:
    active(qtbot, window)
    window.open_path(SAFE_EXAMPLE)
    for field in ("patient.age_years", "patient.weight_kg", "fibromyalgia.wpi"):
        widget = question(window, field)
        show(qtbot, window, widget.spin)
        click_into(widget.spin)
        QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(focused(), Qt.Key.Key_Backspace)
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        assert window.session.answer(field) is None, field
        assert widget.refused.isHidden()


def test_arrows_still_step_a_number(qtbot: QtBot, window: MainWindow) -> None:
    active(qtbot, window)
    window.open_path(SAFE_EXAMPLE)  # age 52
    age = question(window, "patient.age_years")
    show(qtbot, window, age.spin)
    click_into(age.spin)
    QTest.keyClick(focused(), Qt.Key.Key_Up)
    QTest.keyClick(focused(), Qt.Key.Key_Up)
    QTest.keyClick(focused(), Qt.Key.Key_Down)
    assert window.session.consult.patient.age_years == 53


def test_the_not_kept_message_goes_once_both_values_agree(qtbot: QtBot, window: MainWindow) -> None:
    active(qtbot, window)
    window.open_path(SAFE_EXAMPLE)
    total = question(window, "comorbidities.phq9_total")
    item9 = question(window, "comorbidities.phq9_item9")

    def type_into(widget: NumberQuestion, digits: str) -> None:
        show(qtbot, window, widget.spin)
        click_into(widget.spin)
        QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(focused(), digits)
        QTest.keyClick(focused(), Qt.Key.Key_Tab)

    type_into(total, "4")
    type_into(item9, "1")
    type_into(total, "0")  # below item 9: refused
    assert window.session.consult.comorbidities.phq9_total == 4
    assert total.refused.isVisible()
    type_into(item9, "0")  # now 4 and 0 agree
    assert window.session.consult.comorbidities.phq9_item9 == 0
    assert total.refused.isHidden()
    assert item9.refused.isHidden()


# --- 5. Self-pay starts unknown --------------------------------------------------------------


def test_self_pay_starts_unknown_and_is_exported_so(window: MainWindow) -> None:
    from decision_aid import fhir

    assert window.session.consult.insurance.can_self_pay == "unknown"
    self_pay = question(window, "insurance.can_self_pay")
    assert self_pay.buttons["unknown"].isChecked()
    assert not self_pay.buttons["unsure"].isChecked()
    exported = fhir.to_json(fhir.questionnaire_response(window.session.consult, window.content))
    assert "unsure" not in exported.lower()


# --- 6. One truth for the handout language ---------------------------------------------------


@pytest.mark.qt_log_ignore("does not support grabbing the keyboard", "does not support raise")
def test_the_handout_language_shows_one_truth(qtbot: QtBot, window: MainWindow) -> None:
    from tests.gui.mouse import choose_in_combo

    active(qtbot, window)
    window.open_path(SAFE_EXAMPLE)  # English
    language = question(window, "patient.handout_language")
    QTest.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    review = window.review
    qtbot.waitUntil(review.language.isVisible)
    choose_in_combo(review.language, "es")
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.session.consult.patient.handout_language == "es"
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert language.buttons["es"].isChecked()
    assert not language.buttons["en"].isChecked()
    show(qtbot, window, language.buttons["en"])
    QTest.mouseClick(language.buttons["en"], Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert window.session.consult.patient.handout_language == "en"
    QTest.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert review.chosen_language == "en"
