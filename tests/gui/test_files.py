"""Files as a desktop expects, feedback and urgency (issue 23), driven by real input: keys and
clicks on the shown window, the real dialogs answered through the modal helper."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QWidget,
)

from decision_aid import clock
from decision_aid.catalogue import Status
from decision_aid.files import read_consult_file
from decision_aid.ui import dialogs
from decision_aid.ui.questions import ChoiceQuestion, NumberQuestion
from tests.gui.modal import when_modal, when_modals
from tests.gui.test_window import enter_number
from tests.helpers import EXAMPLES

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow

# What the offscreen platform says of menus, dialogs and windows it cannot raise or grab for.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

SAFE_EXAMPLE = EXAMPLES / "may-discuss.consult.json"
# The real dialogs, taken before the suite's seams replace them in each test.
REAL = {
    name: getattr(dialogs, name, None)
    for name in (
        "ask_save_path",
        "ask_unsaved",
        "confirm_replace",
        "ask_changed_on_disk",
        "confirm_urgent_handout",
        "show_document",
        "ask_settings",
    )
}


def use_real(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    for name in names:
        real = REAL[name]
        if real is not None:
            monkeypatch.setattr(dialogs, name, real)


def activate(qtbot: QtBot, window: MainWindow) -> None:
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def key(
    widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(widget, key, modifier)


CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def choose(qtbot: QtBot, window: MainWindow, field: str, value: str) -> None:
    """Sets an answer (setting up: the answer is not what these tests are about)."""
    for page in window.step_pages:
        for widget in page.questions:
            if widget.question.field == field:
                assert isinstance(widget, ChoiceQuestion)
                with qtbot.waitSignal(window.session.assessment_changed):
                    widget.buttons[value].setChecked(True)
                return
    raise KeyError(field)


def click_button(dialog: QDialog, text: str) -> None:
    """Clicks the dialog's button that reads ``text`` (mnemonic marks aside)."""
    buttons = [b for b in dialog.findChildren(QAbstractButton) if b.isVisible()]
    button = next(b for b in buttons if b.text().replace("&", "") == text)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def type_file_name(name: str) -> Callable[[QDialog], None]:
    """A save dialog's step: types ``name`` over the suggested one and presses Enter."""

    def step(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None
        edit.setFocus()
        key(edit, Qt.Key.Key_A, CTRL)
        QTest.keyClicks(edit, name)
        key(edit, Qt.Key.Key_Return)

    return step


def popup() -> QMenu:
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu), "no menu is open"
    return menu


# --- Open recent ---------------------------------------------------------------------------


@pytest.mark.parametrize("choice", ["Cancel", "Discard"])
def test_open_recent_from_the_menu_asks_about_unsaved_answers(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    choice: str,
) -> None:
    recent = tmp_path / "earlier.consult.json"
    shutil.copy(EXAMPLES / "specialist-review-controlled-bp.consult.json", recent)
    window.settings.add_recent(str(recent))
    use_real(monkeypatch, "ask_unsaved")
    choose(qtbot, window, "safety.liver", "severe")
    answered = window.session.consult.model_copy(deep=True)
    activate(qtbot, window)

    def answer(dialog: QDialog) -> None:
        assert "Save the changes" in dialog.findChild(QLabel, "qt_msgbox_label").text()  # type: ignore[union-attr]
        click_button(dialog, choice)

    with when_modal(answer):
        key(window, Qt.Key.Key_F, ALT)  # File
        qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
        key(popup(), Qt.Key.Key_R)  # Open recent
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is window.recent_menu)
        if window.recent_menu.activeAction() is None:
            key(popup(), Qt.Key.Key_Down)
        assert window.recent_menu.activeAction().text() == str(recent)
        key(popup(), Qt.Key.Key_Return)
    if choice == "Cancel":
        assert window.session.consult == answered
        assert window.path is None
    else:
        assert window.session.consult == read_consult_file(recent)
        assert window.path == recent


# --- Save As ---------------------------------------------------------------------------------


