"""The Help windows (About, Rules, Evidence) and the Settings dialog.

The conftest replaces every dialog function with one that fails; these tests keep the real
ones, taken when this module is imported, and drive them directly.
"""

from __future__ import annotations

import importlib.metadata
import re
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton, QTextBrowser

from decision_aid.catalogue import RULES
from decision_aid.ui import dialogs
from decision_aid.ui.dialogs import ask_settings, settings_dialog, show_document
from decision_aid.ui.help import (
    VARIANT_CONDITIONS,
    about_html,
    evidence_html,
    program_version,
    readable_text,
    rules_html,
    variant_condition,
)
from decision_aid.ui.markup import escape
from decision_aid.ui.settings import ClinicSettings
from tests.gui.modal import when_modal
from tests.helpers import content

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow


def _document(window: MainWindow, title: str) -> QDialog:
    windows: dict[str, QDialog] = getattr(window, "_document_windows", {})
    return windows[title]


def _open_windows(window: MainWindow, title: str) -> list[QDialog]:
    return [
        widget
        for widget in window.findChildren(QDialog)
        if widget.windowTitle() == title and widget.isVisible()
    ]


def _child[T: QObject](document: QDialog, kind: type[T], name: str = "") -> T:
    child = document.findChild(kind, name)
    assert child is not None, (kind, name)
    return child


def _activate(qtbot: QtBot, document: QDialog) -> None:
    """Makes the document the active window, as a click on it would: its shortcuts need it."""
    document.activateWindow()
    document.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is document)


# --- the documents ---------------------------------------------------------------------------


def test_about_names_the_program_and_content_versions(window: MainWindow) -> None:
    about = about_html(window.session)
    assert f"<b>Program version:</b> {importlib.metadata.version('decision-aid')}" in about
    assert escape(content().label) in about
    assert content().pack.version in about
    assert f"the rule catalogue has {len(RULES)} rules" in about
    assert f"<b>Review:</b> {escape(content().pack.checked_by)}" in about
    assert f"<b>Written by:</b> {escape(content().pack.written_by)}." in about
    assert escape(content().pack.paid_by) in about


def test_program_version_when_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert program_version() == "(not installed)"


def test_rules_name_every_rule_with_placeholders_filled(window: MainWindow) -> None:
    rules = rules_html(window.session)
    assert all(f"rule {rule_id}<" in rules for rule_id in RULES)
    assert "{" not in rules
    assert "}" not in rules
    assert "Age <i>[age]</i>: out of scope" in rules
    assert "PHQ-9 item 9 is <i>[PHQ-9 item 9]</i>" in rules
    assert "Symptoms for <i>[months]</i> months" in rules


def test_readable_text_escapes_and_names_unknown_placeholders() -> None:
    assert readable_text("Age {age} <b>x</b> & {mystery}") == (
        "Age <i>[age]</i> &lt;b&gt;x&lt;/b&gt; &amp; <i>[mystery]</i>"
    )


def test_each_medicine_variant_shows_its_own_sources(window: MainWindow) -> None:
    rules = rules_html(window.session)
    items = rules.split("<li>")
    entry = content().rulebook.rules["caution.medications"]
    sources = content().evidence.sources
    labels = content().questions
    for name, text in entry.variants.items():
        label = escape(labels.option_label("safety.medications", name))
        (item,) = [
            item for item in items if item.startswith(f"<i>When the medicines include {label}:</i>")
        ]
        assert readable_text(text) in item
        shown = re.search(r"\(Sources: (.*)\)</small>", item)
        assert shown is not None, name
        named = re.findall(r">([^<]+)</span>", shown.group(1))
        assert named == [sources[key].short for key in entry.variant_citations[name]], name


def test_rules_list_the_full_citation_of_every_source_they_cite(window: MainWindow) -> None:
    rules = rules_html(window.session)
    sources = content().evidence.sources
    for rule in content().rulebook.rules.values():
        for key in rule.citations:
            assert escape(sources[key].citation) in rules


def test_evidence_has_every_source_and_every_claim(window: MainWindow) -> None:
    evidence = evidence_html(window.session)
    library = content().evidence
    assert all(f"[{key}]" in evidence for key in library.sources)
    assert library.claims
    for claim_id, claim in library.claims.items():
        assert escape(claim.text) in evidence
        assert f"[{claim_id}]" in evidence
    for certainty in {claim.certainty for claim in library.claims.values()}:
        assert f"Certainty: {certainty.replace('_', ' ')}." in evidence


