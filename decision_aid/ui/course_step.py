"""The Course step, between Decision and Review (docs/design.md section 13.3).

With no plan it says what a trial plan is and offers "Make a trial plan" only when the
patient leans toward ketamine and the assessment says may discuss or specialist review
(otherwise the button is disabled and the reason is given in the status's words). The plan
form records the plan; once a visit is recorded the plan is shown read-only, because the
course is judged against the plan agreed before it began. Visits are added in the step
(Ctrl+Shift+A), listed in a table, and drawn in the chart below it. This module is imported
only when the step is first shown or a consult with a plan is loaded, never at start-up.
Its words are the content pack's (``course_words.yaml``), so that a clinic's pack changes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from decision_aid import note_course
from decision_aid.catalogue import Status
from decision_aid.consult import describe_validation_error
from decision_aid.course_chart import chart_model, stop_visits
from decision_aid.ui import course_dialogs
from decision_aid.ui.course_chart_view import CourseChart
from decision_aid.ui.course_inputs import Choice, FormError
from decision_aid.ui.course_plan import PlanForm
from decision_aid.ui.course_table import VisitTableModel
from decision_aid.ui.course_visit_form import VisitForm
from decision_aid.ui.inputs import focus_as_after_tab
from decision_aid.ui.markup import escape, plain_label, set_enum_property

if TYPE_CHECKING:
    from collections.abc import Callable

    from decision_aid.content import CourseWords
    from decision_aid.ui.main_window import MainWindow
    from decision_aid.ui.session import ConsultSession

PLAN_STATUSES = (Status.MAY_DISCUSS, Status.SPECIALIST_REVIEW)


def plan_refusal(
    leaning: object, status: Status, status_words: str, words: CourseWords
) -> str | None:
    """Why no trial plan may be made now, in the status's words ("The assessment says not
    advised: no trial plan."); None when one may."""
    if status not in PLAN_STATUSES:
        return f"The assessment says {status_words[:1].lower()}{status_words[1:]}: no trial plan."
    if str(getattr(leaning, "value", leaning)) != "ketamine":
        return words.window.no_plan_leaning
    return None


def _code(value: object) -> str:
    return str(getattr(value, "value", value))


def plan_sentence(plan: Any, words: CourseWords) -> str:
    """The plan in words for its read-only view, named as the plan form names its parts."""
    window = words.window
    measures = "; ".join(
        window.fiqr_drop_chosen.format(percent=plan.fiqr_drop_percent)
        if _code(m) == "fiqr_drop"
        else window.measures[_code(m)]
        for m in plan.measures
    )
    stops = ", ".join(window.stop_rules[_code(s)] for s in plan.stop_rules)
    liver = (
        "no scheduled liver tests"
        if plan.liver_tests_every is None
        else f"liver tests before infusion 1 and every {plan.liver_tests_every}"
    )
    baseline = plan.baseline
    parts = [
        f"Measures: {measures}.",
        f"Baseline: pain {baseline.pain_week if baseline.pain_week is not None else 'not given'}"
        + (f", FIQR {baseline.fiqr_total:g}" if baseline.fiqr_total is not None else "")
        + ".",
        f"Judged after infusion {plan.judge_after_infusions}.",
        f"Chosen stop rules: {stops or 'none'}.",
        f"{liver.capitalize()}.",
    ]
    return " ".join(parts)


def course_summary(consult: Any, content: Any) -> str:
    """The record and status as the clinician note prints them (docs/design.md section
    13.4): the chart's accessible description says what the note says."""
    summary: str = note_course.course_summary(consult, content)
    return summary


def plan_page_actions() -> tuple[Callable[[MainWindow], bool], Callable[[MainWindow], bool]]:
    """The seam for the patient's "Your plan" page (docs/design.md section 13.5): its print
    and save functions (``ui/plan_page.py``); a test replaces them."""
    from decision_aid.ui.plan_page import print_plan, save_plan

    return print_plan, save_plan


