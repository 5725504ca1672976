"""One visit of a course, asked in the order of the schema (docs/design.md section 13.1):
the infusion and the day first, the day typed (never taken from the clock), then the
measures, the safety answers and the dose. The form gives a visit in the file's own form (a
dict of the schema's field names); the session validates it with the whole consult. Its
labels, value words and help are the pack's (``course_words.yaml``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from decision_aid.ui.course_inputs import Choice, FormError, Number, ReviewedChecks, Tenths
from decision_aid.ui.markup import plain_label

if TYPE_CHECKING:
    from collections.abc import Mapping

    from decision_aid.content import CourseWords


class BloodPressure(QWidget):
    """Systolic over diastolic; both empty is not recorded."""

    def __init__(self, words: CourseWords, path: str) -> None:
        super().__init__()
        self.name = name = words.label(path)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.systolic = Number(f"{name}: {words.label(f'{path}.systolic')}", 60, 260)
        self.diastolic = Number(f"{name}: {words.label(f'{path}.diastolic')}", 30, 160)
        layout.addWidget(self.systolic)
        layout.addWidget(QLabel("/"))
        layout.addWidget(self.diastolic)
        layout.addWidget(QLabel("mmHg"))
        layout.addStretch(1)

    def controls(self) -> list[QWidget]:
        return [self.systolic, self.diastolic]

    def value(self) -> dict[str, int] | None:
        systolic, diastolic = self.systolic.checked(), self.diastolic.checked()
        if systolic is None and diastolic is None:
            return None
        if systolic is None or diastolic is None:
            missing = self.systolic if systolic is None else self.diastolic
            raise FormError(f"{self.name}: give both numbers, or neither", missing)
        if diastolic >= systolic:
            raise FormError(
                f"{self.name}: the diastolic must be below the systolic", self.diastolic
            )
        return {"systolic": systolic, "diastolic": diastolic}

    def show_value(self, reading: Any) -> None:
        self.systolic.show_number(None if reading is None else reading["systolic"])
        self.diastolic.show_number(None if reading is None else reading["diastolic"])


class Liver(QWidget):
    """A liver test at this visit: none, done or pending, with each value as a multiple of
    the laboratory's upper limit of normal."""

    # The tests' usual abbreviations beside their boxes (the pack's labels name them in full).
    NAMES = {"alt": "ALT", "ast": "AST", "alp": "ALP", "bilirubin": "Bilirubin"}

    def __init__(self, words: CourseWords) -> None:
        super().__init__()
        # The status above its four values: one row would widen the page past 1024 pixels.
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.setAccessibleName(words.label("visit.liver"))
        self.status = Choice(
            words.label("visit.liver.status"),
            words.shown("visit.liver.status"),
            words.window.no_answer["visit.liver.status"],
        )
        column.addWidget(self.status)
        layout = QHBoxLayout()
        column.addLayout(layout)
        self.values: dict[str, Tenths] = {}
        for key, name in self.NAMES.items():
            box = Tenths(words.label(f"visit.liver.{key}"), 100.0)
            box.setMaximumWidth(60)
            label = QLabel(name)
            label.setBuddy(box)
            layout.addWidget(label)
            layout.addWidget(box)
            self.values[key] = box
        layout.addStretch(1)

    def controls(self) -> list[QWidget]:
        return [self.status, *self.values.values()]

    def value(self) -> dict[str, Any] | None:
        status = self.status.value()
        numbers = {key: box.checked() for key, box in self.values.items()}
        if status is None:
            if any(number is not None for number in numbers.values()):
                raise FormError("Liver test: choose done or pending for these values", self.status)
            return None
        if status == "done" and numbers["alt"] is None and numbers["ast"] is None:
            raise FormError("Liver test done: give ALT or AST", self.values["alt"])
        return {"status": status, **numbers}

    def show_value(self, liver: Any) -> None:
        self.status.show_value(None if liver is None else liver["status"])
        for key, box in self.values.items():
            box.show_value(None if liver is None else liver[key])


