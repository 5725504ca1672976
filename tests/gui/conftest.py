"""Fixtures for the window: a fresh window per test, isolated settings, dialogs behind seams."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings

from decision_aid.ui.app import build_window
from decision_aid.ui.settings import AppSettings
from tests.gui import cups
from tests.helpers import content

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow
    from tests.gui.cups import CupsPdf


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path) -> Callable[[], MainWindow]:
    """Builds shown main windows with their own settings file; closed after the test."""

    def make() -> MainWindow:
        settings = AppSettings(
            QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        )
        window = build_window(settings, content=content())
        # Closing at teardown must not ask about unsaved answers.
        qtbot.addWidget(window, before_close_func=lambda shown: shown.session.mark_saved())
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def window(make_window: Callable[[], MainWindow]) -> MainWindow:
    return make_window()


@pytest.fixture(autouse=True)
def _no_real_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Any dialog a test did not expect fails loudly instead of blocking the run."""
    from decision_aid.ui import dialogs

    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"an unexpected dialog was opened: {args[1:2]}")

    for name in (
        "ask_open_path",
        "ask_save_path",
        "ask_unsaved",
        "confirm_incomplete_handout",
        "show_message",
        "show_error",
        "ask_printer",
        "show_document",
        "ask_settings",
        "confirm_replace",
        "ask_changed_on_disk",
        "confirm_urgent_handout",
    ):
        monkeypatch.setattr(dialogs, name, unexpected)
    return []


@pytest.fixture(scope="session")
def cups_pdf() -> CupsPdf:
    """A running CUPS scheduler with a cups-pdf printer and a refusing one (tests/gui/cups.py);
    skipped where there is none, failed instead under DECISION_AID_REQUIRE_CUPS=1 (.ci/run)."""
    try:
        return cups.start()
    except cups.Unavailable as reason:
        if os.environ.get(cups.REQUIRE) == "1":
            pytest.fail(f"{cups.REQUIRE}=1 but no CUPS for the printing tests: {reason}")
        pytest.skip(f"no CUPS with cups-pdf for the printing tests: {reason}")
