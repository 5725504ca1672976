"""Question widgets, generated from the content's question texts and the consult model.

Each widget shows one answer and reports changes to the session; ``refresh`` shows the
session's current value again (after New or Open). Labels, help texts and answer labels come
from ``resources/questions.yaml``, never from code. "Unknown" is explicit: an "Unknown" radio
button where the answer has one, "not known" on a number box, "Not reviewed" on a list of
medicines or substances, and "Not recorded" for a tried treatment's outcome. Nothing is
recorded that the clinician did not give: a value the consult refuses (PHQ-9 item 9 above the
total) is not kept, and the box says why.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from decision_aid.consult import (
    REVIEWED_LISTS,
    Outcome,
    Therapy,
    describe_validation_error,
    field_bounds,
    field_choices,
    is_list_field,
)
from decision_aid.first_rules import criterion1_met
from decision_aid.ui.markup import escape, plain_label, set_enum_property

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent

    from decision_aid.content import Question, Step
    from decision_aid.content.questions import CriterionTexts
    from decision_aid.ui.session import ConsultSession

NOT_KNOWN = "not known"


class QuestionWidget(QGroupBox):
    """A titled box for one question; subclasses add the controls."""

    def __init__(self, question: Question, session: ConsultSession) -> None:
        super().__init__(question.label)
        self.question = question
        self.session = session
        self.setAccessibleName(question.label)
        self.box = QVBoxLayout(self)
        if question.help:
            help_label = plain_label(question.help)
            help_label.setObjectName("help")
            self.box.addWidget(help_label)

    def refresh(self) -> None:
        raise NotImplementedError

    def controls(self) -> list[QWidget]:
        """The widgets that answer this question, in the order Tab visits them."""
        raise NotImplementedError


class ChoiceQuestion(QuestionWidget):
    """Radio buttons for one choice; none checked means the answer is still unknown."""

    def __init__(self, question: Question, session: ConsultSession) -> None:
        super().__init__(question, session)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for value, label in question.options.items():
            button = QRadioButton(label)
            button.setAccessibleName(f"{question.label}: {label}")
            self.group.addButton(button)
            self.buttons[value] = button
            self.box.addWidget(button)
            button.toggled.connect(partial(self._toggled, value=value))
        self.refresh()

    def controls(self) -> list[QWidget]:
        return list(self.buttons.values())

    def _toggled(self, checked: bool, *, value: str) -> None:
        if checked and self.session.answer(self.question.field) != value:
            self.session.set_answer(self.question.field, value)

    def refresh(self) -> None:
        current = str(self.session.answer(self.question.field))
        button = self.buttons.get(current)
        if button is not None:
            button.setChecked(True)
        else:
            # Exclusive groups refuse to uncheck their last button; lift that for a moment.
            self.group.setExclusive(False)
            for other in self.buttons.values():
                other.setChecked(False)
            self.group.setExclusive(True)


class ListQuestion(QuestionWidget):
    """Check boxes for a list answer (medicines, substances, priorities).

    A reviewed list (medicines, substances) tells "not reviewed" (None, where it starts) from
    "none of these" (an empty list) with two boxes of its own: each clears the items, ticking
    an item clears both, and unticking the last item goes back to "not reviewed", so that an
    empty list is only ever the clinician's "none of these".
    """

    def __init__(self, question: Question, session: ConsultSession) -> None:
        super().__init__(question, session)
        self.boxes: dict[str, QCheckBox] = {}
        self.not_reviewed: QCheckBox | None = None
        self.none_of_these: QCheckBox | None = None
        states = question.list_states
        if states is not None and question.field in REVIEWED_LISTS:
            self.not_reviewed = self._box(states.not_reviewed)
            self.none_of_these = self._box(states.none)
            self.not_reviewed.toggled.connect(self._not_reviewed_toggled)
            self.none_of_these.toggled.connect(self._none_toggled)
        for value, label in question.options.items():
            box = self._box(label)
            self.boxes[value] = box
            box.toggled.connect(self._items_changed)
        self.refresh()

    def _box(self, label: str) -> QCheckBox:
        box = QCheckBox(label)
        box.setAccessibleName(f"{self.question.label}: {label}")
        self.box.addWidget(box)
        return box

    def controls(self) -> list[QWidget]:
        states = [box for box in (self.not_reviewed, self.none_of_these) if box is not None]
        return [*states, *self.boxes.values()]

    @property
    def reviewed_list(self) -> bool:
        return self.not_reviewed is not None

    def _set(self, value: list[str] | None) -> None:
        current = self.session.answer(self.question.field)
        if (None if current is None else [str(item) for item in current]) != value:
            self.session.set_answer(self.question.field, value)
        self.refresh()

    def _items_changed(self) -> None:
        chosen = [value for value, box in self.boxes.items() if box.isChecked()]
        self._set(chosen if chosen or not self.reviewed_list else None)

    def _not_reviewed_toggled(self, checked: bool) -> None:
        # Ticked: back to not reviewed. Unticked on its own it says nothing, so it stays.
        self._set(None if checked else self._current())

    def _none_toggled(self, checked: bool) -> None:
        self._set([] if checked else None)

    def _current(self) -> list[str] | None:
        current = self.session.answer(self.question.field)
        return None if current is None else [str(item) for item in current]

    def refresh(self) -> None:
        current = self._current()
        chosen = set(current or ())
        for value, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(value in chosen)
            box.blockSignals(False)
        for state, checked in (
            (self.not_reviewed, current is None),
            (self.none_of_these, current == []),
        ):
            if state is not None:
                state.blockSignals(True)
                state.setChecked(checked)
                state.blockSignals(False)


class NumberBox(QSpinBox):
    """A number box that takes typed digits however the clinician reached it.

    A plain QSpinBox whose text is "not known" refuses digits unless its text was selected
    first, which Tab does and a click, a double-click or a shortcut does not; and a click in
    a filled box can put the cursor inside the unit ("3 year|s"), where digits do nothing.
    Here a digit always lands in the number: it replaces "not known", and a cursor in the
    unit moves back to the number's end. The wheel changes the number only once the box has
    the keyboard focus, so scrolling the page over it never changes an answer.
    """

    def __init__(self) -> None:
        super().__init__()
        # Set by name, as elsewhere at start-up; no wheel focus (see wheelEvent).
        set_enum_property(self, "focusPolicy", "StrongFocus")

    def shows_not_known(self) -> bool:
        # The text, not the value: while "3" is typed on the way to "30" (below the lowest
        # weight) the value is still the lowest, but the text is the clinician's.
        return self.lineEdit().text() == self.specialValueText()

    def number_end(self) -> int:
        """Where the number's digits end in the text (before the unit)."""
        text, suffix = self.lineEdit().text(), self.suffix()
        return len(text) - len(suffix) if suffix and text.endswith(suffix) else len(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        if event.text().isdigit():
            edit = self.lineEdit()
            if self.shows_not_known():
                edit.selectAll()
            elif not edit.hasSelectedText() and edit.cursorPosition() > self.number_end():
                edit.setCursorPosition(self.number_end())
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # Qt's name
        super().mouseDoubleClickEvent(event)
        if self.shows_not_known():
            self.lineEdit().selectAll()
        else:
            self.lineEdit().setSelection(0, self.number_end())

    def wheelEvent(self, event: QWheelEvent) -> None:  # Qt's name
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the page scrolls instead


class OutcomeBox(QComboBox):
    """A treatment's outcome: like NumberBox, the wheel changes it only once it has focus."""

    def __init__(self) -> None:
        super().__init__()
        set_enum_property(self, "focusPolicy", "StrongFocus")

    def wheelEvent(self, event: QWheelEvent) -> None:  # Qt's name
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class NumberQuestion(QuestionWidget):
    """A number box whose lowest position reads "not known" (the answer is null)."""

    def __init__(self, question: Question, session: ConsultSession) -> None:
        super().__init__(question, session)
        low, high = field_bounds(question.field) or (0, 999)
        self.spin = NumberBox()
        self.spin.setRange(low - 1, high)
        self.spin.setSpecialValueText(NOT_KNOWN)
        if question.unit:
            self.spin.setSuffix(f" {question.unit}")
        self.spin.setAccessibleName(question.label)
        self.spin.setMaximumWidth(180)
        self.box.addWidget(self.spin)
        # Why a typed value was not kept; shown under the box until a value is accepted.
        self.refused = plain_label()
        self.refused.setObjectName("refused")
        self.refused.setAccessibleName(f"{question.label}: not kept")
        self.refused.hide()
        self.box.addWidget(self.refused)
        self.spin.valueChanged.connect(self._changed)
        self.spin.editingFinished.connect(self._editing_finished)
        self.refresh()

    def controls(self) -> list[QWidget]:
        return [self.spin]

    @property
    def value(self) -> int | None:
        return None if self.spin.value() == self.spin.minimum() else self.spin.value()

    def set_value(self, value: int | None) -> None:
        self.spin.setValue(self.spin.minimum() if value is None else value)

    def _changed(self) -> None:
        if self.session.answer(self.question.field) == self.value:
            return
        try:
            self.session.set_answer(self.question.field, self.value)
        except ValidationError as error:
            # Refused by the consult (item 9 above the total): the answer keeps its last good
            # value. While digits are still being typed ("1" on the way to "12") the box
            # keeps them; once editing ends it shows the kept value again.
            self.refused.setText(f"Not kept: {describe_validation_error(error)}")
            self.refused.show()
        else:
            self.refused.hide()

    def _editing_finished(self) -> None:
        if self.session.answer(self.question.field) != self.value:
            self.refresh()

    def refresh(self) -> None:
        self.spin.blockSignals(True)
        self.set_value(self.session.answer(self.question.field))
        self.spin.blockSignals(False)


class TreatmentsQuestion(QuestionWidget):
    """One row per therapy: tried or not, and how it went."""

    def __init__(self, question: Question, session: ConsultSession) -> None:
        super().__init__(question, session)
        grid = QGridLayout()
        self.box.addLayout(grid)
        self.tried: dict[Therapy, QCheckBox] = {}
        self.outcomes: dict[Therapy, QComboBox] = {}
        for row, (value, label) in enumerate(question.options.items()):
            therapy = Therapy(value)
            tried = QCheckBox(label)
            tried.setAccessibleName(f"Tried: {label}")
            outcome = OutcomeBox()
            outcome.setAccessibleName(f"Outcome of {label}")
            for code, outcome_label in question.outcome_options.items():
                outcome.addItem(outcome_label, code)
            grid.addWidget(tried, row, 0)
            grid.addWidget(outcome, row, 1)
            self.tried[therapy] = tried
            self.outcomes[therapy] = outcome
            tried.toggled.connect(lambda _checked, chosen=therapy: self._changed(chosen))
            outcome.currentIndexChanged.connect(
                lambda _index, chosen=therapy: self._changed(chosen)
            )
        grid.setColumnStretch(0, 1)
        self.refresh()

    def controls(self) -> list[QWidget]:
        return [
            control
            for therapy, tried in self.tried.items()
            for control in (tried, self.outcomes[therapy])
        ]

    def _changed(self, therapy: Therapy) -> None:
        tried = self.tried[therapy].isChecked()
        combo = self.outcomes[therapy]
        combo.setEnabled(tried)
        if tried == (combo.currentIndex() < 0):
            # Ticked: "Not recorded" until the clinician chooses how it went; an outcome is
            # never assumed. Unticked: blank, not a greyed outcome that could be read as one.
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(Outcome.UNKNOWN.value) if tried else -1)
            combo.blockSignals(False)
        outcome = Outcome(combo.currentData()) if tried else None
        self.session.set_treatment(therapy, outcome)

    def refresh(self) -> None:
        current = {entry.therapy: entry.outcome for entry in self.session.consult.prior_treatments}
        for therapy, box in self.tried.items():
            combo = self.outcomes[therapy]
            box.blockSignals(True)
            combo.blockSignals(True)
            box.setChecked(therapy in current)
            combo.setEnabled(therapy in current)
            combo.setCurrentIndex(
                combo.findData(str(current[therapy])) if therapy in current else -1
            )
            combo.blockSignals(False)
            box.blockSignals(False)