# --- the document window ---------------------------------------------------------------------


def test_help_windows_are_not_modal(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "show_document", show_document)
    window.rules_action.trigger()
    window.about_action.trigger()
    window.evidence_action.trigger()
    for title in ("Rules", "About decision-aid", "Evidence library"):
        document = _document(window, title)
        assert document.isVisible()
        assert not document.isModal()
        assert document.windowModality() == Qt.WindowModality.NonModal
        assert _child(document, QTextBrowser).openLinks() is False
    assert QApplication.activeModalWidget() is None
    # The consult goes on while they are open.
    row = window.steps.currentRow()
    window.activateWindow()
    QTest.keyClick(window.steps, Qt.Key.Key_Down)
    assert window.steps.currentRow() == row + 1


# The offscreen platform cannot raise a window, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_opening_a_document_twice_raises_the_open_window(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.setattr(dialogs, "show_document", show_document)
    window.rules_action.trigger()
    first = _document(window, "Rules")
    window.rules_action.trigger()
    assert _document(window, "Rules") is first
    assert _open_windows(window, "Rules") == [first]
    first.close()
    qtbot.waitUntil(lambda: "Rules" not in getattr(window, "_document_windows", {}))
    assert _open_windows(window, "Rules") == []
    window.rules_action.trigger()
    assert _document(window, "Rules") is not first
    assert len(_open_windows(window, "Rules")) == 1


