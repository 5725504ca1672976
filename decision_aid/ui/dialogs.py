"""Every dialog, behind a small function that returns a plain value (or, for the Help
windows, which are not modal, the window itself).

Tests replace these functions; the window never calls ``exec()`` on a dialog directly. Each
function imports its Qt classes when first called: start-up shows no dialog, and creating
those classes' Python types would cost it about 10 ms (bench/README.md).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from decision_aid.content import PAPER_NAMES
from decision_aid.ui.markup import plain_label, set_enum_property

# The settings model lives with AppSettings (ui/settings.py); re-exported for callers that
# know it as dialogs.ClinicSettings.
from decision_aid.ui.settings import ClinicSettings as ClinicSettings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

    from decision_aid.consult import Language

CONSULT_FILTER = "Consult files (*.consult.json);;All files (*)"
PDF_FILTER = "PDF files (*.pdf)"
# Save handout offers both formats (docs/design.md section 7); the chosen filter decides the
# suffix of a bare name, and the suffix decides the format.
HANDOUT_FILTER = "PDF files (*.pdf);;Web page, one HTML file (*.html)"
JSON_FILTER = "FHIR JSON (*.json)"


def ask_open_path(parent: QWidget, caption: str, file_filter: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    with _keeping_no_history():
        path, _ = QFileDialog.getOpenFileName(
            parent, caption, "", file_filter, options=QFileDialog.Option.DontUseNativeDialog
        )
    return Path(path) if path else None


# Whether file dialogs print instead of asking: nobody can click them (``--exit-after-startup``,
# the offscreen platform). Set once by the composition root (ui/app.py).
_unattended: list[bool] = [False]


def set_unattended(unattended: bool) -> None:
    """With nobody to click, an error or a message is one line on stderr, never a box that
    waits for ever (docs/design.md section 11)."""
    _unattended[0] = unattended


def is_unattended() -> bool:
    """Whether nobody is there to click: messages go to stderr instead of a box."""
    return _unattended[0]


def _say_unattended(title: str, text: str, *, error: bool = False) -> bool:
    """Prints ``title: text`` as one line on stderr when unattended; True if it did."""
    if not _unattended[0]:
        return False
    import sys

    from decision_aid.consult import escape_unprintable

    line = " ".join(f"{title}: {text}".split())
    kind = "error: " if error else ""
    sys.stderr.write(f"decision-aid: {kind}{escape_unprintable(line)}\n")
    sys.stderr.flush()
    return True


@contextlib.contextmanager
def _keeping_no_history() -> Iterator[None]:
    """Qt's file dialog keeps its history, the last folder it showed and its side bar in Qt's
    own settings (``QtProject.conf``), which a consult's folder must not reach: they are
    removed once the dialog is gone, and the file left is the user's alone. (The window
    also moves Qt's settings into the private settings folder: ui/app.py.) The dialog is
    always Qt's own: a desktop's native one (GTK, a portal) keeps a recent-files list of its
    own that the program cannot clear."""
    try:
        yield
    finally:
        from PySide6.QtCore import QSettings

        from decision_aid.ui.settings import make_file_private_at

        qt = QSettings(QSettings.Scope.UserScope, "QtProject")
        if "FileDialog" in qt.childGroups():
            qt.remove("FileDialog")
            qt.sync()
        make_file_private_at(None, qt.fileName())


def ask_save_path(parent: QWidget, caption: str, file_filter: str, suggested: str) -> Path | None:
    """The system's save dialog, starting at ``suggested`` (a name, or a path in a folder).

    It does not ask before replacing a file itself: the caller adds the file's suffix to a
    bare name first, then asks about the file it will really write (``confirm_replace``).
    """
    from PySide6.QtWidgets import QFileDialog

    from decision_aid.ui.consult_files import name_for_filter

    with _keeping_no_history():
        path, selected = QFileDialog.getSaveFileName(
            parent,
            caption,
            suggested,
            file_filter,
            options=QFileDialog.Option.DontConfirmOverwrite
            | QFileDialog.Option.DontUseNativeDialog,
        )
    return Path(name_for_filter(path, file_filter, selected)) if path else None


def confirm_replace(parent: QWidget, path: Path) -> bool:
    """Asks before a save replaces a file that exists; True to replace it."""
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton
    box = plain_message_box(
        parent,
        "Replace the file?",
        f"{path.name} already exists in {path.parent}.\nReplace it?",
        warning=True,
    )
    box.setInformativeText("Its contents are lost if it is replaced.")
    box.setStandardButtons(buttons.Yes | buttons.No)
    box.button(buttons.Yes).setText("Replace")
    box.setDefaultButton(buttons.No)
    box.setEscapeButton(buttons.No)
    return box.exec() == buttons.Yes


def ask_changed_on_disk(parent: QWidget, path: Path) -> str:
    """The consult's file changed since it was opened or saved here (another window or
    program wrote it): "overwrite", "save_as" or "cancel"."""
    from PySide6.QtWidgets import QMessageBox

    box = plain_message_box(
        parent,
        "The file changed on disk",
        f"{path.name} was changed by another window or program since it was opened or saved here.",
        warning=True,
    )
    box.setInformativeText(
        "Overwrite replaces those changes with the answers in this window. Save As keeps "
        "both: this window's answers go to another file."
    )
    role = QMessageBox.ButtonRole
    overwrite = box.addButton("Overwrite", role.DestructiveRole)
    save_as = box.addButton("Save As...", role.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save_as)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is overwrite:
        return "overwrite"
    return "save_as" if clicked is save_as else "cancel"


def confirm_urgent_handout(parent: QWidget, urgent: list[str]) -> bool:
    """Asks before a handout is given while an urgent finding is unresolved; True to go on."""
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton
    box = plain_message_box(
        parent,
        "An urgent finding is unresolved",
        "URGENT - act today:\n" + "\n".join(urgent),
        warning=True,
    )
    box.setInformativeText("Give the handout anyway?")
    box.setStandardButtons(buttons.Yes | buttons.Cancel)
    box.button(buttons.Yes).setText("Give the handout")
    box.setDefaultButton(buttons.Cancel)
    box.setEscapeButton(buttons.Cancel)
    return box.exec() == buttons.Yes


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
    """A failure, said plainly; the text (which may quote a file) is never rich text. With
    nobody to click, one line on stderr."""
    if _say_unattended(title, text, error=True):
        return
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
    """Plain information the clinician should read once (the text is never rich text). With
    nobody to click, one line on stderr."""
    if _say_unattended(title, text):
        return
    plain_message_box(parent, title, text).exec()


def ask_printer(parent: QWidget, pages: int) -> QPrinter | None:
    """The system print dialog for a handout of ``pages`` pages; the printer with the
    choices made (printer, copies, pages, two-sided, colour), or None when the clinician
    cancels. It offers no "Print to File": Save handout as PDF does that (ui/printing.py)."""
    from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
    from PySide6.QtWidgets import QDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, on=False)
    dialog.setMinMax(1, max(1, pages))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


# The open document windows of a parent window, by title: an attribute of the parent.
_DOCUMENT_WINDOWS = "_document_windows"


def show_document(parent: QWidget, title: str, html: str) -> QDialog:
    """A read-only document window (About, Rules, Evidence) that stays open beside ``parent``.

    It is not modal: the consult can go on while it is open. A find bar searches it (Enter
    finds the next match, Shift+Enter the previous one, Ctrl+F goes to the field, Esc closes
    the window). Opening the same title again raises the window that is already open. Links
    are never followed.

    Returns:
        The window, for tests to drive.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence, QPalette, QShortcut, QTextCursor, QTextDocument
    from PySide6.QtWidgets import (
        QDialog,
        QHBoxLayout,
        QLabel,
        QLineEdit,
        QPushButton,
        QTextBrowser,
        QVBoxLayout,
    )

    windows: dict[str, QDialog] | None = getattr(parent, _DOCUMENT_WINDOWS, None)
    if windows is None:
        windows = {}
        setattr(parent, _DOCUMENT_WINDOWS, windows)
        open_windows = windows

        def close_with_parent(visible: bool) -> None:
            if not visible:
                for document in list(open_windows.values()):
                    document.close()

        # They close with the window they belong to (and so never keep the program running).
        handle = parent.window().windowHandle()
        if handle is not None:
            handle.visibleChanged.connect(close_with_parent)
    existing = windows.get(title)
    if existing is not None:
        browser = existing.findChild(QTextBrowser)
        if browser is not None and existing.property("html") != html:
            browser.setHtml(html)
            existing.setProperty("html", html)
        existing.show()
        existing.raise_()
        existing.activateWindow()
        return existing

    window = QDialog(parent)
    window.setWindowTitle(title)
    window.setModal(False)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # A dynamic property of our own (not a Qt enum): the HTML shown, compared on reopening.
    window.setProperty("html", html)
    layout = QVBoxLayout(window)
    browser = QTextBrowser()
    browser.setOpenLinks(False)
    browser.setHtml(html)
    browser.setAccessibleName(title)
    # A match stays visible while the find field has the focus.
    palette = browser.palette()
    for role in (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText):
        palette.setColor(
            QPalette.ColorGroup.Inactive, role, palette.color(QPalette.ColorGroup.Active, role)
        )
    browser.setPalette(palette)
    layout.addWidget(browser)

    bar = QHBoxLayout()
    find_label = QLabel("&Find:")
    field = QLineEdit()
    field.setObjectName("find")
    field.setAccessibleName(f"Find in {title}")
    field.setPlaceholderText("a word or phrase")
    field.setClearButtonEnabled(True)
    field.setMinimumWidth(240)
    find_label.setBuddy(field)
    previous = QPushButton("Previous")
    previous.setAccessibleName("Find previous")
    following = QPushButton("Next")
    following.setAccessibleName("Find next")
    status = QLabel()
    status.setObjectName("find_status")
    status.setAccessibleName("Find result")
    set_enum_property(status, "textFormat", "PlainText")
    close = QPushButton("Close")
    close.setAccessibleName(f"Close {title}")
    for button in (previous, following, close):
        # Enter in the find field searches; it must not press a button of the window.
        button.setAutoDefault(False)
        button.setDefault(False)
    for widget in (find_label, field, previous, following, status):
        bar.addWidget(widget)
    bar.addStretch(1)
    bar.addWidget(close)
    layout.addLayout(bar)

    def find(backward: bool = False) -> bool:
        text = field.text()
        if not text:
            status.clear()
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = browser.find(text, flags)
        if not found:  # from the other end, once
            before = browser.textCursor()
            cursor = QTextCursor(before)
            cursor.movePosition(
                QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            )
            browser.setTextCursor(cursor)
            found = browser.find(text, flags)
            if not found:
                browser.setTextCursor(before)
        status.setText("" if found else "Not found")
        if found:  # the match in the middle of the view, not at its edge
            bar = browser.verticalScrollBar()
            middle = browser.viewport().height() // 2
            bar.setValue(bar.value() + browser.cursorRect().center().y() - middle)
        return found

    def focus_field() -> None:
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

    field.returnPressed.connect(lambda: find())
    field.textChanged.connect(status.clear)
    following.clicked.connect(lambda: find())
    previous.clicked.connect(lambda: find(backward=True))
    close.clicked.connect(window.reject)
    for standard, slot in (
        (QKeySequence.StandardKey.Find, focus_field),
        (QKeySequence.StandardKey.FindNext, lambda: find()),
        (QKeySequence.StandardKey.FindPrevious, lambda: find(backward=True)),
    ):
        QShortcut(QKeySequence(standard), window).activated.connect(slot)
    for keys in ("Shift+Return", "Shift+Enter"):
        back = QShortcut(QKeySequence(keys), field)
        back.setContext(Qt.ShortcutContext.WidgetShortcut)
        back.activated.connect(lambda: find(backward=True))

    def forget() -> None:
        if windows.get(title) is window:
            del windows[title]

    window.finished.connect(forget)
    windows[title] = window
    screen = parent.screen().availableGeometry()
    window.resize(min(760, screen.width() - 40), min(560, screen.height() - 80))
    # Sized before the window exists: some platforms cannot pass size hints on afterwards.
    layout.activate()
    # Centred over the window, each further one offset down and right, as a cascade: About,
    # Rules and Evidence open side by side rather than exactly on top of each other.
    step = 36 * (len(windows) - 1)
    centre = parent.window().frameGeometry().center()
    x = min(centre.x() - window.width() // 2 + step, screen.right() - window.width())
    y = min(centre.y() - window.height() // 2 + step, screen.bottom() - window.height())
    window.move(max(screen.left(), x), max(screen.top(), y))
    window.show()
    window.activateWindow()
    browser.setFocus()
    return window


def ask_folder(parent: QWidget, caption: str, start: str) -> str | None:
    """The system's folder chooser; the chosen folder, or None when the clinician cancels."""
    from PySide6.QtWidgets import QFileDialog

    with _keeping_no_history():
        folder = QFileDialog.getExistingDirectory(
            parent,
            caption,
            start,
            QFileDialog.Option.ShowDirsOnly | QFileDialog.Option.DontUseNativeDialog,
        )
    return folder or None


def settings_dialog(
    parent: QWidget, current: ClinicSettings, languages: Mapping[Language, str]
) -> tuple[QDialog, Callable[[], ClinicSettings]]:
    """The settings dialog, not yet shown, and what reads the settings it holds.

    Args:
        parent: the window.
        current: the settings it starts with.
        languages: the handout languages the content pack in use offers, with their names.
    """
    from PySide6.QtWidgets import (
        QCheckBox,
        QComboBox,
        QDialog,
        QDialogButtonBox,
        QFormLayout,
        QHBoxLayout,
        QLabel,
        QLineEdit,
        QPushButton,
        QWidget,
    )

    dialog = QDialog(parent)
    dialog.setWindowTitle("Settings")
    form = QFormLayout(dialog)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    clinic = QLineEdit(current.clinic_name)
    clinician = QLineEdit(current.clinician_name)
    contact = QLineEdit(current.contact)
    contact.setPlaceholderText("a phone number or address for the patient")
    paper = QComboBox()
    for paper_size, label in PAPER_NAMES.items():
        paper.addItem(label, paper_size.value)
    paper.setCurrentIndex(max(0, paper.findData(current.paper)))
    language = QComboBox()
    for code, label in languages.items():
        language.addItem(label, code.value)
    language.setCurrentIndex(max(0, language.findData(current.language)))
    folder = QLineEdit(current.content_folder)
    folder.setPlaceholderText("empty: the content built into the program")
    for edit in (clinic, clinician, contact, folder):
        edit.setMinimumWidth(360)
    browse = QPushButton("Browse...")
    browse.setAccessibleName("Browse for the content pack folder")

    def choose_folder() -> None:
        chosen = ask_folder(dialog, "Content pack folder", folder.text() or str(Path.home()))
        if chosen:
            folder.setText(chosen)

    browse.clicked.connect(choose_folder)
    no_recent = QCheckBox("Keep no recent list")
    no_recent.setChecked(current.keep_no_recent_list)
    no_recent.setToolTip(
        "File > Open recent stays empty and no consult's path is kept (on a shared desktop, "
        "a file name can name the patient)"
    )
    folder_row = QWidget()
    row = QHBoxLayout(folder_row)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(folder, 1)
    row.addWidget(browse)

    form.addRow(
        plain_label("The clinic name, clinician name and contact line are printed on the handout.")
    )
    for words, widget, field in (
        ("Clinic name", clinic, clinic),
        ("Clinician name", clinician, clinician),
        ("Contact line", contact, contact),
        ("Default paper for new consults", paper, paper),
        ("Default handout language for new consults", language, language),
        ("Content pack folder (used from the next start)", folder_row, folder),
        ("Recent files", no_recent, no_recent),
    ):
        row_label = QLabel(words)
        row_label.setWordWrap(True)
        # A wrapped label otherwise guesses its width, and the form then cuts off its lines:
        # a short label keeps one line, a long one wraps at about 25 characters.
        metrics = row_label.fontMetrics()
        widest = metrics.horizontalAdvance("Default handout language ")
        row_label.setMinimumWidth(min(metrics.horizontalAdvance(words) + 8, widest))
        row_label.setBuddy(field)
        field.setAccessibleName(words)
        form.addRow(row_label, widget)
    no_recent.setAccessibleName("Keep no recent list")  # its own words, not the row's
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    dialog.setMinimumWidth(560)
    form.activate()  # before the window exists, as in show_document
    dialog.resize(dialog.sizeHint())

    def chosen() -> ClinicSettings:
        return ClinicSettings(
            clinic_name=clinic.text().strip(),
            clinician_name=clinician.text().strip(),
            contact=contact.text().strip(),
            paper=str(paper.currentData()),
            language=str(language.currentData()),
            content_folder=folder.text().strip(),
            keep_no_recent_list=no_recent.isChecked(),
        )

    return dialog, chosen


def ask_settings(
    parent: QWidget, current: ClinicSettings, languages: Mapping[Language, str]
) -> ClinicSettings | None:
    """The settings dialog; the new settings, or None when cancelled.

    Args:
        parent: the window.
        current: the settings it starts with.
        languages: the handout languages the content pack in use offers, with their names.
    """
    from PySide6.QtWidgets import QDialog

    dialog, chosen = settings_dialog(parent, current, languages)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return chosen()
