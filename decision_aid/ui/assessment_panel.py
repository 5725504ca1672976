"""The live assessment: status in words and colour, urgent banner, findings with their "why".

Every finding opens to show its basis: the rule id, the answers that fired it, and the full
citation of each source, so that the clinician never has to take the program's word for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from decision_aid.bounds import bounds_line
from decision_aid.catalogue import Level, Status
from decision_aid.ui.feedback import Confirmation
from decision_aid.ui.markup import escape, set_enum_property

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent

    from decision_aid.content import Content
    from decision_aid.course import CourseAssessment
    from decision_aid.rules import Assessment, Finding

# Colour is the third cue, after the words and a mark of its own; the border's weight and
# style set the statuses apart in greyscale too. Tints from the Okabe-Ito palette, which the
# common colour-vision deficiencies tell apart; no green: "may be discussed" is not a "go"
# for an off-label grade-D therapy.
STATUS_COLOURS: Final = {
    Status.MAY_DISCUSS: "#d6e8f7",  # sky blue
    Status.STANDARD_CARE_FIRST: "#ece6f2",  # light reddish purple
    Status.SPECIALIST_REVIEW: "#fbdca8",  # orange
    Status.INCOMPLETE: "#e4e4e4",  # grey
    Status.NOT_ADVISED: "#f3c3ad",  # vermillion
}
STATUS_MARKS: Final = {
    Status.MAY_DISCUSS: "○",
    Status.STANDARD_CARE_FIRST: "→",
    Status.SPECIALIST_REVIEW: "▲",
    Status.INCOMPLETE: "?",
    Status.NOT_ADVISED: "■",
}
STATUS_BORDERS: Final = {
    Status.MAY_DISCUSS: "1px solid #555",
    Status.STANDARD_CARE_FIRST: "1px dashed #333",
    Status.SPECIALIST_REVIEW: "2px solid #333",
    Status.INCOMPLETE: "3px dashed #222",
    Status.NOT_ADVISED: "4px solid #000",
}
# Each level's frame, heavier for the more serious: told apart without colour. The frame
# takes the palette's text colour, so that it stands out in a dark palette as in a light one
# (a fixed black frame all but vanished on a dark background).
LEVEL_FRAMES: Final = {
    Level.STOP: "3px solid palette(window-text)",
    Level.CHECK: "2px dashed palette(window-text)",
    Level.CAUTION: "2px solid palette(window-text)",
    Level.FIRST: "1px dashed palette(window-text)",
    Level.INFO: "1px solid palette(mid)",
}
LEVEL_MARKS: Final = {
    Level.STOP: "■",
    Level.CHECK: "≠",
    Level.CAUTION: "▲",
    Level.FIRST: "●",
    Level.INFO: "i",
}
# The question each urgent finding asks for: the urgent banner's button goes there.
URGENT_QUESTIONS: Final = {"urgent.self_harm": "decision.suicide_risk"}
# A course's status (docs/design.md section 13.3), as the screening's: words, a mark, a
# colour and a border; no green, since "responding" is not a "go" to go on unreviewed.
COURSE_LOOKS: Final = {
    "responding": ("○", "#d6e8f7", "1px solid #555"),
    "too_early": ("…", "#e4e4e4", "1px dashed #333"),
    "not_responding": ("▼", "#ece6f2", "2px solid #333"),
    "incomplete_record": ("?", "#e4e4e4", "3px dashed #222"),
    "stop_rule_met": ("■", "#f3c3ad", "4px solid #000"),
}


def urgent_question(finding: Finding) -> str | None:
    """The question an urgent finding takes the clinician to: for a course's, the
    suicide-risk outcome of the first visit that fired it."""
    if finding.rule in URGENT_QUESTIONS:
        return URGENT_QUESTIONS[finding.rule]
    if finding.rule == "course.urgent.self_harm":
        visits = sorted(
            {
                path.partition("]")[0] + "]"
                for path in finding.fired_by
                if path.startswith("course[")
            },
            key=lambda visit: int(visit[7:-1]),
        )
        return f"{visits[0]}.suicide_risk" if visits else None
    return None


def why_html(finding: Finding, content: Content) -> str:
    """The basis of one finding: its text, rule, the answers that fired it and its sources."""
    # The rule by its words; its id, for Help > Rules and for a report, in small grey after.
    level = content.rulebook.levels[finding.level]
    rows = [
        f"<p>{escape(finding.text)}</p>",
        f"<p><b>Rule:</b> {escape(level)}: {escape(finding.title)} "
        f'<span style="color: #555; font-size: small;">({escape(finding.rule)})</span></p>',
    ]
    if finding.fired_by:
        answers = "".join(
            f"<li>{escape(content.questions.label(path))}: "
            f"<b>{escape(content.questions.answer_text(path, value))}</b></li>"
            for path, value in finding.fired_by.items()
        )
        rows.append(f"<p><b>Because of these answers:</b></p><ul>{answers}</ul>")
    else:
        rows.append("<p><b>Because:</b> shown for every consult.</p>")
    sources = []
    for key in finding.citations:
        source = content.evidence.sources[key]
        identifier = f" {escape(source.identifier)}." if source.identifier else ""
        sources.append(f"<li>{escape(source.citation)}{identifier}</li>")
    rows.append(f"<p><b>Sources:</b></p><ul>{''.join(sources)}</ul>")
    return "".join(rows)


class FindingView(QFrame):
    """One finding: a disclosure button and its level and title, opening to show the why."""

    def __init__(self, finding: Finding, content: Content) -> None:
        super().__init__()
        self.finding = finding
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"finding_{finding.level.value}")
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ border: {LEVEL_FRAMES[finding.level]}; }}"
        )
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        level = content.rulebook.levels[finding.level]
        # A disclosure button, not a check box: it opens and closes the why, and says which it
        # will do (assistive technology reads a checkable button as a check box).
        self.button = QToolButton()
        self._expanded = False
        self._name = f"{level}: {finding.title}"
        self.button.clicked.connect(self.toggle)
        # Enums set by name at start-up: see MainWindow's step pages.
        set_enum_property(self.button, "arrowType", "RightArrow")
        self.button.setToolTip("Show why: the rule, the answers and the sources")
        self.button.setAccessibleName(f"{self._name}. Show why.")
        self.title = QLabel(
            f"<b>{LEVEL_MARKS[finding.level]} {escape(level)}:</b> {escape(finding.title)}"
        )
        self.title.setWordWrap(True)
        self.title.setBuddy(self.button)
        self.content = content
        self._why: QLabel | None = None
        # The button stays at the top of its column however many lines the title and the
        # why take.
        button_column = QVBoxLayout()
        button_column.addWidget(self.button)
        button_column.addStretch(1)
        self.grid = layout
        layout.addLayout(button_column, 0, 0, 2, 1)
        layout.addWidget(self.title, 0, 1)
        layout.setColumnStretch(1, 1)

    @property
    def why(self) -> QLabel:
        """The finding's basis (rule, answers, sources), made when first opened."""
        if self._why is None:
            from PySide6.QtCore import Qt

            why = QLabel(why_html(self.finding, self.content))
            why.setWordWrap(True)
            why.setTextFormat(Qt.TextFormat.RichText)
            why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            why.setAccessibleName(f"Why: {self.finding.title}")
            why.setVisible(False)
            self.grid.addWidget(why, 1, 1)
            self._why = why
        return self._why

    def toggle(self) -> None:
        """Opens the why when it is closed, closes it when it is open."""
        self.set_expanded(not self._expanded)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt's name
        # A click anywhere on the title opens or closes the why, not only on the arrow.
        if event.position().y() < self.why.y() or not self.why.isVisible():
            self.toggle()
        super().mousePressEvent(event)

    @property
    def expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        if expanded == self._expanded:
            return
        self._expanded = expanded
        self.why.setVisible(expanded)
        set_enum_property(self.button, "arrowType", "DownArrow" if expanded else "RightArrow")
        self.button.setAccessibleName(f"{self._name}. {'Hide' if expanded else 'Show'} why.")