class VisitForm(QGroupBox):
    """The visit form, in the step. ``index`` is the visit it edits, or None for a new one."""

    def __init__(self, words: CourseWords) -> None:
        super().__init__("Visit")
        self.index: int | None = None

        def label_of(field: str) -> str:
            return words.label(f"visit.{field}")

        def shown(field: str) -> dict[str, str]:
            return words.shown(f"visit.{field}")

        no_answer = words.window.no_answer
        none_text = words.none_of_these
        outer = QVBoxLayout(self)
        form = QFormLayout()
        # A label above its control when the two do not fit side by side (1024x700, 200%).
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        outer.addLayout(form)
        self.infusion = Choice(label_of("infusion"), shown("infusion"), no_answer["visit.infusion"])
        self.day = Number(label_of("day"), 0, 3650)
        self.pain_week = Number(label_of("pain_week"), 0, 10)
        self.pain_before = Number(label_of("pain_before"), 0, 10)
        self.pain_after = Number(label_of("pain_after"), 0, 10)
        self.pgic = Choice(label_of("pgic"), shown("pgic"), no_answer["visit.pgic"])
        self.fiqr = Tenths(label_of("fiqr_total"), 100.0)
        self.bp_before = BloodPressure(words, "visit.bp_before")
        self.bp_peak = BloodPressure(words, "visit.bp_peak")
        self.bp_after = BloodPressure(words, "visit.bp_after")
        self.dissociation = Choice(label_of("dissociation"), shown("dissociation"))
        self.cadss = Number(label_of("cadss_total"), 0, 92)
        self.side_effects = ReviewedChecks(
            label_of("side_effects"), shown("side_effects"), none_text
        )
        self.acceptable = Choice(
            label_of("side_effects_acceptable"), shown("side_effects_acceptable")
        )
        self.item9 = Number(label_of("phq9_item9"), 0, 3)
        self.suicide_risk = Choice(label_of("suicide_risk"), shown("suicide_risk"))
        self.bladder = ReviewedChecks(label_of("bladder"), shown("bladder"), none_text)
        self.misuse = ReviewedChecks(label_of("misuse_signs"), shown("misuse_signs"), none_text)
        self.liver = Liver(words)
        self.screening = Choice(label_of("screening_reviewed"), shown("screening_reviewed"))
        self.dose = Tenths(label_of("dose_mg"), 1000.0)
        self.fields: dict[str, QWidget] = {
            "infusion": self.infusion,
            "day": self.day,
            "pain_week": self.pain_week,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "pgic": self.pgic,
            "fiqr_total": self.fiqr,
            "bp_before": self.bp_before,
            "bp_peak": self.bp_peak,
            "bp_after": self.bp_after,
            "dissociation": self.dissociation,
            "cadss_total": self.cadss,
            "side_effects": self.side_effects,
            "side_effects_acceptable": self.acceptable,
            "phq9_item9": self.item9,
            "suicide_risk": self.suicide_risk,
            "bladder": self.bladder,
            "misuse_signs": self.misuse,
            "liver": self.liver,
            "screening_reviewed": self.screening,
            "dose_mg": self.dose,
        }
        helps = {path.removeprefix("visit."): text for path, text in words.window.help.items()}
        for field, control in self.fields.items():
            name = control.accessibleName() or getattr(control, "name", field)
            label = QLabel(name)  # the program's own words, short enough for one line
            label.setBuddy(control)
            form.addRow(label, control)
            if field in helps:
                form.addRow("", plain_label(helps[field]))
        self.message = plain_label()
        self.message.setAccessibleName("Visit form message")
        self.message.setVisible(False)
        outer.addWidget(self.message)
        buttons = QHBoxLayout()
        self.record = QPushButton("Record the visit")
        self.record.setToolTip("Record the visit (Ctrl+Return)")
        self.cancel = QPushButton("Cancel")
        buttons.addWidget(self.record)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.item9.editingFinished.connect(self._follow_item9)
        self.item9.stepped.connect(self._follow_item9)

    def controls(self) -> list[QWidget]:
        """Every control in the order Tab visits them, ending with the buttons."""
        shown: list[QWidget] = []
        for control in self.fields.values():
            parts = getattr(control, "controls", None)
            shown.extend(parts() if callable(parts) else [control])
        return [*shown, self.record, self.cancel]

    def _follow_item9(self) -> None:
        # The outcome is asked when item 9 is 1 or more, as on the Decision step.
        number = self.item9.number()
        asked = number is not None and number >= 1
        self.suicide_risk.setEnabled(asked)
        self.suicide_risk.setToolTip("" if asked else "Asked when PHQ-9 item 9 is 1 or more.")

    def load(self, index: int | None, visit: Mapping[str, Any] | None, first: bool) -> None:
        """Shows ``visit`` (a dict in the file's form) or an empty form for a new visit;
        ``first``: the course's first visit, which has no PGIC (nothing to compare with)."""
        self.index = index
        self.setTitle("New visit" if visit is None else f"Visit {(index or 0) + 1}")
        data = dict(visit or {})
        for field, control in self.fields.items():
            value = data.get(field)
            if isinstance(control, Number):
                control.show_number(value)
            elif hasattr(control, "show_value"):
                default = (
                    "unknown"
                    if isinstance(control, Choice) and control.findData(None) < 0
                    else None
                )
                control.show_value(default if value is None else value)
        self.pgic.setEnabled(not first)
        self.pgic.setToolTip(
            "Not asked at the first visit: there is no change since the course began yet."
            if first
            else ""
        )
        self._follow_item9()
        self.message.setVisible(False)

    def value(self) -> dict[str, Any]:
        """The visit as the form holds it, without its ``infusion_number``.

        Raises:
            FormError: a value out of its range, a reading half given, no infusion chosen or
                no day.
        """
        if self.infusion.value() is None:
            raise FormError("Infusion: choose given, stopped early or no infusion", self.infusion)
        day = self.day.checked()
        if day is None:
            raise FormError("Day: type the days since the first visit (0 at the first)", self.day)
        visit: dict[str, Any] = {"infusion": self.infusion.value(), "day": day}
        for field, control in self.fields.items():
            if field in visit:
                continue
            if isinstance(control, Number | Tenths):
                visit[field] = control.checked()
            else:
                visit[field] = control.value()  # type: ignore[attr-defined]
        if not self.pgic.isEnabled():
            visit["pgic"] = None
        return visit

    def show_error(self, text: str, control: QWidget | None) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        if control is not None:
            from decision_aid.ui.inputs import focus_as_after_tab

            focus_as_after_tab(control)