def make_question(question: Question, session: ConsultSession) -> QuestionWidget:
    """The widget that fits one question's answer type."""
    if question.field == "prior_treatments":
        return TreatmentsQuestion(question, session)
    if is_list_field(question.field):
        return ListQuestion(question, session)
    if field_choices(question.field) is not None:
        return ChoiceQuestion(question, session)
    return NumberQuestion(question, session)


class StepPage(QWidget):
    """One step's questions, in the order of the content."""

    def __init__(self, step: Step, session: ConsultSession) -> None:
        super().__init__()
        self.step = step
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>{escape(step.title)}</h2>")
        layout.addWidget(title)
        if step.intro:
            intro = plain_label(step.intro)
            layout.addWidget(intro)
        self.questions = [make_question(question, session) for question in step.questions]
        for widget in self.questions:
            layout.addWidget(widget)
        self.criterion: QLabel | None = None
        self._criterion_words: CriterionTexts | None = None
        sss = next((w for w in self.questions if w.question.field == "fibromyalgia.sss"), None)
        if sss is not None:
            # The ACR 2016 criterion 1 is shown live where WPI and SSS are entered.
            self._criterion_words = sss.question.criterion
            self.criterion = plain_label()  # its words come from the pack
            self.criterion.setAccessibleName("ACR 2016 criterion 1")
            layout.insertWidget(layout.indexOf(sss) + 1, self.criterion)
            session.assessment_changed.connect(lambda _assessment: self._show_criterion(session))
            self._show_criterion(session)
        layout.addStretch(1)

    def refresh(self) -> None:
        for widget in self.questions:
            widget.refresh()

    def controls(self) -> list[QWidget]:
        """Every answer widget of the page, top to bottom."""
        return [control for widget in self.questions for control in widget.controls()]

    def _show_criterion(self, session: ConsultSession) -> None:
        assert self.criterion is not None
        words = self._criterion_words
        if words is None:  # a clinic pack without the live check's words shows none
            self.criterion.hide()
            return
        wpi, sss = session.answer("fibromyalgia.wpi"), session.answer("fibromyalgia.sss")
        if wpi is None or sss is None:
            text = words.unknown
        else:
            chosen = words.met if criterion1_met(wpi, sss) else words.not_met
            text = chosen.format(wpi=wpi, sss=sss)
        self.criterion.setText(text)