def test_find_next_previous_and_not_found(window: MainWindow, qtbot: QtBot) -> None:
    document = show_document(window, "Rules", rules_html(window.session))
    browser = _child(document, QTextBrowser)
    field = _child(document, QLineEdit, "find")
    status = _child(document, QLabel, "find_status")
    _activate(qtbot, document)
    QTest.keyClick(browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert field.hasFocus()
    QTest.keyClicks(field, "benzodiazepine")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert browser.textCursor().selectedText().lower() == "benzodiazepine"
    assert status.text() == ""
    first = browser.textCursor().position()
    QTest.keyClick(field, Qt.Key.Key_Return)
    second = browser.textCursor().position()
    assert second > first
    QTest.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert browser.textCursor().position() == first
    assert document.isVisible(), "Enter in the find field searches; it does not close"

    field.clear()
    QTest.keyClicks(field, "zqxjvwk")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert status.text() == "Not found"
    assert browser.textCursor().position() == first, "a failed search keeps the place"
    QTest.keyClicks(field, "z")
    assert status.text() == ""


def test_find_wraps_around(window: MainWindow, qtbot: QtBot) -> None:
    document = show_document(window, "About decision-aid", about_html(window.session))
    browser = _child(document, QTextBrowser)
    field = _child(document, QLineEdit, "find")
    field.setText("Intended user")
    QTest.keyClick(field, Qt.Key.Key_Return)
    first = browser.textCursor().position()
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert browser.textCursor().position() == first
    assert _child(document, QLabel, "find_status").text() == ""


def test_ctrl_f_focuses_the_find_field_and_escape_closes(window: MainWindow, qtbot: QtBot) -> None:
    document = show_document(window, "Evidence library", evidence_html(window.session))
    _activate(qtbot, document)
    browser = _child(document, QTextBrowser)
    field = _child(document, QLineEdit, "find")
    browser.setFocus()
    QTest.keyClick(browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert field.hasFocus()
    QTest.keyClick(field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not document.isVisible())
    assert "Evidence library" not in getattr(window, "_document_windows", {})


def test_help_windows_close_with_the_main_window(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "show_document", show_document)
    window.rules_action.trigger()
    window.evidence_action.trigger()
    documents = [_document(window, "Rules"), _document(window, "Evidence library")]
    window.close()
    assert not any(document.isVisible() for document in documents)
    assert getattr(window, "_document_windows", None) == {}


def test_close_button_closes(window: MainWindow, qtbot: QtBot) -> None:
    document = show_document(window, "Rules", rules_html(window.session))
    (close,) = [button for button in document.findChildren(QPushButton) if button.text() == "Close"]
    QTest.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not document.isVisible()
    assert "Rules" not in getattr(window, "_document_windows", {})


# --- settings --------------------------------------------------------------------------------


def test_browse_fills_the_content_folder(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked: list[str] = []

    def choose(parent: object, caption: str, start: str) -> str:
        asked.append(start)
        return str(tmp_path)

    monkeypatch.setattr(dialogs, "ask_folder", choose)
    dialog, chosen = settings_dialog(
        window, ClinicSettings(content_folder="/old/pack"), window.content.languages
    )
    qtbot.addWidget(dialog)
    (browse,) = [button for button in dialog.findChildren(QPushButton) if "Browse" in button.text()]
    assert browse.accessibleName() == "Browse for the content pack folder"
    QTest.mouseClick(browse, Qt.MouseButton.LeftButton)
    assert asked == ["/old/pack"]
    assert chosen().content_folder == str(tmp_path)

    monkeypatch.setattr(dialogs, "ask_folder", lambda parent, caption, start: None)
    QTest.mouseClick(browse, Qt.MouseButton.LeftButton)
    assert chosen().content_folder == str(tmp_path), "cancelling the chooser changes nothing"


def test_settings_labels_say_what_each_setting_does(window: MainWindow, qtbot: QtBot) -> None:
    dialog, _ = settings_dialog(window, ClinicSettings(), window.content.languages)
    qtbot.addWidget(dialog)
    names = {widget.accessibleName() for widget in dialog.findChildren(QLineEdit)}
    assert "Content pack folder (used from the next start)" in names
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert "Default paper for new consults" in labels
    assert "Default handout language for new consults" in labels


def test_settings_fields_are_not_cut_off(window: MainWindow, qtbot: QtBot) -> None:
    window.resize(1024, 700)
    current = ClinicSettings(
        clinic_name="Northside Pain and Rehabilitation Clinic",
        clinician_name="Dr. Alexandra Montgomery-Williams",
        contact="Call 555-0100, Monday to Friday 8-5, or write to pain@example.org",
        content_folder="/srv/clinic/decision-aid/content-pack-2026",
    )
    dialog, _ = settings_dialog(window, current, window.content.languages)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for edit in dialog.findChildren(QLineEdit):
        shown = edit.text() or edit.placeholderText()
        assert edit.width() >= 300, edit.accessibleName()
        assert edit.width() >= min(edit.fontMetrics().horizontalAdvance(shown), 360), shown
    for label in dialog.findChildren(QLabel):
        if label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    assert dialog.width() <= 1024


def test_ask_settings_returns_what_was_entered(window: MainWindow, qtbot: QtBot) -> None:
    def fill_and_save(dialog: QDialog) -> None:
        edits = dialog.findChildren(QLineEdit)
        (clinic,) = [edit for edit in edits if edit.accessibleName() == "Clinic name"]
        clinic.setText("  Northside clinic ")
        dialog.accept()

    with when_modal(fill_and_save):
        chosen = ask_settings(
            window, ClinicSettings(paper="a4", language="es"), window.content.languages
        )
    assert chosen == ClinicSettings(clinic_name="Northside clinic", paper="a4", language="es")

    with when_modal(QDialog.reject):
        cancelled = ask_settings(window, ClinicSettings(), window.content.languages)
    assert cancelled is None


def test_every_variant_has_its_condition_in_words() -> None:
    """Each variant of the catalogue has its own condition; none is stale (the medicine rules
    are named by the medicine list's labels)."""
    named = {(rule_id, name) for rule_id, spec in RULES.items() for name in spec.variants}
    by_medicine = {
        (rule_id, name)
        for rule_id, name in named
        if rule_id in ("caution.medications", "info.medications")
    }
    assert set(VARIANT_CONDITIONS) == named - by_medicine


def test_information_medicines_are_named_by_their_labels(window: MainWindow) -> None:
    rules = rules_html(window.session)
    labels = content().questions
    for name in content().rulebook.rules["info.medications"].variants:
        label = labels.option_label("safety.medications", name)
        assert variant_condition(content(), "info.medications", name) == (
            f"the medicines include {label}"
        )
        assert f"<i>When the medicines include {escape(label)}:</i>" in rules