@pytest.mark.parametrize("replace", [False, True])
def test_save_as_of_a_bare_name_asks_before_replacing_and_starts_in_the_consults_folder(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    replace: bool,
) -> None:
    folder = tmp_path / "consults"
    folder.mkdir()
    opened = folder / "today.consult.json"
    shutil.copy(SAFE_EXAMPLE, opened)
    other = folder / "visit.consult.json"
    shutil.copy(EXAMPLES / "specialist-review-controlled-bp.consult.json", other)
    before = other.read_bytes()
    window.open_path(opened)
    choose(qtbot, window, "safety.liver", "severe")
    use_real(monkeypatch, "ask_save_path", "confirm_replace")
    activate(qtbot, window)
    started_in: list[str] = []

    def type_visit(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        started_in.append(dialog.directory().absolutePath())
        type_file_name("visit")(dialog)

    def answer(dialog: QDialog) -> None:
        label = dialog.findChild(QLabel, "qt_msgbox_label")
        assert label is not None
        assert "visit.consult.json already exists" in label.text()
        click_button(dialog, "Replace" if replace else "No")

    def cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)  # "No" goes back to the save dialog
        key(dialog, Qt.Key.Key_Escape)

    steps = (type_visit, answer) if replace else (type_visit, answer, cancel)
    with when_modals(*steps):
        key(window, Qt.Key.Key_S, SHIFT_CTRL)
    assert started_in == [str(folder)]
    if replace:
        assert read_consult_file(other) == window.session.consult
        assert window.path == other
    else:
        assert other.read_bytes() == before
        assert window.path == opened
        assert window.session.modified


def test_saving_the_handout_under_a_bare_name_asks_before_replacing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = tmp_path / "today.consult.json"
    shutil.copy(SAFE_EXAMPLE, opened)
    window.open_path(opened)
    handout = tmp_path / "handout.pdf"
    handout.write_bytes(b"an earlier handout")
    use_real(monkeypatch, "ask_save_path", "confirm_replace")
    activate(qtbot, window)

    def type_handout(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        assert dialog.directory().absolutePath() == str(tmp_path)
        type_file_name("handout")(dialog)

    def keep(dialog: QDialog) -> None:
        click_button(dialog, "No")

    def cancel(dialog: QDialog) -> None:
        key(dialog, Qt.Key.Key_Escape)

    with when_modals(type_handout, keep, cancel):
        key(window, Qt.Key.Key_P, SHIFT_CTRL)
    assert handout.read_bytes() == b"an earlier handout"
    assert window.session.consult.decision.handout is None


def test_the_suggested_name_carries_the_date_and_time(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_real(monkeypatch, "ask_save_path")
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 6, 10, 42), raising=False)
    choose(qtbot, window, "safety.liver", "none")
    activate(qtbot, window)
    offered: list[str] = []

    def read_name(dialog: QDialog) -> None:
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None
        offered.append(edit.text())
        key(dialog, Qt.Key.Key_Escape)

    with when_modal(read_name):
        key(window, Qt.Key.Key_S, CTRL)
    assert offered == ["consult-2026-12-06-1042.consult.json"]


# --- Two windows on one consult ------------------------------------------------------------


@pytest.mark.parametrize("choice", ["Cancel", "Overwrite", "Save As..."])
def test_a_consult_changed_on_disk_by_another_window_is_not_overwritten_silently(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    choice: str,
) -> None:
    shared = tmp_path / "shared.consult.json"
    shutil.copy(SAFE_EXAMPLE, shared)
    first, second = make_window(), make_window()
    first.open_path(shared)
    second.open_path(shared)
    choose(qtbot, first, "safety.liver", "severe")
    activate(qtbot, first)
    key(first, Qt.Key.Key_S, CTRL)
    assert read_consult_file(shared).safety.liver == "severe"

    use_real(monkeypatch, "ask_changed_on_disk")
    elsewhere = tmp_path / "mine.consult.json"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: elsewhere)
    choose(qtbot, second, "safety.liver", "mild_moderate")
    activate(qtbot, second)

    def answer(dialog: QDialog) -> None:
        label = dialog.findChild(QLabel, "qt_msgbox_label")
        assert label is not None
        assert "shared.consult.json was changed by another window" in label.text()
        click_button(dialog, choice)

    with when_modal(answer):
        key(second, Qt.Key.Key_S, CTRL)
    on_disk = read_consult_file(shared).safety.liver
    assert on_disk == ("mild_moderate" if choice == "Overwrite" else "severe")
    assert second.session.modified is (choice == "Cancel")
    assert elsewhere.exists() is (choice == "Save As...")
    # Once this window saved (or the file is as it left it), Ctrl+S asks nothing more.
    if choice != "Cancel":
        choose(qtbot, second, "safety.liver", "none")
        activate(qtbot, second)
        key(second, Qt.Key.Key_S, CTRL)
        assert read_consult_file(second.path).safety.liver == "none"  # type: ignore[arg-type]


