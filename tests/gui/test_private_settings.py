"""Issue 25 item 3: no file-dialog history readable by others, and "Keep no recent list"."""

from __future__ import annotations

import stat
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QDialog, QFileDialog, QLineEdit

from decision_aid.ui import dialogs
from decision_aid.ui.settings import AppSettings, ClinicSettings
from tests.gui.modal import when_modal
from tests.helpers import content

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow

# The offscreen platform says so of a file dialog's window hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def qt_settings_in(tmp_path: Path) -> Iterator[Path]:
    """Qt's own settings (QtProject.conf) in a folder of the test's, as the window puts them
    in its private folder; put back afterwards."""
    native, user = QSettings.Format.NativeFormat, QSettings.Scope.UserScope
    before = QSettings(user, "QtProject").fileName()
    QSettings.setPath(native, user, str(tmp_path))
    try:
        yield tmp_path / "QtProject.conf"
    finally:
        QSettings.setPath(native, user, before.rsplit("/", 1)[0])


def test_a_real_save_dialog_keeps_no_history(
    window: MainWindow, tmp_path: Path, qt_settings_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decision_aid.ui import dialogs as real

    monkeypatch.undo()  # the real dialog, not the conftest's stand-in
    patients = tmp_path / "Jane Doe 1961-03-02"
    patients.mkdir()

    def type_name(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None
        edit.setFocus()
        edit.selectAll()
        QTest.keyClicks(edit, "visit.consult.json")
        QTest.keyClick(edit, Qt.Key.Key_Return)

    with when_modal(type_name):
        chosen = real.ask_save_path(
            window, "Save consult", real.CONSULT_FILTER, str(patients / "x")
        )
    assert chosen == patients / "visit.consult.json"
    kept = qt_settings_in.read_text() if qt_settings_in.exists() else ""
    assert "Jane Doe" not in kept
    assert "FileDialog" not in kept
    if qt_settings_in.exists():
        assert stat.S_IMODE(qt_settings_in.stat().st_mode) == 0o600


def test_keep_no_recent_list_clears_it_and_adds_nothing(tmp_path: Path) -> None:
    settings = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    settings.add_recent("/shared/Jane Doe.consult.json")
    assert settings.recent_files() == ["/shared/Jane Doe.consult.json"]
    settings.save_clinic(ClinicSettings(keep_no_recent_list=True))
    assert settings.clinic().keep_no_recent_list
    assert settings.recent_files() == []
    settings.add_recent("/shared/John Roe.consult.json")
    assert settings.recent_files() == []
    assert "Doe" not in (tmp_path / "s.ini").read_text()
    assert "Roe" not in (tmp_path / "s.ini").read_text()


def test_an_invalid_settings_value_reads_as_the_default(tmp_path: Path) -> None:
    (tmp_path / "s.ini").write_text(
        "[General]\nclinic_name=@Invalid()\ncontent_folder=@Invalid()\n"
        "keep_no_recent_list=@Invalid()\nrecent_files=@Invalid()\n"
    )
    settings = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert settings.clinic() == ClinicSettings()
    assert settings.recent_files() == []


def test_the_settings_dialog_offers_keep_no_recent_list(qtbot: QtBot, window: MainWindow) -> None:
    dialog, chosen = dialogs.settings_dialog(window, ClinicSettings(), content().languages)
    qtbot.addWidget(dialog)
    (box,) = [b for b in dialog.findChildren(QCheckBox) if b.text() == "Keep no recent list"]
    assert not chosen().keep_no_recent_list
    box.setChecked(True)
    assert chosen().keep_no_recent_list


def test_settings_with_keep_no_recent_list_empties_the_menu(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.settings.add_recent("/shared/Jane Doe.consult.json")
    monkeypatch.setattr(
        dialogs, "ask_settings", lambda *_: ClinicSettings(keep_no_recent_list=True)
    )
    window.edit_settings()
    window.recent_menu.aboutToShow.emit()
    assert [action.text() for action in window.recent_menu.actions()] == ["(none)"]
