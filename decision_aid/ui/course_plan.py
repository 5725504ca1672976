"""The trial plan's form (docs/design.md section 13.3): the measures, each with its threshold
and its why; the baseline, empty until typed (the consult's pain score is shown beside it as a
hint and never copied); the judgement point with no default; the stop rules, none ticked,
under the stops that always hold; the liver-test schedule. It gives the plan in the file's
own form; ``made_at_status`` and ``made_with_findings`` are set by the step, never typed.
Its words are the pack's (``course_words.yaml``: the fields' labels and values, and the
``window`` part's measures, stop rules and help with their sources)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from decision_aid.ui.course_inputs import Choice, FormError, Number, ReviewedChecks, Tenths
from decision_aid.ui.markup import escape, plain_label

if TYPE_CHECKING:
    from decision_aid.content import Content


def why_text(measure: str, content: Content) -> str:
    """A measure's why: what it rests on, and each source's full citation where the pack
    has it."""
    why = content.course.window.measure_why[measure]
    sources = []
    for key in why.citations:
        source = content.evidence.sources.get(key)
        sources.append(f"<li>{escape(source.citation if source else key)}</li>")
    listed = "".join(sources)
    return f"<p>{escape(why.text)}</p><p><b>Sources:</b></p><ul>{listed}</ul>"


class PlanForm(QGroupBox):
    """The plan being made; ``record`` is the button that records it."""

    def __init__(self, content: Content) -> None:
        words = content.course
        window = words.window
        super().__init__(words.label("plan"))
        outer = QVBoxLayout(self)
        outer.addWidget(plain_label("Response: every ticked measure must be met."))
        self.measures: dict[str, QCheckBox] = {}
        self.why_buttons: dict[str, QToolButton] = {}
        self.whys: dict[str, QLabel] = {}
        for measure, label in window.measures.items():
            row = QHBoxLayout()
            box = QCheckBox(label)
            box.setAccessibleName(f"Measure: {label}")
            why = QToolButton()
            why.setText("Why?")
            why.setAccessibleName(f"{label}. Show why.")
            text = QLabel(why_text(measure, content))
            text.setWordWrap(True)
            text.setVisible(False)
            text.setAccessibleName(f"Why: {label}")
            why.clicked.connect(lambda _=False, shown=text: shown.setVisible(not shown.isVisible()))
            row.addWidget(box, 1)
            row.addWidget(why)
            outer.addLayout(row)
            outer.addWidget(text)
            self.measures[measure], self.why_buttons[measure], self.whys[measure] = box, why, text
        form = QFormLayout()
        # A label above its box when the two do not fit side by side (1024x700, 200%).
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        outer.addLayout(form)
        self.fiqr_percent = Number(words.label("plan.fiqr_drop_percent"), 5, 50)
        self.pain = Number(words.label("plan.baseline.pain_week"), 0, 10)
        self.pain_hint = plain_label()
        self.fiqr = Tenths(words.label("plan.baseline.fiqr_total"), 100.0)
        self.bladder = ReviewedChecks(
            words.label("plan.baseline.bladder"),
            words.shown("plan.baseline.bladder"),
            words.none_of_these,
        )
        self.judge_after = Number(words.label("plan.judge_after_infusions"), 1, 20)
        judge_help = plain_label(window.judge_help.text)
        judge_help.setObjectName("help")
        self.judge_after.setAccessibleDescription(window.judge_help.text)
        form.addRow(self._label(self.fiqr_percent), self.fiqr_percent)
        pain_row = QHBoxLayout()
        pain_row.addWidget(self.pain)
        pain_row.addWidget(self.pain_hint, 1)
        form.addRow(self._label(self.pain), pain_row)
        form.addRow(self._label(self.fiqr), self.fiqr)
        form.addRow(self._label(self.bladder), self.bladder)
        form.addRow(self._label(self.judge_after), self.judge_after)
        form.addRow("", judge_help)
        stops = QGroupBox(words.label("plan.stop_rules"))
        stops_box = QVBoxLayout(stops)
        stops_box.addWidget(plain_label(window.always_stops))
        stops_box.addWidget(plain_label("Also stop for (none is ticked until chosen):"))
        self.stop_rules: dict[str, QCheckBox] = {}
        for rule, label in window.stop_rules.items():
            box = QCheckBox(label)
            box.setAccessibleName(f"Stop rule: {label}")
            stops_box.addWidget(box)
            self.stop_rules[rule] = box
        outer.addWidget(stops)
        liver_row = QHBoxLayout()
        self.liver = Choice(
            words.label("plan.liver_tests_every"),
            {"every": window.liver_every},
            window.no_answer["plan.liver_tests_every"],
        )
        self.liver_every = Number(window.liver_every_number, 1, 20)
        liver_row.addWidget(self.liver)
        liver_row.addWidget(QLabel("k ="))
        liver_row.addWidget(self.liver_every)
        liver_row.addStretch(1)
        liver_label = QLabel(words.label("plan.liver_tests_every"))
        liver_label.setBuddy(self.liver)
        outer.addWidget(liver_label)
        outer.addLayout(liver_row)
        self.message = plain_label()
        self.message.setAccessibleName("Plan form message")
        self.message.setVisible(False)
        outer.addWidget(self.message)
        self.record = QPushButton("Record the plan")
        outer.addWidget(self.record)
        self.liver.currentIndexChanged.connect(self._follow_liver)
        self._follow_liver()
        for box in self.measures.values():
            box.toggled.connect(self._follow_measures)
        self._follow_measures()

    @staticmethod
    def _label(control: QWidget) -> QLabel:
        label = QLabel(control.accessibleName())  # short: one line beside its box
        label.setBuddy(control)
        return label

    def _follow_measures(self) -> None:
        """Greys the FIQR's percent and baseline total while the FIQR measure is not ticked,
        saying why (the baseline pain is asked of every plan: the chart starts from it)."""
        fiqr = self.measures["fiqr_drop"].isChecked()
        for control in (self.fiqr_percent, self.fiqr):
            control.setEnabled(fiqr)
            control.setToolTip("" if fiqr else "Not asked: tick the FIQR measure to give it.")

    def _follow_liver(self) -> None:
        self.liver_every.setEnabled(self.liver.value() is not None)

    def controls(self) -> list[QWidget]:
        chain: list[QWidget] = []
        for measure, box in self.measures.items():
            chain += [box, self.why_buttons[measure]]
        chain += [self.fiqr_percent, self.pain, self.fiqr, *self.bladder.controls()]
        chain += [self.judge_after, *self.stop_rules.values(), self.liver, self.liver_every]
        return [*chain, self.record]

    def show_hint(self, pain_nrs: object) -> None:
        """The consult's pain score beside the baseline box: a hint, never copied into it."""
        self.pain_hint.setText(
            "" if pain_nrs is None else f"The consult's pain score (0-10): {pain_nrs}. Not copied."
        )

    def show_plan(self, plan: Any) -> None:
        """Fills the form from a plan (or empties it): the baseline boxes stay empty until
        typed."""
        chosen = {str(getattr(m, "value", m)) for m in (plan.measures if plan else ())}
        for measure, box in self.measures.items():
            box.setChecked(measure in chosen)
        stops = {str(getattr(s, "value", s)) for s in (plan.stop_rules if plan else ())}
        for rule, box in self.stop_rules.items():
            box.setChecked(rule in stops)
        self.fiqr_percent.show_number(plan.fiqr_drop_percent if plan else None)
        self.judge_after.show_number(plan.judge_after_infusions if plan else None)
        self.pain.show_number(plan.baseline.pain_week if plan else None)
        self.fiqr.show_value(plan.baseline.fiqr_total if plan else None)
        self.bladder.show_value(plan.baseline.bladder if plan else None)
        every = plan.liver_tests_every if plan else None
        self.liver.show_value(None if every is None else "every")
        self.liver_every.show_number(every)
        self.message.setVisible(False)

    def value(self) -> dict[str, Any]:
        """The plan as typed, without the two fields the program sets.

        Raises:
            FormError: a required value is not given, or a number is out of its range.
        """
        measures = [measure for measure, box in self.measures.items() if box.isChecked()]
        if not measures:
            raise FormError("Tick at least one response measure", self.measures["pain_30"])
        if {"pain_30", "pain_50"} <= set(measures):
            raise FormError("Choose one pain measure: 30% or 50%", self.measures["pain_50"])
        judge_after = self.judge_after.checked()
        if judge_after is None:
            raise FormError("Type the infusion after which response is judged", self.judge_after)
        pain = self.pain.checked()
        if {"pain_30", "pain_50"} & set(measures) and not pain:
            raise FormError(
                "Baseline pain: type 1 to 10 (a fall cannot be expected from 0)", self.pain
            )
        percent = self.fiqr_percent.checked() if self.fiqr_percent.isEnabled() else None
        fiqr = self.fiqr.checked() if self.fiqr.isEnabled() else None
        if "fiqr_drop" in measures and (percent is None or fiqr is None):
            control = self.fiqr_percent if percent is None else self.fiqr
            raise FormError("The FIQR measure needs its percent and the baseline total", control)
        every = self.liver_every.checked() if self.liver.value() is not None else None
        if self.liver.value() is not None and every is None:
            raise FormError("Liver tests: type k, the infusions between tests", self.liver_every)
        return {
            "measures": measures,
            "fiqr_drop_percent": percent if "fiqr_drop" in measures else None,
            "judge_after_infusions": judge_after,
            "stop_rules": [rule for rule, box in self.stop_rules.items() if box.isChecked()],
            "liver_tests_every": every,
            "baseline": {"pain_week": pain, "fiqr_total": fiqr, "bladder": self.bladder.value()},
        }

    def show_error(self, text: str, control: QWidget | None) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        if control is not None:
            from decision_aid.ui.inputs import focus_as_after_tab

            focus_as_after_tab(control)