# --- Feedback and fit ------------------------------------------------------------------------


def shown_confirmation(window: MainWindow) -> QLabel:
    labels = [
        label
        for label in window.findChildren(QLabel)
        if label.accessibleName() == "Confirmation" and label.isVisible()
    ]
    assert len(labels) == 1, "no confirmation is shown"
    return labels[0]


def inside_window(window: MainWindow, widget: QWidget) -> bool:
    corner = widget.mapTo(window, QPoint(0, 0))
    return QRect(QPoint(0, 0), window.size()).contains(QRect(corner, widget.size()))


def test_copy_note_and_save_confirm_where_the_clinician_looks(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(SAFE_EXAMPLE)
    activate(qtbot, window)
    key(window, Qt.Key.Key_C, SHIFT_CTRL)
    shown = shown_confirmation(window)
    assert "clinician note is on the clipboard" in shown.text()
    # In the assessment panel, inside the window, and there long enough to be read.
    assert window.panel.isAncestorOf(shown)
    assert inside_window(window, shown)
    qtbot.wait(3000)
    assert shown.isVisible()

    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "kept")
    key(window, Qt.Key.Key_S, SHIFT_CTRL)
    assert "saved: kept.consult.json" in shown_confirmation(window).text()


def test_the_window_fits_the_screen_frame_included(window: MainWindow) -> None:
    """The offscreen platform draws a frame of 2 pixels around the window, on a screen of
    800x800: the frame too must be on the screen."""
    window.fit_to_screen()
    available = window.screen().availableGeometry()
    assert window.frameGeometry() != window.geometry()  # the frame is there
    assert available.contains(window.frameGeometry())
    assert inside_window(window, window.statusBar())


# --- The urgent banner -----------------------------------------------------------------------


