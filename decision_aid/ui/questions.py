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
from typing import TYPE_CHECKING, Final

from pydantic import ValidationError
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from decision_aid.consult import (
    REVIEWED_LISTS,
    Outcome,
    Therapy,
    answer_spec,
    describe_validation_error,
    field_bounds,
    field_choices,
    is_list_field,
)
from decision_aid.first_rules import criterion1_met
from decision_aid.ui.inputs import NOT_KNOWN, ListBox, NumberBox
from decision_aid.ui.markup import escape, plain_label, set_enum_property

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from decision_aid.content import Question, Step
    from decision_aid.content.questions import CriterionTexts
    from decision_aid.ui.session import ConsultSession


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

    def follow(self) -> None:
        """Shows the answer again after any answer changed, wherever it was changed (the
        handout language is asked on the Patient step and chosen on Review too)."""
        self.refresh()
        self.show_whether_asked()

    def show_whether_asked(self) -> None:
        """Greys an optional question this consult does not ask (the plan's answer for an
        uninsured patient, how a ketamine course helped when there was none): the rules and
        the note ignore it, and the window says so rather than ask it."""
        spec = answer_spec(self.question.field)
        if spec.asked_when is None:
            return
        asked = self.session.asked(self.question.field)
        self.setEnabled(asked)
        self.setToolTip("" if asked else f"Not asked for this consult: {spec.asked_text}")

    def controls(self) -> list[QWidget]:
        """The widgets that answer this question, in the order Tab visits them."""
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        """Where the keyboard lands when it comes to this question."""
        return self.controls()[0]


