"""The main window: steps on the left, the step's questions, the live assessment on the right."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from decision_aid import clock
from decision_aid.ui import dialogs
from decision_aid.ui.assessment_panel import AssessmentPanel
from decision_aid.ui.consult_files import ConsultFiles, time_stamp
from decision_aid.ui.help import about_html, evidence_html, rules_html
from decision_aid.ui.inputs import focus_as_after_tab, show_from_top
from decision_aid.ui.markup import plain_label, set_enum_property
from decision_aid.ui.questions import StepPage
from decision_aid.ui.step_marks import step_marks

if TYPE_CHECKING:
    from decision_aid.handout import ClinicDetails
    from decision_aid.rules import Assessment
    from decision_aid.ui.course_step import CourseStep
    from decision_aid.ui.review import ReviewPage
    from decision_aid.ui.session import ConsultSession
    from decision_aid.ui.settings import AppSettings

TITLE = "decision-aid: IV ketamine for fibromyalgia"


class MainWindow(ConsultFiles, QMainWindow):
    """The consult window. It shows the session's state and turns the user's acts into calls."""

    def __init__(self, session: ConsultSession, settings: AppSettings) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.content = session.content
        # The consult's own file, once it was opened or saved: Save writes there.
        self.path: Path | None = None
        self._may_replace = set()
        self.resize(1180, 760)
        self.setMinimumSize(900, 600)
        self._make_actions()

        self.steps = QListWidget()
        self.steps.setAccessibleName("Steps")
        self.steps.setMinimumWidth(190)
        self.steps.setMaximumWidth(240)
        # A long step name ("Substance use (1 unknown)") wraps rather than scrolls sideways.
        self.steps.setWordWrap(True)
        set_enum_property(self.steps, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        self.pages = QStackedWidget()
        # A step's questions are built when the step is first shown: start-up builds only
        # the first screen (docs/design.md section 10).
        self._built: dict[int, StepPage] = {}
        self._shown_controls: list[QWidget] = []
        self._question_steps = [step for step in self.content.questions.steps if step.questions]
        # The Course step (docs/design.md section 13.3), between Decision and Review, is built
        # when first shown: its code is not imported at start-up.
        self._course: CourseStep | None = None
        self._course_row: int | None = None
        for step in self.content.questions.steps:
            self.steps.addItem(QListWidgetItem(step.title))
            if step.questions or step.id == "course":
                if not step.questions:
                    self._course_row = self.pages.count()
                scroll = QScrollArea()
                scroll.setWidgetResizable(True)
                # Not a tab stop of its own: it scrolls to whichever question has focus. Set
                # by name, as are the few other Qt enums start-up needs: PySide builds all
                # ~120 enums of Qt's namespace on its first use, about 20 ms of start-up
                # (bench/README.md).
                set_enum_property(scroll, "focusPolicy", "NoFocus")
                self.pages.addWidget(scroll)
        # The Review step (answers, handout preview, print) is built when first needed; until
        # then an empty widget holds its place in the stack.
        self._review: ReviewPage | None = None
        self._review_row = self.pages.count()
        self._review_placeholder = QWidget()
        self.pages.addWidget(self._review_placeholder)

        self.back_button = QPushButton("Back")
        self.next_button = QPushButton("Next")
        self.back_button.setAccessibleName("Back to the previous step")
        self.next_button.setAccessibleName("Next step")
        # No "&" mnemonics: Alt+letter did not reach these buttons in our tests (offscreen
        # and X11); the step shortcuts are on the Go menu's actions instead.
        self.back_button.setToolTip("Previous step (Ctrl+PgUp or Alt+Left)")
        self.next_button.setToolTip("Next step (Ctrl+PgDown or Alt+Right)")
        navigation = QHBoxLayout()
        navigation.addWidget(self.back_button)
        navigation.addStretch(1)
        navigation.addWidget(self.next_button)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.pages, 1)
        middle_layout.addLayout(navigation)

        self.panel = AssessmentPanel(self.content)
        self.panel.question_requested.connect(self.go_to_question)
        splitter = QSplitter()  # side by side
        splitter.addWidget(self.steps)
        splitter.addWidget(middle)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([180, 540, 330])
        splitter.setChildrenCollapsible(False)

        # Plain text: the notice names the content pack, whose name comes from a file.
        self.banner = plain_label()
        self.banner.setAccessibleName("Content review notice")
        self.banner.setStyleSheet(
            "background: #fff3b0; color: black; border: 2px solid #7a5c00; padding: 6px;"
        )
        self.banner.setVisible(False)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(f"Content: {self.content.label}")

        self.steps.currentRowChanged.connect(self.go_to_step)
        # A click in the list opens the step ready for typing; arrows there keep browsing.
        self.steps.itemClicked.connect(
            lambda _item: focus_as_after_tab(self._step_target(self.steps.currentRow()))
        )
        self.back_button.clicked.connect(lambda: self.go_to_step(self.steps.currentRow() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_step(self.steps.currentRow() + 1))
        session.assessment_changed.connect(self._show_assessment)
        session.consult_replaced.connect(self._consult_replaced)
        session.modified_changed.connect(self._show_modified)

        self.show_review_notice()
        self._show_assessment(session.assessment)
        self._show_title()
        # The first question has the keyboard: the clinician can type an age at once.
        self.steps.setCurrentRow(0)

    def fit_to_screen(self) -> None:
        """Opens no larger than the screen's free area (task bar excluded), its frame (title
        bar and borders) included, at any scale factor: at 150% on a 1080p laptop the full
        window would hide Back and Next, and at 1366x768 the title bar pushed the status bar
        below the screen's edge."""
        from decision_aid.ui.screen_fit import fit_window

        fit_window(self)

    # --- actions and menus -----------------------------------------------------------------

    def _action(
        self, text: str, shortcut: QKeySequence.StandardKey | str | None, slot: object
    ) -> QAction:
        # QAction(self) and setText: QAction(text, self) makes PySide build QIcon's type
        # (and its enum of theme icons) to choose between constructors.
        action = QAction(self)
        action.setText(text)
        # setShortcuts with a list, never setShortcut: choosing among setShortcut's overloads
        # builds Qt's namespace (see the step pages' focus policy).
        if isinstance(shortcut, str):
            action.setShortcuts([QKeySequence(shortcut)])
        elif shortcut is not None:
            action.setShortcuts(QKeySequence.keyBindings(shortcut))  # all the platform's keys
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        standard = QKeySequence.StandardKey
        self.new_action = self._action("&New consult", standard.New, self.new_consult)
        self.open_action = self._action("&Open consult...", standard.Open, self.open_consult)
        self.save_action = self._action("&Save consult", standard.Save, self.save_consult)
        self.save_as_action = self._action(
            "Save consult &as...", "Ctrl+Shift+S", self.save_consult_as
        )
        self.print_action = self._action("&Print handout...", standard.Print, self.print_handout)
        # A shortcut of its own: Ctrl+S saves the consult, as in every desktop program.
        self.save_pdf_action = self._action(
            "Save &handout (PDF or HTML)...", "Ctrl+Shift+P", self.save_pdf
        )
        self.copy_note_action = self._action("Copy &note", "Ctrl+Shift+C", self.copy_note)
        self.fhir_action = self._action("Export &FHIR...", "Ctrl+E", self.export_fhir)
        self.settings_action = self._action("Se&ttings...", "Ctrl+,", self.edit_settings)
        self.quit_action = self._action("&Quit", standard.Quit, self.close)
        self.about_action = self._action("&About decision-aid", "F1", self.show_about)
        self.rules_action = self._action("&Rules", None, self.show_rules)
        self.evidence_action = self._action("&Evidence", None, self.show_evidence)
        self.next_action = self._action(
            "Next step", "Ctrl+PgDown", lambda: self.go_to_step(self.steps.currentRow() + 1)
        )
        self.back_action = self._action(
            "Previous step", "Ctrl+PgUp", lambda: self.go_to_step(self.steps.currentRow() - 1)
        )
        # Alt+Right and Alt+Left as well, as in a browser: a second pair that no question
        # widget takes for itself.
        self.next_action.setShortcuts([QKeySequence("Ctrl+PgDown"), QKeySequence("Alt+Right")])
        self.back_action.setShortcuts([QKeySequence("Ctrl+PgUp"), QKeySequence("Alt+Left")])
        # A menu shows an action's first shortcut only; after a tab, the text lists both.
        self.next_action.setText("Next step\tCtrl+PgDown, Alt+Right")
        self.back_action.setText("Previous step\tCtrl+PgUp, Alt+Left")
        # Ctrl+1 ... Ctrl+9 for the first nine steps and Ctrl+0 for the last (Review), as
        # the number row reads; a step between them (Course) is in the menu without one.
        titles = [step.title for step in self.content.questions.steps]
        last = len(titles) - 1
        self.step_actions = [
            self._action(
                f"&{row + 1}. {titles[row]}" if row < 9 else f"{row + 1}. {titles[row]}",
                f"Ctrl+{row + 1}" if row < 9 else ("Ctrl+0" if row == last else None),
                lambda _=False, row=row: self.go_to_step(row),
            )
            for row in range(len(titles))
        ]
        self.add_visit_action = self._action("Add &visit", "Ctrl+Shift+A", self.add_visit)
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        for action in (self.new_action, self.open_action, self.save_action, self.save_as_action):
            file_menu.addAction(action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        for action in (
            self.print_action,
            self.save_pdf_action,
            self.copy_note_action,
            self.fhir_action,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addAction(self.quit_action)
        go_menu = menus.addMenu("&Go")
        go_menu.addAction(self.next_action)
        go_menu.addAction(self.back_action)
        go_menu.addSeparator()
        for action in self.step_actions:  # each with its shortcut, Ctrl+1 ... Ctrl+0
            go_menu.addAction(action)
        go_menu.addSeparator()
        go_menu.addAction(self.add_visit_action)
        help_menu = menus.addMenu("&Help")
        for action in (self.about_action, self.rules_action, self.evidence_action):
            help_menu.addAction(action)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files():
            self.recent_menu.addAction(path, partial(self.open_recent, Path(path)))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none)").setEnabled(False)

    # --- steps -----------------------------------------------------------------------------

    def page(self, row: int) -> StepPage:
        """The questions of one step (built on first use)."""
        if row not in self._built:
            page = StepPage(self._question_steps[row], self.session)
            self._built[row] = page
            scroll = self.pages.widget(row)
            assert isinstance(scroll, QScrollArea)
            scroll.setWidget(page)
        return self._built[row]

    def _place_in_tab_order(self, page: StepPage | ReviewPage | CourseStep) -> None:
        """Tab goes from the step list into the shown page, down its questions, to Back/Next.

        Pages are built after the window, so Qt puts them at the end of its focus chain; the
        shown page is moved to its place each time it is shown.
        """
        self._shown_controls = page.controls()
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        """Steps, the shown page's controls, Back, Next, the urgent banner's action, the
        still-unknown questions, then the findings as listed.

        Set whole each time: moving one widget in Qt's focus chain can reorder its
        neighbours, and widgets made later join the chain at its end.
        """
        chain = [
            self.steps,
            *self._shown_controls,
            self.back_button,
            self.next_button,
            # The urgent banner's action, while there is one.
            *([] if self.panel.urgent_action.isHidden() else [self.panel.urgent_action]),
            # Its links while there are any: Tab to one, Enter goes to the question. (Qt leaves
            # a widget that takes no focus out of setTabOrder, and the chain would break there.)
            *([self.panel.missing] if self.panel.missing_is_tab_stop else []),
            *(view.button for view in self.panel.finding_views),
            self.steps,  # and round again, whatever widgets were made since
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    @property
    def review(self) -> ReviewPage:
        """The Review step's page, built on first use."""
        if self._review is None:
            from decision_aid.ui.review import ReviewPage

            page = ReviewPage(
                self.session,
                self._clinic_details(),
                self.settings.clinic().paper,
                None,
                [self.print_action, self.save_pdf_action, self.copy_note_action, self.fhir_action],
            )
            self.pages.insertWidget(self._review_row, page)
            self.pages.removeWidget(self._review_placeholder)
            self._review_placeholder.deleteLater()
            self._review = page
        return self._review

    @property
    def course_step(self) -> CourseStep | None:
        """The Course step's page, built on first use; None for a pack without the step."""
        if self._course is None and self._course_row is not None:
            from decision_aid.ui.course_step import CourseStep

            self._course = CourseStep(self.session)
            self._course.controls_changed.connect(self._course_controls_changed)
            scroll = self.pages.widget(self._course_row)
            assert isinstance(scroll, QScrollArea)
            scroll.setWidget(self._course)
        return self._course

    def _course_controls_changed(self) -> None:
        # Tab walks the Course step's shown parts only while it is the step shown.
        if self._course is not None and self.pages.currentIndex() == self._course_row:
            self._place_in_tab_order(self._course)

    def add_visit(self) -> None:
        """Ctrl+Shift+A: the Course step, with a new visit's form open."""
        course = self.course_step
        if course is None or self._course_row is None:
            return
        self.go_to_step(self._course_row)
        course.open_visit(None)

    @property
    def step_pages(self) -> list[StepPage]:
        """Every step's questions, building those not shown yet."""
        return [self.page(row) for row in range(len(self._question_steps))]

    def go_to_step(self, row: int) -> None:
        if not 0 <= row < self.steps.count():
            return
        if self.steps.currentRow() != row:
            self.steps.setCurrentRow(row)  # comes back here through currentRowChanged
            return
        review = self.review if row == self._review_row else None
        if review is not None:
            self._refresh_review(review)  # first: the preview it makes joins the tab order
        course = self.course_step if row == self._course_row else None
        shown = review or course
        self._place_in_tab_order(shown if shown is not None else self.page(row))
        first_control = self._step_target(row)
        self.pages.setCurrentIndex(row)
        # Every way to a step opens it at its top, its first question in view and focused:
        # no key lands on a control out of sight (docs/design.md section 7).
        show_from_top(self.pages.currentWidget(), first_control)
        if first_control is not None and not self.steps.hasFocus():
            # Moved by Next/Back or a shortcut: the keyboard continues in the new step. From
            # the step list, focus stays there so the arrows keep browsing the steps.
            if self.isVisible():
                focus_as_after_tab(first_control)
            else:
                # Start-up: the window opens with this control focused, its text selected
                # as after a Tab, so that typing an age replaces "Not known".
                first_control.setFocus()
                if isinstance(first_control, QAbstractSpinBox):
                    first_control.selectAll()
        self.back_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < self.steps.count() - 1)

    def _step_target(self, row: int) -> QWidget | None:
        """Where the keyboard lands in a step: its first question (on its checked answer)."""
        if row < len(self._question_steps):
            return self.page(row).focus_target()
        course = self.course_step if row == self._course_row else None
        if course is not None:
            return course.focus_target()
        return next(iter(self.review.controls()), None)

    def go_to_question(self, path: str) -> None:
        """Opens the step that asks ``path`` and puts the keyboard on its first control."""
        if path.startswith("course[") and self._course_row is not None:
            # A visit's question (``course[2].suicide_risk``): that visit's form, on it.
            index, _, field = path.removeprefix("course[").partition("].")
            self.go_to_step(self._course_row)
            course = self.course_step
            if course is not None:
                course.open_visit(int(index), field or None)
            return
        for row, step in enumerate(self._question_steps):
            if any(question.field == path for question in step.questions):
                self.go_to_step(row)
                widget = next(w for w in self.page(row).questions if w.question.field == path)
                scroll = self.pages.widget(row)
                if isinstance(scroll, QScrollArea):
                    scroll.ensureWidgetVisible(widget)
                focus_as_after_tab(widget.focus_target())
                return

    def _refresh_review(self, review: ReviewPage) -> None:
        try:
            review.refresh()
        except Exception as error:  # a preview failure must not lose the consult
            review.preview_status.setText(f"The handout could not be made: {error}")

    def _show_assessment(self, assessment: Assessment) -> None:
        self.panel.show_assessment(assessment, self.session.course_assessment)
        if self._course is not None:
            self._course.refresh()
        self._chain_tab_order()  # the findings may have changed
        marks = step_marks(
            self.content.questions.steps, assessment, self.session.answer, self.session.asked
        )
        for row, mark in enumerate(marks):
            item = self.steps.item(row)
            item.setText(mark.text)
            item.setToolTip(mark.tooltip)
        course = self.session.course_assessment
        if course is not None and self._course_row is not None:
            # The Course step says what its record lacks, as the other steps do.
            missing = len(course.missing)
            item = self.steps.item(self._course_row)
            item.setText(f"{item.text()}  ({missing} missing)" if missing else item.text())
            item.setToolTip(f"{missing} required answers of the course missing" if missing else "")
        review = self._review
        if review is not None and self.pages.currentWidget() is review and review.isVisible():
            self._refresh_review(review)

    def _consult_replaced(self) -> None:
        for page in self._built.values():
            page.refresh()
        # Another consult: no page keeps this one's scroll position, and it opens at step 1.
        for row in range(len(self._question_steps)):
            show_from_top(self.pages.widget(row), None)
        self.go_to_step(0)

    def _show_modified(self, modified: bool) -> None:
        self._show_title()

    def _show_title(self) -> None:
        # "[*]" is where Qt shows the unsaved mark ("*") while the window is modified.
        name = self.path.name if self.path else "Untitled consult"
        self.setWindowTitle(f"{name}[*] - {TITLE}")
        self.setWindowModified(self.session.modified)

    def show_review_notice(self) -> None:
        pack = self.content.pack
        overdue = pack.is_overdue(clock.today())
        self.banner.setVisible(overdue)
        if overdue:
            self.banner.setText(
                f"Content overdue for review: this content pack ({self.content.label}) was due "
                f"for review on {pack.next_review}. Check the sources before relying on them."
            )

    # --- handout, note, export ------------------------------------------------------------

    def save_pdf(self) -> None:
        """Save handout: the tagged PDF, or one HTML file when the name (or the filter that
        named it) says .html (docs/design.md sections 6.10 and 7)."""
        if not self._handout_may_be_given():
            return
        suggested = f"handout-{time_stamp()}.pdf"
        path = self.ask_output_path(
            "Save handout", dialogs.HANDOUT_FILTER, suggested, ".pdf", ".html", ".htm"
        )
        if path is None:
            return
        try:
            if path.suffix.lower() in {".html", ".htm"}:
                document = self.review.handout_html()
            else:
                document = self.review.handout_pdf()
        except Exception as error:  # any failure is shown, the consult is kept
            dialogs.show_error(self, "The handout could not be made", str(error))
            return
        if self._write(path, document, "handout"):
            self._record_handout()
            self.confirm(f"Handout saved: {path.name}")

    def _record_handout(self) -> None:
        """The consult keeps which handout was given, for the note (docs/design.md section 8)."""
        from decision_aid.consult import Paper

        review = self.review
        self.session.record_handout(review.chosen_language, Paper(review.chosen_paper))

    def print_handout(self) -> None:
        if not self._handout_may_be_given():
            return
        from decision_aid.ui import printing

        # Given only when the print service took the job (ui/printing.py).
        printed = printing.print_handout(self, self.review)
        if printed is not None:
            self._record_handout()
            self.confirm(f"The handout was sent to {printed.printer}.")

    def note_text(self) -> str:
        from decision_aid.note import clinician_note

        return clinician_note(self.session.consult, self.session.assessment, self.content)

    def copy_note(self) -> None:
        QGuiApplication.clipboard().setText(self.note_text())
        self.confirm("The clinician note is on the clipboard.")

    def export_fhir(self) -> None:
        from decision_aid import fhir

        suggested = f"consult-{time_stamp()}.fhir.json"
        path = self.ask_output_path("Export FHIR", dialogs.JSON_FILTER, suggested, ".fhir.json")
        if path is None:
            return
        consult = self.session.consult
        # A course goes with its consult, as the command's --course writes it (docs/design.md
        # section 13.4): a response alone would leave its visits out.
        if consult.course:
            resource = fhir.course_bundle(consult, self.content)
            what = f" (a Bundle with the consult and its {len(consult.course)} visits)"
        else:
            resource, what = fhir.questionnaire_response(consult, self.content), ""
        if self._write(path, fhir.to_json(resource).encode(), "FHIR export"):
            self.confirm(f"FHIR exported: {path.name}{what}")

    def edit_settings(self) -> None:
        chosen = dialogs.ask_settings(self, self.settings.clinic(), self.content.languages)
        if chosen is None:
            return
        self.settings.save_clinic(chosen)
        if self._review is not None:
            self._review.set_clinic(self._clinic_details())

    def _clinic_details(self) -> ClinicDetails:
        from decision_aid.handout import ClinicDetails

        clinic = self.settings.clinic()
        return ClinicDetails(clinic.clinic_name, clinic.clinician_name, clinic.contact)

    # --- help ------------------------------------------------------------------------------

    def show_about(self) -> None:
        dialogs.show_document(self, "About decision-aid", about_html(self.session))

    def show_rules(self) -> None:
        dialogs.show_document(self, "Rules", rules_html(self.session))

    def show_evidence(self) -> None:
        dialogs.show_document(self, "Evidence library", evidence_html(self.session))

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt's name
        if not self.may_drop_answers():
            event.ignore()
            return
        event.accept()
