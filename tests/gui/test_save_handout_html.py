"""Save handout offers the PDF or one HTML file (docs/design.md section 7, issue 24): the
name the clinician gives, or the filter chosen for a bare name, decides the format. Driven
with real key presses on the shown window; the save dialog is patched at its seam, except in
the test that drives the real dialog's filter list."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QLineEdit

from decision_aid.consult import Language
from decision_aid.ui import dialogs
from decision_aid.ui.consult_files import name_for_filter
from tests.gates.html_handout import read_html
from tests.gui.modal import when_modal
from tests.helpers import EXAMPLES, content

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow

SPANISH_EXAMPLE = EXAMPLES / "crps-may-discuss-es.consult.json"


def _save_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )


def test_saving_the_handout_as_html_writes_the_html_of_the_consults_language(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(SPANISH_EXAMPLE)
    asked: list[str] = []

    def ask(parent: object, caption: str, file_filter: str, suggested: str) -> Path:
        asked.append(file_filter)
        return tmp_path / "para-el-paciente.html"

    monkeypatch.setattr(dialogs, "ask_save_path", ask)
    _save_by_keyboard(qtbot, window)
    # The dialog offered both formats.
    assert asked == [dialogs.HANDOUT_FILTER]
    assert "(*.pdf)" in asked[0]
    assert "(*.html)" in asked[0]
    saved = tmp_path / "para-el-paciente.html"
    data = saved.read_bytes()
    assert data.startswith(b"<!DOCTYPE html>")
    page = read_html(data)
    assert page.errors == []
    assert page.lang == "es"
    assert page.texts("h1") == [content().handout[Language.ES].title]
    # No temporary file left beside it (the window's settings file is the fixture's).
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "para-el-paciente.html",
        "settings.ini",
    ]
    # Saved is given, as for the PDF: the consult records it.
    given = window.session.consult.decision.handout
    assert given is not None
    assert (given.language, given.paper) == ("es", "letter")
    assert window.statusBar().currentMessage() == "Handout saved: para-el-paciente.html"


def test_a_pdf_name_still_saves_the_pdf(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(SPANISH_EXAMPLE)
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "leaflet.pdf")
    _save_by_keyboard(qtbot, window)
    assert (tmp_path / "leaflet.pdf").read_bytes().startswith(b"%PDF")


# Choosing a filter resizes Qt's own dialog: the offscreen platform says it cannot pass size
# hints on, which a real display does.
@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_real_dialogs_html_filter_names_a_bare_name_html(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decision_aid.ui import dialogs as real

    monkeypatch.undo()  # the real dialog, not the conftest's stand-in

    def choose_html_and_type(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        types = dialog.findChild(QComboBox, "fileTypeCombo")
        assert types is not None
        assert [types.itemText(index) for index in range(types.count())] == [
            "PDF files (*.pdf)",
            "Web page, one HTML file (*.html)",
        ]
        types.setFocus()
        QTest.keyClick(types, Qt.Key.Key_Down)
        assert types.currentIndex() == 1
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None
        edit.setFocus()
        edit.selectAll()
        QTest.keyClicks(edit, "for-the-patient")
        QTest.keyClick(edit, Qt.Key.Key_Return)

    with when_modal(choose_html_and_type):
        chosen = real.ask_save_path(
            window, "Save handout", real.HANDOUT_FILTER, str(tmp_path / "handout.pdf")
        )
    assert chosen == tmp_path / "for-the-patient.html"


@pytest.mark.parametrize(
    ("name", "selected", "expected"),
    [
        ("leaflet", "Web page, one HTML file (*.html)", "leaflet.html"),
        ("leaflet", "PDF files (*.pdf)", "leaflet.pdf"),
        # A name that says its format is kept, whichever filter was chosen.
        ("leaflet.pdf", "Web page, one HTML file (*.html)", "leaflet.pdf"),
        ("leaflet.HTML", "PDF files (*.pdf)", "leaflet.HTML"),
        ("visit.v2", "PDF files (*.pdf)", "visit.v2.pdf"),
    ],
)
def test_a_bare_name_takes_the_chosen_filters_suffix(
    name: str, selected: str, expected: str
) -> None:
    assert name_for_filter(name, dialogs.HANDOUT_FILTER, selected) == expected
    # Filters with no suffix of their own leave the name as typed.
    assert name_for_filter(name, "All files (*)", "All files (*)") == name
