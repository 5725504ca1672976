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


def confirm_discard(parent: QWidget) -> bool:
    """Asks before answers that were not saved are thrown away."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(
        parent,
        "Discard answers?",
        "This consult has answers that were not saved. Discard them?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


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