def urgent_consult(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """A complete consult with PHQ-9 item 9 at 2 and a high suicide risk today: urgent."""
    data = SAFE_EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "urgent.consult.json"
    path.write_text(data, encoding="utf-8")
    window.open_path(path)
    item9 = next(
        widget
        for page in window.step_pages
        for widget in page.questions
        if widget.question.field == "comorbidities.phq9_item9"
    )
    assert isinstance(item9, NumberQuestion)
    with qtbot.waitSignal(window.session.assessment_changed):
        enter_number(item9, 2)
    choose(qtbot, window, "decision.suicide_risk", "high")
    window.go_to_step(0)
    assert window.session.assessment.urgent
    assert window.session.assessment.status is not Status.INCOMPLETE


def test_the_urgent_banner_takes_the_clinician_to_its_question(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    urgent_consult(qtbot, window, tmp_path)
    activate(qtbot, window)
    buttons = [
        button
        for button in window.panel.findChildren(QPushButton)
        if button.isVisible() and "Suicide risk today" in button.text()
    ]
    assert len(buttons) == 1, "the urgent banner has no action"
    QTest.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    decision = next(i for i, s in enumerate(window.content.questions.steps) if s.id == "decision")
    assert window.steps.currentRow() == decision
    focused = QApplication.focusWidget()
    question = next(
        widget
        for widget in window.page(decision).questions
        if widget.question.field == "decision.suicide_risk"
    )
    assert focused is not None
    assert focused in question.controls()
    # In view: inside the page's scrolled viewport.
    scroll = window.pages.currentWidget()
    assert isinstance(scroll, QScrollArea)
    viewport = scroll.viewport()
    corner = focused.mapTo(viewport, QPoint(0, 0))
    assert viewport.rect().contains(QRect(corner, focused.size()))


@pytest.mark.parametrize("go_on", [False, True])
def test_a_handout_asks_first_while_urgent_is_unresolved(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, go_on: bool
) -> None:
    urgent_consult(qtbot, window, tmp_path)
    use_real(monkeypatch, "confirm_urgent_handout")
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "handout.pdf")
    activate(qtbot, window)

    def answer(dialog: QDialog) -> None:
        label = dialog.findChild(QLabel, "qt_msgbox_label")
        assert label is not None
        assert "URGENT" in label.text()
        click_button(dialog, "Give the handout" if go_on else "Cancel")

    with when_modal(answer):
        key(window, Qt.Key.Key_P, SHIFT_CTRL)
    assert (tmp_path / "handout.pdf").exists() is go_on
    assert (window.session.consult.decision.handout is not None) is go_on


# --- Smaller items ----------------------------------------------------------------------------


def test_the_go_menu_lists_every_step_with_its_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    activate(qtbot, window)
    key(window, Qt.Key.Key_G, ALT)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = popup()
    listed = {
        action.text().split("\t")[0].replace("&", ""): action.shortcut().toString()
        for action in menu.actions()
        if not action.isSeparator()
    }
    titles = [step.title for step in window.content.questions.steps]
    for number, title in enumerate(titles[:9], start=1):
        assert listed[f"{number}. {title}"] == f"Ctrl+{number}"
    # Ctrl+0 for the last step, Review; the Course step between has none of its own.
    assert listed[f"{len(titles)}. {titles[-1]}"] == "Ctrl+0"
    assert listed[f"{len(titles) - 1}. {titles[-2]}"] == ""
    texts = " ".join(action.text() for action in menu.actions())
    assert "Alt+Right" in texts
    assert "Alt+Left" in texts
    key(menu, Qt.Key.Key_5)  # the menu's own key for step 5
    qtbot.waitUntil(lambda: window.steps.currentRow() == 4)


def test_help_windows_open_offset(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_real(monkeypatch, "show_document")
    activate(qtbot, window)
    key(window, Qt.Key.Key_F1)
    for letter in (Qt.Key.Key_R, Qt.Key.Key_E):  # Help > Rules, Help > Evidence
        activate(qtbot, window)
        key(window, Qt.Key.Key_H, ALT)
        qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
        key(popup(), letter)
    titles = ("About decision-aid", "Rules", "Evidence library")
    shown = {w.windowTitle(): w for w in QApplication.topLevelWidgets() if w.isVisible()}
    corners = [shown[title].frameGeometry().topLeft() for title in titles]
    assert len(set(map(tuple, ((c.x(), c.y()) for c in corners)))) == 3, corners
    for title in titles:
        shown[title].close()


def test_the_content_folder_placeholder_speaks_plainly(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_real(monkeypatch, "ask_settings")
    activate(qtbot, window)
    placeholders: list[str] = []

    def read(dialog: QDialog) -> None:
        field = next(
            edit
            for edit in dialog.findChildren(QLineEdit)
            if edit.accessibleName().startswith("Content pack folder")
        )
        placeholders.append(field.placeholderText())
        click_button(dialog, "Cancel")

    with when_modal(read):
        key(window, Qt.Key.Key_Comma, CTRL)
    assert "$" not in placeholders[0]
    assert "DECISION_AID_CONTENT" not in placeholders[0]
    assert "built into the program" in placeholders[0]


def test_the_default_language_applies_to_the_consult_the_app_opens_with(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    use_real(monkeypatch, "ask_settings")
    activate(qtbot, window)

    def choose_spanish(dialog: QDialog) -> None:
        combo = next(
            box
            for box in dialog.findChildren(QComboBox)
            if box.accessibleName().startswith("Default handout language")
        )
        combo.setFocus()
        while combo.currentData() != "es":
            key(combo, Qt.Key.Key_Down)
        click_button(dialog, "Save")

    with when_modal(choose_spanish):
        key(window, Qt.Key.Key_Comma, CTRL)
    stored = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert stored.value("language") == "es"
    started = make_window()  # the app started again, on those settings
    assert started.session.consult.patient.handout_language == "es"
    assert not started.session.modified


def test_open_shows_the_first_step(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    activate(qtbot, window)
    key(window, Qt.Key.Key_6, CTRL)
    assert window.steps.currentRow() == 5
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *args: SAFE_EXAMPLE)
    key(window, Qt.Key.Key_O, CTRL)
    assert window.path == SAFE_EXAMPLE
    assert window.steps.currentRow() == 0
    assert window.pages.currentIndex() == 0
