"""Every modal dialog, behind a small function that returns a plain value.

Tests replace these functions; the window never calls ``exec()`` on a dialog directly. Each
function imports its Qt classes when first called: start-up shows no dialog, and creating
those classes' Python types would cost it about 10 ms (bench/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QMessageBox, QWidget

CONSULT_FILTER = "Consult files (*.consult.json);;All files (*)"
PDF_FILTER = "PDF files (*.pdf)"
JSON_FILTER = "FHIR JSON (*.json)"


def ask_open_path(parent: QWidget, caption: str, file_filter: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, caption, "", file_filter)
    return Path(path) if path else None


def ask_save_path(parent: QWidget, caption: str, file_filter: str, suggested: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, file_filter)
    return Path(path) if path else None


def ask_unsaved(parent: QWidget, name: str | None) -> str:
    """Asks what to do with answers that were not saved: "save", "discard" or "cancel"."""
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton
    box = QMessageBox(parent)
    box.setWindowTitle("Save the consult?")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setText(f"Save the changes to {name or 'this consult'} before going on?")
    box.setInformativeText("Answers that are not saved are lost.")
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    chosen = box.exec()
    if chosen == buttons.Save:
        return "save"
    return "discard" if chosen == buttons.Discard else "cancel"


def confirm_incomplete_handout(parent: QWidget, missing: int, conflicts: int) -> bool:
    """Asks before a handout is given from an incomplete consult; True to go on."""
    from PySide6.QtWidgets import QMessageBox

    gaps = []
    if missing:
        gaps.append(f"{missing} required answer{'s' if missing != 1 else ''} still unknown")
    if conflicts:
        gaps.append(f"{conflicts} pair{'s' if conflicts != 1 else ''} of answers in conflict")
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent,
        "The consult is incomplete",
        f"This consult has {' and '.join(gaps) or 'unanswered questions'}. The handout may "
        "change once they are answered. Give the handout anyway?",
        buttons.Yes | buttons.Cancel,
        buttons.Cancel,
    )
    return answer == buttons.Yes


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    """A failure, said plainly; the text (which may quote a file) is never rich text."""
    plain_message_box(parent, title, text, warning=True).exec()


def plain_message_box(
    parent: QWidget | None, title: str, text: str, *, warning: bool = False
) -> QMessageBox:
    """A message box that shows ``text`` as it is: QMessageBox would otherwise render text
    that looks like HTML (a link, a local image) from a consult file or a content pack."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def show_message(parent: QWidget | None, title: str, text: str) -> None:
    """Plain information the clinician should read once (the text is never rich text)."""
    plain_message_box(parent, title, text).exec()


def ask_printer(parent: QWidget) -> QPrinter | None:
    """The system print dialog; the chosen printer, or None when the clinician cancels."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def show_document(parent: QWidget, title: str, html: str) -> None:
    """A read-only document window (About, Rules, Evidence)."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.resize(760, 560)
    layout = QVBoxLayout(dialog)
    browser = QTextBrowser()
    browser.setHtml(html)
    browser.setAccessibleName(title)
    browser.setOpenLinks(False)
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.exec()


@dataclass(frozen=True)
class ClinicSettings:
    """What the clinic sets once: printed on the handout and used as defaults."""

    clinic_name: str = ""
    clinician_name: str = ""
    contact: str = ""
    paper: str = "letter"
    language: str = "en"
    content_folder: str = ""


def ask_settings(parent: QWidget, current: ClinicSettings) -> ClinicSettings | None:
    """The settings dialog; the new settings, or None when cancelled."""
    from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit

    dialog = QDialog(parent)
    dialog.setWindowTitle("Settings")
    form = QFormLayout(dialog)
    clinic = QLineEdit(current.clinic_name)
    clinician = QLineEdit(current.clinician_name)
    contact = QLineEdit(current.contact)
    paper = QComboBox()
    for value, label in (("letter", "Letter"), ("a4", "A4")):
        paper.addItem(label, value)
    paper.setCurrentIndex(max(0, paper.findData(current.paper)))
    language = QComboBox()
    for value, label in (("en", "English"), ("es", "Spanish")):
        language.addItem(label, value)
    language.setCurrentIndex(max(0, language.findData(current.language)))
    folder = QLineEdit(current.content_folder)
    folder.setPlaceholderText("built-in content (or $DECISION_AID_CONTENT)")
    for label, widget in (
        ("Clinic name", clinic),
        ("Clinician name", clinician),
        ("Contact line", contact),
        ("Default paper", paper),
        ("Default handout language", language),
        ("Content pack folder (takes effect at the next start)", folder),
    ):
        widget.setAccessibleName(label)
        form.addRow(label, widget)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return ClinicSettings(
        clinic_name=clinic.text().strip(),
        clinician_name=clinician.text().strip(),
        contact=contact.text().strip(),
        paper=str(paper.currentData()),
        language=str(language.currentData()),
        content_folder=folder.text().strip(),
    )
