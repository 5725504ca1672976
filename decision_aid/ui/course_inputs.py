"""Small controls of the Course step's forms, each with an explicit unknown (docs/design.md
sections 7 and 13): a list box whose first entry is "unknown" or "not recorded", a number box
that reads back None when empty, a box of tenths, and a reviewed list of check boxes that
tells "not asked" (nothing ticked) from "none of these"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QVBoxLayout, QWidget

from decision_aid.ui.inputs import NOT_KNOWN, ListBox, NumberBox

if TYPE_CHECKING:
    from collections.abc import Mapping


class FormError(ValueError):
    """A value the form refuses, with the control to go back to."""

    def __init__(self, message: str, control: QWidget) -> None:
        super().__init__(message)
        self.control = control


class Choice(ListBox):
    """A list box of ``options`` (value: words); the value None when ``none_text`` is given
    and chosen."""

    def __init__(self, name: str, options: Mapping[str, str], none_text: str | None = None):
        super().__init__()
        self.setAccessibleName(name)
        # As wide as about 18 characters whatever its longest answer: the form must fit a
        # 1024-pixel window beside the steps and the assessment; the list opens wider.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)
        if none_text is not None:
            self.addItem(none_text, None)
        for value, words in options.items():
            self.addItem(words, value)

    def value(self) -> str | None:
        data = self.currentData()
        return None if data is None else str(data)

    def show_value(self, value: object) -> None:
        shown = None if value is None else str(getattr(value, "value", value))
        index = self.findData(shown) if shown is not None else 0
        self.setCurrentIndex(max(0, index))


class Number(NumberBox):
    """Digits between ``low`` and ``high``, or empty for not known; a number out of range is
    refused by the form with the range in words."""

    def __init__(self, name: str, low: int, high: int) -> None:
        super().__init__(low, high)
        self.name = name
        self.setAccessibleName(name)

    def checked(self) -> int | None:
        number = self.number()
        if number is not None and not self.low <= number <= self.high:
            raise FormError(f"{self.name}: from {self.low} to {self.high}", self)
        return number


class Tenths(QLineEdit):
    """A number with at most one decimal (FIQR total, a liver value as a multiple of the upper
    limit of normal), or empty for not known."""

    def __init__(self, name: str, high: float) -> None:
        super().__init__()
        self.name, self.high = name, high
        self.setAccessibleName(name)
        self.setPlaceholderText(NOT_KNOWN)
        self.setMaximumWidth(120)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,4}(\.\d?)?$")))

    def checked(self) -> float | None:
        text = self.text().strip().rstrip(".")
        if not text:
            return None
        value = float(text)
        if value > self.high:
            raise FormError(f"{self.name}: from 0 to {self.high:g}", self)
        return value

    def show_value(self, value: float | None) -> None:
        self.setText("" if value is None else f"{value:g}")


class ReviewedChecks(QWidget):
    """Check boxes for a list answer: nothing ticked is "not asked" (None), "None of these"
    is an empty list, and ticking an item clears "None of these" (``none_text``, the pack's
    words for it)."""

    def __init__(self, name: str, options: Mapping[str, str], none_text: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.none = QCheckBox(none_text[:1].upper() + none_text[1:])
        self.none.setAccessibleName(f"{name}: {none_text}")
        layout.addWidget(self.none)
        self.boxes: dict[str, QCheckBox] = {}
        for value, words in options.items():
            box = QCheckBox(words)
            box.setAccessibleName(f"{name}: {words}")
            box.toggled.connect(self._item_toggled)
            layout.addWidget(box)
            self.boxes[value] = box
        self.none.toggled.connect(self._none_toggled)

    def controls(self) -> list[QWidget]:
        return [self.none, *self.boxes.values()]

    def _none_toggled(self, checked: bool) -> None:
        if checked:
            for box in self.boxes.values():
                box.setChecked(False)

    def _item_toggled(self, checked: bool) -> None:
        if checked:
            self.none.setChecked(False)

    def value(self) -> list[str] | None:
        chosen = [value for value, box in self.boxes.items() if box.isChecked()]
        if chosen:
            return chosen
        return [] if self.none.isChecked() else None

    def show_value(self, value: list[object] | None) -> None:
        chosen = {str(getattr(item, "value", item)) for item in value or ()}
        for key, box in self.boxes.items():
            box.setChecked(key in chosen)
        self.none.setChecked(value is not None and not chosen)