class CourseStep(QWidget):
    """The Course step's page.

    Signals:
        controls_changed: a part of the step was shown or hidden (the plan form, the visit
            form): the window sets the Tab order again.
    """

    controls_changed = Signal()

    def __init__(self, session: ConsultSession) -> None:
        super().__init__()
        self.session = session
        layout = QVBoxLayout(self)
        step = next(step for step in session.content.questions.steps if step.id == "course")
        # Named by the step's title, as every step's heading is.
        self.heading = QLabel(f"<h2>{escape(step.title)}</h2>")
        self.heading.setAccessibleName(step.title)
        # The keyboard lands here when the step has no button to offer (no plan may be made).
        set_enum_property(self.heading, "focusPolicy", "StrongFocus")
        layout.addWidget(self.heading)
        layout.addWidget(plain_label(step.intro))
        # No plan yet: the button and, when it is disabled, why.
        self.make_plan = QPushButton("Make a trial plan")
        self.refusal = plain_label()
        self.refusal.setAccessibleName("Why no trial plan")
        make_row = QHBoxLayout()
        make_row.addWidget(self.make_plan)
        make_row.addWidget(self.refusal, 10)
        make_row.addStretch(1)  # the button keeps its own width when no reason is beside it
        layout.addLayout(make_row)
        words = session.content.course
        agreed = words.label("plan.specialist_agreed")
        self.specialist = Choice(agreed, words.shown("plan.specialist_agreed"))
        self.specialist_box = QGroupBox(agreed)
        QVBoxLayout(self.specialist_box).addWidget(self.specialist)
        layout.addWidget(self.specialist_box)
        self.plan_form = PlanForm(session.content)
        layout.addWidget(self.plan_form)
        self.plan_view = plain_label()
        self.plan_view.setAccessibleName("Trial plan, read-only")
        layout.addWidget(self.plan_view)
        plan_buttons = QHBoxLayout()
        self.print_plan = QPushButton("Print plan")
        self.save_plan = QPushButton("Save plan (PDF or HTML)")
        plan_buttons.addWidget(self.print_plan)
        plan_buttons.addWidget(self.save_plan)
        plan_buttons.addStretch(1)
        layout.addLayout(plan_buttons)
        # The visits.
        self.visits_box = QGroupBox("Visits")
        visits = QVBoxLayout(self.visits_box)
        buttons = QHBoxLayout()
        self.add_visit = QPushButton("Add visit")
        self.add_visit.setToolTip("Add visit (Ctrl+Shift+A)")
        self.edit_visit_button = QPushButton("Edit visit")
        self.remove_visit = QPushButton("Remove last visit")
        self.end_course = QPushButton("End course")
        for button in (self.add_visit, self.edit_visit_button, self.remove_visit, self.end_course):
            buttons.addWidget(button)
        buttons.addStretch(1)
        visits.addLayout(buttons)
        self.course_end_label = plain_label()
        visits.addWidget(self.course_end_label)
        self.table_model = VisitTableModel(words)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Visits")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(200)
        # Wide columns scroll inside the table; they never widen the page.
        self.table.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        visits.addWidget(self.table)
        self.visit_form = VisitForm(words)
        self.visit_form.setVisible(False)
        visits.addWidget(self.visit_form)
        self.chart = CourseChart()
        visits.addWidget(self.chart)
        layout.addWidget(self.visits_box)
        layout.addStretch(1)
        self._asking_plan = False

        self.make_plan.clicked.connect(self._start_plan)
        self.specialist.currentIndexChanged.connect(self._show_state)
        self.plan_form.record.clicked.connect(self.record_plan)
        self.add_visit.clicked.connect(lambda: self.open_visit(None))
        self.edit_visit_button.clicked.connect(self._edit_selected)
        self.remove_visit.clicked.connect(self.remove_last_visit)
        self.end_course.clicked.connect(self.ask_end)
        self.table.activated.connect(lambda index: self.open_visit(index.row()))
        self.table.doubleClicked.connect(lambda index: self.open_visit(index.row()))
        self.visit_form.record.clicked.connect(self.record_visit)
        self.visit_form.cancel.clicked.connect(self.close_visit)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.visit_form)
        shortcut.activated.connect(self.record_visit)
        self._wire_plan_page()
        self.refresh()

    # --- what is shown --------------------------------------------------------------------

    def refresh(self) -> None:
        """Shows the session's consult afresh (after any answer, New or Open)."""
        plan = self._plan()
        self._asking_plan = self._asking_plan and plan is None
        if plan is not None:
            self.plan_form.show_plan(plan)
        elif not self._asking_plan:
            # Another consult, or the plan gone: a plan begun is never carried over.
            self.plan_form.show_plan(None)
            self.specialist.show_value("unknown")
        self.plan_form.show_hint(self.session.consult.fibromyalgia.pain_nrs)
        self._show_state()

    def _plan(self) -> Any:
        return getattr(self.session.consult, "plan", None)

    def _visits(self) -> list[Any]:
        return list(getattr(self.session.consult, "course", None) or ())

    def _show_state(self) -> None:
        consult = self.session.consult
        plan = self._plan()
        visits = self._visits()
        status = self.session.assessment.status
        status_words = self.session.content.rulebook.statuses[status]
        words = self.session.content.course
        refusal = plan_refusal(consult.decision.leaning, status, status_words, words)
        self.make_plan.setVisible(plan is None and not self._asking_plan)
        self.make_plan.setEnabled(refusal is None)
        self.make_plan.setAccessibleDescription(refusal or "")
        self.refusal.setText(refusal or "")
        self.refusal.setVisible(plan is None and refusal is not None)
        specialist = status is Status.SPECIALIST_REVIEW
        self.specialist_box.setVisible(self._asking_plan and specialist)
        agreed = not specialist or self.specialist.value() == "yes"
        editable = (
            plan is None
            and self._asking_plan
            and refusal is None
            or plan is not None
            and not visits
        )
        self.plan_form.setVisible(editable and agreed)
        self.plan_view.setVisible(plan is not None and bool(visits))
        if plan is not None and visits:
            made_at = self.session.content.rulebook.statuses[Status(plan.made_at_status)]
            self.plan_view.setText(
                "The plan, read-only: the course is judged against the plan agreed before it "
                f"began. {plan_sentence(plan, words)} Made when the assessment said: {made_at}."
            )
        self.print_plan.setVisible(plan is not None)
        self.save_plan.setVisible(plan is not None)
        course_end = getattr(consult, "course_end", None)
        self.visits_box.setVisible(plan is not None)
        self.add_visit.setEnabled(plan is not None and course_end is None)
        self.edit_visit_button.setEnabled(bool(visits))
        self.remove_visit.setEnabled(bool(visits) and course_end is None)
        self.end_course.setEnabled(plan is not None and course_end is None)
        self.course_end_label.setVisible(course_end is not None)
        if course_end is not None:
            reason = words.value("course_end.reason", course_end.reason)
            self.course_end_label.setText(f"The course has ended: {reason}.")
        course = self.session.course_assessment
        self.table_model.show(visits, course.missing if course is not None else ())
        self._fit_columns()
        if plan is not None:
            stops = stop_visits(course.findings) if course is not None else frozenset()
            model = chart_model(plan, visits, course_end, stops)
            self.chart.show_model(model, self.summary())
        else:
            self.chart.show_model(None, "")
        self.controls_changed.emit()

    def _fit_columns(self) -> None:
        """Each column as wide as its widest words, measured here: Qt's own
        resizeColumnsToContents asks every cell for its data and size, 25-70 ms for 20 visits
        (a visit added must show within 100 ms, docs/design.md section 13.6)."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        model = self.table_model
        padding = (
            2 * self.table.style().pixelMetric(self.table.style().PixelMetric.PM_FocusFrameHMargin)
            + 12
        )
        icon = self.table.iconSize().width() or 16
        for column in range(model.columnCount()):
            heading = str(model.headerData(column, header.orientation()) or "")
            widest = header.fontMetrics().horizontalAdvance(heading) + 2 * padding
            for row, cells in enumerate(model.texts):
                width = metrics.horizontalAdvance(cells[column]) + padding
                if (row, column) in model.missing:
                    width += icon + 4
                widest = max(widest, width)
            self.table.setColumnWidth(column, widest)

    def summary(self) -> str:
        """The chart's accessible description: the summary the note prints."""
        return course_summary(self.session.consult, self.session.content)

    def controls(self) -> list[QWidget]:
        """The shown controls in the order Tab visits them."""
        chain: list[QWidget] = [self.make_plan, self.specialist]
        chain += self.plan_form.controls()
        chain += [self.print_plan, self.save_plan, self.add_visit, self.edit_visit_button]
        chain += [self.remove_visit, self.end_course, self.table]
        chain += self.visit_form.controls()
        return [control for control in chain if control.isVisibleTo(self)]

    def focus_target(self) -> QWidget:
        if self._plan() is None:
            return self.make_plan if self.make_plan.isEnabled() else self.heading
        return self.add_visit if self.add_visit.isEnabled() else self.table

    # --- the plan -------------------------------------------------------------------------

    def _start_plan(self) -> None:
        self._asking_plan = True
        self._show_state()
        first = self.specialist if self.specialist_box.isVisibleTo(self) else None
        focus_as_after_tab(first or self.plan_form.controls()[0])

    def record_plan(self) -> bool:
        """Records the plan as the form holds it, with the status and the caution and first
        findings of this moment; says why when it cannot."""
        assessment = self.session.assessment
        specialist = assessment.status is Status.SPECIALIST_REVIEW
        if self._visits():
            return False  # read-only once the course began
        try:
            plan = self.plan_form.value()
        except FormError as error:
            self.plan_form.show_error(str(error), error.control)
            return False
        existing = self._plan()
        plan["specialist_agreed"] = (
            self.specialist.value() or "unknown" if existing is None else existing.specialist_agreed
        )
        if existing is None:
            plan["made_at_status"] = assessment.status.value
            plan["made_with_findings"] = sorted(
                finding.rule
                for finding in assessment.findings
                if finding.level.value in ("caution", "first")
            )
        else:
            plan["made_at_status"] = str(
                getattr(existing.made_at_status, "value", existing.made_at_status)
            )
            plan["made_with_findings"] = list(existing.made_with_findings)
        if specialist and existing is None and plan["specialist_agreed"] != "yes":
            return False
        try:
            self.session.set_course_part("plan", plan)
        except ValidationError as error:
            self.plan_form.show_error(describe_validation_error(error), None)
            return False
        self._asking_plan = False
        self.refresh()
        focus_as_after_tab(self.add_visit)
        return True

    def _wire_plan_page(self) -> None:
        self.print_plan.clicked.connect(lambda: self._plan_page(0))
        self.save_plan.clicked.connect(lambda: self._plan_page(1))

    def _plan_page(self, which: int) -> None:
        window = self.window()
        from decision_aid.ui.main_window import MainWindow

        if isinstance(window, MainWindow):
            plan_page_actions()[which](window)

    # --- visits ---------------------------------------------------------------------------

    def open_visit(self, index: int | None, field: str | None = None) -> None:
        """Opens the visit form for visit ``index`` (a new one when None), with the keyboard
        on ``field``'s control or on the first."""
        visits = self._visits()
        if index is None and (self._plan() is None or not self.add_visit.isEnabled()):
            return
        visit = None if index is None else visits[index].model_dump(mode="json")
        first = index == 0 or (index is None and not visits)
        self.visit_form.load(index, visit, first)
        self.visit_form.setVisible(True)
        self.controls_changed.emit()
        control = self.visit_form.fields.get(field or "infusion", self.visit_form.infusion)
        parts = getattr(control, "controls", None)
        target = parts()[0] if callable(parts) else control
        self._scroll_to(target)
        focus_as_after_tab(target)

    def _scroll_to(self, control: QWidget) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QScrollArea

        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            scroll = parent
            # The form just shown is laid out first; then its control is brought into view.
            layout = self.layout()
            if layout is not None:
                layout.activate()

            def bring() -> None:
                # Up and down only: the page keeps its left edge in view.
                scroll.ensureWidgetVisible(control)
                scroll.horizontalScrollBar().setValue(0)

            bring()
            QTimer.singleShot(0, bring)

    def close_visit(self) -> None:
        self.visit_form.setVisible(False)
        self.controls_changed.emit()
        focus_as_after_tab(self.add_visit if self.add_visit.isEnabled() else self.table)

    def _edit_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.open_visit(rows[0].row() if rows else len(self._visits()) - 1)

    def record_visit(self) -> bool:
        """Records the visit in the form (new, or the one it edits); says why when it
        cannot."""
        if not self.visit_form.isVisible():
            return False
        try:
            visit = self.visit_form.value()
        except FormError as error:
            self.visit_form.show_error(str(error), error.control)
            return False
        visits = [existing.model_dump(mode="json") for existing in self._visits()]
        index = self.visit_form.index
        if index is None:
            visits.append(visit)
        else:
            visits[index] = visit
        numbered, given = [], 0
        for entry in visits:
            if entry["infusion"] in ("given", "stopped_early"):
                given += 1
                entry = {**entry, "infusion_number": given}
            else:
                entry = {**entry, "infusion_number": None}
            numbered.append(entry)
        try:
            self.session.set_course_part("course", numbered)
        except ValidationError as error:
            self.visit_form.show_error(describe_validation_error(error), None)
            return False
        self.visit_form.setVisible(False)
        self.controls_changed.emit()
        # The step was shown afresh when the session said the consult changed.
        row = len(numbered) - 1 if index is None else index
        self.table.selectRow(row)
        focus_as_after_tab(self.add_visit if self.add_visit.isEnabled() else self.table)
        return True

    def remove_last_visit(self) -> bool:
        visits = self._visits()
        if not visits or not course_dialogs.confirm_remove_visit(self, len(visits)):
            return False
        kept = [visit.model_dump(mode="json") for visit in visits[:-1]]
        self.session.set_course_part("course", kept)
        self.visit_form.setVisible(False)
        self.refresh()  # and the Tab order with it
        return True

    def ask_end(self) -> bool:
        reasons = self.session.content.course.shown("course_end.reason")
        reason = course_dialogs.ask_course_end(self, reasons)
        if reason is None:
            return False
        self.session.set_course_part("course_end", {"reason": reason})
        self.visit_form.setVisible(False)
        self.refresh()  # and the Tab order with it
        return True