class ChoiceQuestion(QuestionWidget):
    """Radio buttons for one choice; none checked means the answer is still unknown.

    One Tab stop for the group, as Qt's exclusive groups have: its checked answer, or its
    first when none is checked, and Tab never records an answer. Arrows choose the next or
    previous answer (from an unchecked one too); Space chooses the focused one.
    """

    def __init__(
        self, question: Question, session: ConsultSession, *, compact: bool = False
    ) -> None:
        super().__init__(question, session)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for value, label in question.options.items():
            button = QRadioButton(label)
            button.setAccessibleName(f"{question.label}: {label}")
            self.group.addButton(button)
            self.buttons[value] = button
            button.toggled.connect(partial(self._toggled, value=value))
            button.installEventFilter(self)
        if compact:
            for row in compact_rows(list(question.options.values())):
                line = QHBoxLayout()
                for label in row:
                    line.addWidget(self.buttons[_value_of(question, label)])
                line.addStretch(1)
                self.box.addLayout(line)
        else:
            for button in self.buttons.values():
                self.box.addWidget(button)
        self.refresh()

    def controls(self) -> list[QWidget]:
        return list(self.buttons.values())

    def focus_target(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked if checked is not None else next(iter(self.buttons.values()))

    def _set_tab_stop(self) -> None:
        # Qt keeps Tab on the checked button of a group, but not when none is checked (after
        # New, every button stays a stop) and not after a consult is shown: set it here.
        stop = self.focus_target()
        for button in self.buttons.values():
            set_enum_property(
                button, "focusPolicy", "StrongFocus" if button is stop else "ClickFocus"
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if event.type() == QEvent.Type.KeyPress and watched in self.buttons.values():
            from PySide6.QtCore import Qt  # at the first key, not at start-up

            key = event.key()  # type: ignore[attr-defined]
            keys = Qt.Key
            step = {keys.Key_Down: 1, keys.Key_Right: 1, keys.Key_Up: -1, keys.Key_Left: -1}
            if key in step and not event.modifiers():  # type: ignore[attr-defined]
                buttons = list(self.buttons.values())
                index = buttons.index(watched) + step[key]  # type: ignore[arg-type]
                if 0 <= index < len(buttons):
                    buttons[index].setFocus(Qt.FocusReason.TabFocusReason)
                    buttons[index].click()
                return True
        return super().eventFilter(watched, event)

    def _toggled(self, checked: bool, *, value: str) -> None:
        self._set_tab_stop()
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
        self._set_tab_stop()


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


class NumberQuestion(QuestionWidget):
    """A number box; empty is "not known" (the answer is null).

    Typed digits are kept as they are typed when the consult takes them, so that the
    assessment follows; when the box is left (Tab, a click elsewhere, Return) they are
    judged whole. A number outside the question's range, or one the consult refuses (PHQ-9
    item 9 above the total), is not kept: the answer goes back to what it was before this
    edit, the box shows it, and a message under the box names the range or the reason.
    Clearing the text gives "not known". Arrows step the number within the range.
    """

    def __init__(self, question: Question, session: ConsultSession) -> None:
        super().__init__(question, session)
        self.low, self.high = field_bounds(question.field) or (0, 999)
        self.unit = question.unit or ""
        self.spin = NumberBox(self.low, self.high)
        self.spin.setAccessibleName(question.label)
        self.spin.setAccessibleDescription(f"{self.range_words}; empty: {NOT_KNOWN}")
        self.spin.setToolTip(self.range_words)
        row = QHBoxLayout()
        row.addWidget(self.spin)
        if self.unit:
            unit = QLabel(self.unit)
            unit.setBuddy(self.spin)
            row.addWidget(unit)
        row.addStretch(1)
        self.box.addLayout(row)
        # Why a typed value was not kept; shown under the box until it no longer applies.
        self.refused = plain_label()
        self.refused.setObjectName("refused")
        self.refused.setAccessibleName(f"{question.label}: not kept")
        self.refused.hide()
        self.box.addWidget(self.refused)
        # A refusal by the consult (item 9 and the total) holds while the answers it was
        # judged against stay as they were; a range refusal until the box takes a value.
        self._refused_against: object = None
        # The answer before the digits being typed, to go back to when they are not kept.
        self._editing = False
        self._before: int | None = None
        self.spin.lineEdit().textEdited.connect(self._edited)
        self.spin.editingFinished.connect(self._finished)
        self.spin.stepped.connect(self._stepped)
        self.refresh()

    @property
    def range_words(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.low} to {self.high}{unit}"

    def controls(self) -> list[QWidget]:
        return [self.spin]

    @property
    def value(self) -> int | None:
        """The number the box shows (None when empty)."""
        return self.spin.number()

    def _answer(self) -> int | None:
        value = self.session.answer(self.question.field)
        return None if value is None else int(value)

    def _keep(self, value: int | None) -> ValidationError | None:
        """Sets the answer; returns the consult's refusal, if it refused."""
        if self._answer() == value:
            return None
        try:
            self.session.set_answer(self.question.field, value)
        except ValidationError as error:
            return error
        return None

    def _edited(self, _text: str) -> None:
        if not self._editing:
            self._editing, self._before = True, self._answer()
        number = self.spin.number()
        if number is None or number < self.low:
            return  # cleared, or the first digits of a larger number: judged at the end
        if number > self.high:
            # More digits cannot bring it back into range: say so now, keep nothing.
            self._refuse(f"{number} is not kept: enter {self.range_words}.")
            self._keep(self._before)
            return
        error = self._keep(number)
        if error is None:
            self._accepted()
        else:
            self._refuse(f"{number} is not kept: {describe_validation_error(error)}.", error)

    def _stepped(self) -> None:
        self._editing = False
        number = self.spin.number()
        error = self._keep(number)
        if error is None:
            self._accepted()
        else:
            self._refuse(f"{number} is not kept: {describe_validation_error(error)}.", error)
        self.spin.show_number(self._answer())

    def _finished(self) -> None:
        # Return, then leaving the box, finish one edit twice: the second judges nothing.
        if not self._editing:
            self.spin.show_number(self._answer())
            return
        before, self._editing = self._before, False
        number = self.spin.number()
        if number is not None and not self.low <= number <= self.high:
            self._keep(before)
            self._refuse(
                f"{number} is not kept: enter {self.range_words}. "
                f"The answer stays {self._shown(before)}."
            )
        else:
            error = self._keep(number)
            if error is None:
                self._accepted()
            else:
                self._keep(before)
                self._refuse(
                    f"{number} is not kept: {describe_validation_error(error)}. "
                    f"The answer stays {self._shown(before)}.",
                    error,
                )
        self.spin.show_number(self._answer())

    def _shown(self, value: int | None) -> str:
        return NOT_KNOWN if value is None else f"{value}{f' {self.unit}' if self.unit else ''}"

    def _section(self) -> object:
        section = self.question.field.rsplit(".", 1)[0]
        return self.session.consult.model_dump().get(section)

    def _refuse(self, message: str, error: ValidationError | None = None) -> None:
        self.refused.setText(message)
        self.refused.show()
        self._refused_against = self._section() if error is not None else None

    def _accepted(self) -> None:
        self.refused.hide()
        self._refused_against = None

    def follow(self) -> None:
        if self._editing:
            return  # the clinician's digits stay until the box is left
        if self._refused_against is not None and self._section() != self._refused_against:
            self._accepted()  # the answers it was refused against have changed
        self.spin.show_number(self._answer())

    def refresh(self) -> None:
        self._editing = False
        self._accepted()
        self.spin.show_number(self._answer())


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
            outcome = ListBox()
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


# How many characters of answer labels one row of a compact question holds: at the narrowest
# window the design asks for (1024x700) the middle column has room for about this many with
# their radio rings, so no row needs a sideways scroll.
COMPACT_ROW_CHARACTERS: Final = 60


def compact_rows(labels: list[str], room: int = COMPACT_ROW_CHARACTERS) -> list[list[str]]:
    """The labels in order, as few to a row as fit ``room`` characters (at least one each)."""
    rows: list[list[str]] = [[]]
    used = 0
    for label in labels:
        if rows[-1] and used + len(label) > room:
            rows.append([])
            used = 0
        rows[-1].append(label)
        used += len(label) + 4  # the ring and the gap before the next answer
    return rows


def _value_of(question: Question, label: str) -> str:
    return next(value for value, shown in question.options.items() if shown == label)


def make_question(
    question: Question, session: ConsultSession, *, compact: bool = False
) -> QuestionWidget:
    """The widget that fits one question's answer type."""
    if question.field == "prior_treatments":
        return TreatmentsQuestion(question, session)
    if is_list_field(question.field):
        return ListQuestion(question, session)
    if field_choices(question.field) is not None:
        return ChoiceQuestion(question, session, compact=compact)
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
        self.questions = [
            make_question(question, session, compact=step.compact) for question in step.questions
        ]
        for widget in self.questions:
            widget.show_whether_asked()
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
        session.assessment_changed.connect(lambda _assessment: self._follow())

    def refresh(self) -> None:
        for widget in self.questions:
            widget.refresh()

    def _follow(self) -> None:
        for widget in self.questions:
            widget.follow()

    def focus_target(self) -> QWidget | None:
        """Where the keyboard lands when the step opens: its first question."""
        return self.questions[0].focus_target() if self.questions else None

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
