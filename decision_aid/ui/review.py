"""The Review step: every answer, the handout preview with its language, paper and print size,
and output.

The handout package (reportlab) and QtPdf are imported when this step is first shown, not at
start-up; the preview is rendered again only when it is shown and something changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from decision_aid.consult import Language
from decision_aid.content import PAPER_NAMES
from decision_aid.ui.inputs import ListBox
from decision_aid.ui.markup import escape

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtPrintSupport import QPrinter

    from decision_aid.handout import ClinicDetails
    from decision_aid.ui.session import ConsultSession

# Pages are rendered for the printer at no more than this width in pixels (about 300 dpi on
# Letter): enough for print, without building gigabyte images at a printer's full resolution.
MAX_PRINT_WIDTH = 2550


class ReviewPage(QWidget):
    """All answers, the handout preview, and the buttons that use the handout."""

    def __init__(
        self,
        session: ConsultSession,
        clinic: ClinicDetails | None,
        paper: str,
        language: str | None,
        actions: list[QAction],
    ) -> None:
        super().__init__()
        self.session = session
        self.clinic = clinic
        self._pdf: bytes | None = None
        self._document: Any = None  # QPdfDocument, created on first use
        self._view: Any = None  # QPdfView
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Review</h2>"))

        controls = QHBoxLayout()
        # The wheel never changes them (ListBox): an answer and a print setting.
        self.language = ListBox()
        self.language.setAccessibleName("Handout language")
        # Only the languages the pack offers, named as the pack names them.
        for code, label in session.content.languages.items():
            self.language.addItem(label, code.value)
        # The consult's patient.handout_language is the one place the language is kept; this
        # box shows and edits it, so the note, the file and the preview always agree.
        del language
        self._select(self.language, str(session.consult.patient.handout_language))
        self.paper = ListBox()
        self.paper.setAccessibleName("Paper size")
        for paper_size, label in PAPER_NAMES.items():
            self.paper.addItem(label, paper_size.value)
        self._select(self.paper, paper)
        # On Linux assistive technology names a combo box by its current text and finds its
        # question through the label it is labelled by: each label is its box's buddy.
        for words, box in (("Handout &language:", self.language), ("&Paper:", self.paper)):
            caption = QLabel(words)
            caption.setBuddy(box)
            controls.addWidget(caption)
            controls.addWidget(box)
        # A print setting like the paper, not an answer: the consult file does not keep it. It
        # is for one patient's reader, so a new or opened consult starts without it.
        self.large_print = QCheckBox("Large print (16 pt)")
        self.large_print.setAccessibleName("Large print handout (16 pt)")
        self.large_print.setToolTip("16 pt body text, up to 6 pages, for readers with low vision")
        controls.addWidget(self.large_print)
        controls.addStretch(1)
        layout.addLayout(controls)
        buttons = QHBoxLayout()
        self.buttons: list[QToolButton] = []
        for action in actions:
            button = QToolButton()
            self.buttons.append(button)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setToolTip(f"{action.text().replace('&', '')} ({action.shortcut().toString()})")
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        # The preview and the answers each get the page's whole width, one tab at a time: side
        # by side at 1024x700 neither was legible.
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Handout preview and all answers")
        self.tabs.tabBar().setAccessibleName("Show the handout preview or all answers")
        self.preview_box = QWidget()
        self.preview_layout = QVBoxLayout(self.preview_box)
        self.preview_layout.setContentsMargins(0, 0, 0, 0)
        zoom_row = QHBoxLayout()
        self.preview_status = QLabel("The handout preview appears here.")
        self.preview_status.setWordWrap(True)
        zoom_row.addWidget(self.preview_status, 1)
        self.zoom_buttons: list[QToolButton] = []
        for text, name, step in (("-", "Zoom out", 1 / 1.25), ("+", "Zoom in", 1.25)):
            button = QToolButton()
            button.setText(text)
            button.setAccessibleName(name)
            button.setToolTip(name)
            button.clicked.connect(lambda _checked=False, factor=step: self.zoom_by(factor))
            zoom_row.addWidget(button)
            self.zoom_buttons.append(button)
        fit = QToolButton()
        fit.setText("Fit width")
        fit.setAccessibleName("Fit the page to the width")
        fit.clicked.connect(self.fit_width)
        zoom_row.addWidget(fit)
        self.zoom_buttons.append(fit)
        self.preview_layout.addLayout(zoom_row)
        self.tabs.addTab(self.preview_box, "Handout preview")
        self.answers = QTextBrowser()
        self.answers.setAccessibleName("All answers")
        self.tabs.addTab(self.answers, "All answers")
        layout.addWidget(self.tabs, 1)

        self.language.currentIndexChanged.connect(self._language_chosen)
        self.paper.currentIndexChanged.connect(self._choice_changed)
        self.large_print.toggled.connect(self._choice_changed)
        session.assessment_changed.connect(lambda _assessment: self._answers_changed())
        session.consult_replaced.connect(self._consult_replaced)

    def controls(self) -> list[QWidget]:
        """The page's controls in the order Tab visits them; Tab passes over those of the tab
        that is not shown."""
        preview = [self._view] if self._view is not None else []
        return [
            self.language,
            self.paper,
            self.large_print,
            *self.buttons,
            self.tabs.tabBar(),
            *self.zoom_buttons,
            *preview,
            self.answers,
        ]

    def zoom_by(self, factor: float) -> None:
        """Zooms the preview in or out, from whatever zoom it shows now."""
        if self._view is None:
            return
        from PySide6.QtPdfWidgets import QPdfView

        current = self._view.zoomFactor()
        self._view.setZoomMode(QPdfView.ZoomMode.Custom)
        self._view.setZoomFactor(min(4.0, max(0.25, current * factor)))

    def fit_width(self) -> None:
        if self._view is not None:
            from PySide6.QtPdfWidgets import QPdfView

            self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    @property
    def chosen_language(self) -> Language:
        return Language(str(self.language.currentData()))

    @property
    def chosen_paper(self) -> str:
        return str(self.paper.currentData())

    def set_paper(self, paper: str) -> None:
        """Chooses the paper (a new consult starts on the Settings' default)."""
        self._select(self.paper, paper)

    def set_clinic(self, clinic: ClinicDetails) -> None:
        """New clinic lines from Settings: the preview shows them at once."""
        self.clinic = clinic
        self._invalidate()
        if self.isVisible():
            self.refresh()

    def _consult_replaced(self) -> None:
        self._show_consult_language()
        self.large_print.blockSignals(True)
        self.large_print.setChecked(False)
        self.large_print.blockSignals(False)
        self._invalidate()

    def _show_consult_language(self) -> None:
        self.language.blockSignals(True)
        self._select(self.language, str(self.session.consult.patient.handout_language))
        self.language.blockSignals(False)

    def _language_chosen(self) -> None:
        chosen = str(self.language.currentData())
        if str(self.session.consult.patient.handout_language) != chosen:
            self.session.set_answer("patient.handout_language", chosen)
        self._choice_changed()

    def _choice_changed(self) -> None:
        self._invalidate()
        if self.isVisible():
            self.refresh()

    def _invalidate(self) -> None:
        self._pdf = None

    def _answers_changed(self) -> None:
        self._show_consult_language()  # the Patient step may have changed it
        self._invalidate()

    def handout_pdf(self) -> bytes:
        """The handout of the current answers, language, paper and print size (rendered when
        stale)."""
        if self._pdf is None:
            from decision_aid.handout import Paper, render_handout
            from decision_aid.ui import warm_up

            warm_up.wait()  # the renderer runs once at a time

            session = self.session
            self._pdf = render_handout(
                session.consult,
                session.assessment,
                session.content,
                self.chosen_language,
                Paper(self.chosen_paper),
                self.clinic,
                large_print=self.large_print.isChecked(),
            )
        return self._pdf

    def handout_html(self) -> bytes:
        """The handout of the current answers, language, paper and print size as one HTML
        file (rendered each time: it is saved, never previewed)."""
        from decision_aid.handout import Paper, render_handout_html
        from decision_aid.ui import warm_up

        warm_up.wait()  # the renderer runs once at a time
        session = self.session
        return render_handout_html(
            session.consult,
            session.assessment,
            session.content,
            self.chosen_language,
            Paper(self.chosen_paper),
            self.clinic,
            large_print=self.large_print.isChecked(),
        )

    def refresh(self) -> None:
        """Shows the current answers and handout; called when the step is shown."""
        self.answers.setHtml(answers_html(self.session))
        stale = self._pdf is None
        pdf = self.handout_pdf()
        if stale or self._document is None:
            self._show_pdf(pdf)

    def _show_pdf(self, pdf: bytes) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        if self._view is None:
            self._document = QPdfDocument(self)
            self._view = QPdfView(self)
            self._view.setAccessibleName("Handout preview")
            self._view.setPageMode(QPdfView.PageMode.MultiPage)
            self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self._view.setDocument(self._document)
            self.preview_layout.addWidget(self._view, 1)
        # The buffer must outlive the load; it is parented to the document's owner.
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document.load(buffer)
        pages = self._document.pageCount()
        language = self.language.currentText()
        size = ", large print" if self.large_print.isChecked() else ""
        # A consult from a clinic whose pack offers a language this one lacks: the box shows
        # the pack's first language, and the clinician is told why.
        asked = self.session.consult.patient.handout_language
        lacking = (
            ""
            if asked in self.session.content.languages
            else f" The consult asks for {asked.value}: this content pack has no handout in it."
        )
        self.preview_status.setText(f"Patient handout: {pages} pages, {language}{size}.{lacking}")

    def print_to(self, printer: QPrinter) -> int:
        """Draws the handout's pages as images on ``printer``, on the handout's paper; returns
        the number of pages printed. The fallback where the system has no print service to
        take the PDF itself (Windows, no ``lp``: ui/printing.py)."""
        from PySide6.QtGui import QPageSize
        from PySide6.QtPdf import QPdfDocument

        sizes = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
        printer.setPageSize(QPageSize(sizes[self.chosen_paper]))

        document = QPdfDocument(self)
        buffer = QBuffer(self)
        buffer.setData(QByteArray(self.handout_pdf()))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document.load(buffer)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("the printer could not be opened")
        try:
            target = printer.pageLayout().paintRectPixels(printer.resolution())
            for page in range(document.pageCount()):
                if page:
                    printer.newPage()
                size = document.pagePointSize(page)
                scale = min(MAX_PRINT_WIDTH / size.width(), target.width() / size.width())
                image = document.render(
                    page, QSize(int(size.width() * scale), int(size.height() * scale))
                )
                # QPdfDocument.render() leaves the page transparent; paper is white.
                sheet = QImage(image.size(), QImage.Format.Format_RGB32)
                sheet.fill(QColor("white"))
                sheet_painter = QPainter(sheet)
                sheet_painter.drawImage(0, 0, image)
                sheet_painter.end()
                fitted = sheet.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(0, 0, fitted.width(), fitted.height()), sheet)
            return document.pageCount()
        finally:
            painter.end()
            document.close()


def answers_html(session: ConsultSession) -> str:
    """Every answer by step, "not known" where unknown, required ones marked."""
    content = session.content
    missing = set(session.assessment.missing)
    from decision_aid.rules import answer

    parts = []
    for step in content.questions.steps:
        if not step.questions:
            continue
        rows = []
        for question in step.questions:
            value = answer(session.consult, question.field)
            shown = content.questions.answer_text(question.field, value)
            flag = " <b>(required)</b>" if question.field in missing else ""
            rows.append(f"<li>{escape(question.label)}: <b>{escape(shown)}</b>{flag}</li>")
        parts.append(f"<h3>{escape(step.title)}</h3><ul>{''.join(rows)}</ul>")
    return "".join(parts)
