"""The Course step shows the words of the pack it runs on (docs/design.md section 13.3): a
clinic's ``course_words.yaml`` changes the form, the table and the help, with no word of the
step's own in the program."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from decision_aid.content import load_content
from decision_aid.ui.app import build_window
from decision_aid.ui.settings import AppSettings
from tests.gui.test_course import PLAN, focused, open_course, with_plan
from tests.helpers import copy_pack, edit

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow


def clinic_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    """The window on a copy of the built-in pack whose course words a clinic changed."""
    pack = copy_pack(tmp_path / "pack")
    words = pack / "course_words.yaml"
    # A value word (visit.infusion's "given"), a stop rule's name on the form, and a
    # heading of the visits' table.
    edit(words, "    given: given\n", "    given: infused as planned\n")
    edit(words, "bladder_new: New bladder symptoms\n", "bladder_new: Bladder, new symptoms\n")
    edit(words, "    day: Day\n", "    day: Day of course\n")
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = build_window(settings, content=load_content(pack))
    qtbot.addWidget(window, before_close_func=lambda shown: shown.session.mark_saved())
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_clinic_packs_changed_words_show_in_the_course_step(qtbot: QtBot, tmp_path: Path) -> None:
    window = clinic_window(qtbot, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    course = open_course(window, with_plan(PLAN))
    # The plan form names the stop rule as the clinic's pack does.
    assert course.plan_form.stop_rules["bladder_new"].text() == "Bladder, new symptoms"
    # A visit added with the keyboard: the infusion's choice reads the pack's word.
    QTest.keyClick(
        focused(),
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    form = course.visit_form
    assert focused() is form.infusion
    QTest.keyClick(focused(), Qt.Key.Key_Down)
    assert form.infusion.currentText() == "Infused as planned"
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "0")
    QTest.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(window.session.consult.course) == 1
    # The table shows the recorded visit in the pack's words, under the pack's heading.
    model = course.table_model
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole) == "1: Infused as planned"
    heading = model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert heading == "Day of course"