class AssessmentPanel(QWidget):
    """The right-hand panel; rebuilt from each new assessment.

    Signals:
        question_requested: carries the dotted path of an answer the clinician wants to give
            (an item of "still unknown" was clicked).
    """

    question_requested = Signal(str)

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content
        self.setMinimumWidth(280)
        layout = QVBoxLayout(self)
        heading = QLabel("<b>Assessment for the clinician</b>")
        layout.addWidget(heading)
        # "Saved", "copied", "printed": here, beside the answers, not only in the status bar.
        self.confirmation = Confirmation()
        layout.addWidget(self.confirmation)
        # A course's status, above the screening's, while the consult has a trial plan.
        self.course_status = QLabel()
        self.course_status.setWordWrap(True)
        self.course_status.setAccessibleName("Course status")
        self.course_status.setMargin(6)
        self.course_status.setVisible(False)
        layout.addWidget(self.course_status)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        self.status.setMargin(6)
        layout.addWidget(self.status)
        self.urgent = QLabel()
        self.urgent.setWordWrap(True)
        self.urgent.setAccessibleName("Urgent")
        self.urgent.setMargin(6)
        self.urgent.setStyleSheet(
            "background: #8b0000; color: white; font-weight: bold; border: 2px solid black;"
        )
        layout.addWidget(self.urgent)
        # The urgent banner's action: to the question it asks for, in view and focused.
        self.urgent_action = QPushButton()
        self.urgent_action.setVisible(False)
        self.urgent_action.clicked.connect(self._urgent_action_clicked)
        self._urgent_field = ""
        layout.addWidget(self.urgent_action)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setAccessibleName("Still unknown")
        self.missing_is_tab_stop = False
        # A click on an item goes to its question; Tab reaches each link and Enter follows
        # it, so the keyboard goes there too.
        set_enum_property(
            self.missing, "textInteractionFlags", "LinksAccessibleByMouse|LinksAccessibleByKeyboard"
        )
        self.missing.linkActivated.connect(self._link_activated)
        layout.addWidget(self.missing)
        self.findings_box = QWidget()
        self.findings_layout = QVBoxLayout(self.findings_box)
        self.findings_layout.setContentsMargins(0, 0, 0, 0)
        self.findings_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        set_enum_property(scroll, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        # Not a tab stop of its own: Tab goes from finding to finding, and it scrolls to them.
        set_enum_property(scroll, "focusPolicy", "NoFocus")
        scroll.setAccessibleName("Findings")
        scroll.setWidget(self.findings_box)
        layout.addWidget(scroll, 1)
        note = QLabel("Considerations for the clinician, not orders. Open a finding to see why.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.finding_views: list[FindingView] = []

    def show_course(self, course: CourseAssessment | None) -> None:
        """The course's status in words, mark, colour and border, or nothing without a plan."""
        self.course_status.setVisible(course is not None)
        if course is None:
            return
        status = str(getattr(course.status, "value", course.status))
        mark, colour, border = COURSE_LOOKS[status]
        words = self.content.rulebook.course_statuses[course.status]
        missing = len(course.missing)
        lacking = (
            f"{missing} required answer{'s' if missing != 1 else ''} of the record missing "
            "(marked in the Course step's table)."
            if missing
            else ""
        )
        self.course_status.setText(
            f"<b>{mark} Course: {escape(words)}</b>" + (f"<br>{escape(lacking)}" if lacking else "")
        )
        self.course_status.setStyleSheet(f"background: {colour}; border: {border}; color: black;")
        self.course_status.setAccessibleName(f"Course status: {words}. {lacking}".strip())

    def show_assessment(
        self, assessment: Assessment, course: CourseAssessment | None = None
    ) -> None:
        self.show_course(course)
        rulebook = self.content.rulebook
        status = assessment.status
        # While required answers are unknown, what they can still make of the status.
        bounds = bounds_line(assessment)
        self.status.setText(
            f"<b>{STATUS_MARKS[status]} Status: {escape(rulebook.statuses[status])}</b><br>"
            f"{escape(rulebook.status_explanations[status])}"
            + (f"<br><b>{escape(bounds)}</b>" if bounds else "")
        )
        self.status.setStyleSheet(
            f"background: {STATUS_COLOURS[status]}; border: {STATUS_BORDERS[status]}; color: black;"
        )
        # Assistive technology reads a label by its name: the name is what the label says.
        self.status.setAccessibleName(
            f"Status: {rulebook.statuses[status]}. {rulebook.status_explanations[status]}"
            + (f" {bounds}" if bounds else "")
        )
        # With a plan, the course's urgent list holds the screening's first, then its own.
        urgent = tuple(course.urgent) if course is not None else assessment.urgent
        self.urgent.setVisible(bool(urgent))
        self.urgent.setText(
            "<br>".join(f"URGENT - act today: {escape(finding.text)}" for finding in urgent)
        )
        self.urgent.setAccessibleName(
            " ".join(f"Urgent, act today: {finding.text}" for finding in urgent)
            or "Urgent: nothing"
        )
        fields = [field for field in map(urgent_question, urgent) if field]
        self._urgent_field = fields[0] if fields else ""
        if fields and fields[0].startswith("course["):
            visit = int(fields[0][7 : fields[0].index("]")]) + 1
            self.urgent_action.setText(f"Go to visit {visit}: suicide-risk outcome")
            self.urgent_action.setAccessibleName(
                f"Urgent: go to the question: visit {visit}, outcome of the suicide-risk assessment"
            )
        elif fields:
            label = self.content.questions.label(fields[0])
            self.urgent_action.setText(f"Go to the question: {label}")
            self.urgent_action.setAccessibleName(f"Urgent: go to the question {label}")
        self.urgent_action.setVisible(bool(fields))
        if assessment.missing:
            # Each item is a link to its question (the href is a field path of the program's
            # own, never text from a file).
            links = ", ".join(
                f'<a href="field:{path}">{escape(self.content.questions.label(path))}</a>'
                for path in assessment.missing
            )
            self.missing.setText(f"<b>Still unknown ({len(assessment.missing)}):</b> {links}")
            labels = [self.content.questions.label(path) for path in assessment.missing]
            self.missing.setAccessibleName(
                f"Still unknown ({len(labels)}): {', '.join(labels)}. Tab to a question, Enter "
                "to go to it."
            )
            # A tab stop only while it has questions to go to.
            set_enum_property(self.missing, "focusPolicy", "StrongFocus")
            self.missing_is_tab_stop = True
        else:
            self.missing.setText("All required answers are given.")
            self.missing.setAccessibleName("All required answers are given.")
            set_enum_property(self.missing, "focusPolicy", "NoFocus")
            self.missing_is_tab_stop = False
        # Views of findings that did not change are kept (most answers change none), so an
        # answer costs a rebuild only of what changed, and open "why" views stay open.
        previous = {view.finding.rule: view for view in self.finding_views}
        views = []
        # A course's findings first: they are about the infusions being given now.
        course_findings = tuple(course.findings) if course is not None else ()
        for finding in (*course_findings, *assessment.findings):
            view = previous.pop(finding.rule, None)
            if view is not None and view.finding != finding:
                expanded = view.expanded
                self._discard(view)
                view = FindingView(finding, self.content)
                view.set_expanded(expanded)
            elif view is None:
                view = FindingView(finding, self.content)
            views.append(view)
        for view in previous.values():
            self._discard(view)
        if views != self.finding_views:
            for position, view in enumerate(views):
                self.findings_layout.insertWidget(position, view)
            self.finding_views = views

    def _urgent_action_clicked(self) -> None:
        if self._urgent_field:
            self.question_requested.emit(self._urgent_field)

    def _link_activated(self, link: str) -> None:
        kind, _, path = link.partition(":")
        if kind == "field":
            self.question_requested.emit(path)

    def _discard(self, view: FindingView) -> None:
        self.findings_layout.removeWidget(view)
        # Hidden now: deleteLater waits for the event loop, and until then the old view would
        # still paint under the new ones.
        view.hide()
        view.deleteLater()

    def view_of(self, rule: str) -> FindingView | None:
        return next((view for view in self.finding_views if view.finding.rule == rule), None)
