"""Answer controls that change only under the clinician's eyes (issue 23, design section 7).

- The mouse wheel never changes an answer: over a number box or a list box, focused or not,
  it scrolls the page. Qt passes an ignored wheel event on to the parents only when it came
  from the window system, so these boxes hand it to their scroll area themselves.
- A number box is a text of digits, with its unit beside it rather than inside: a click, a
  double-click, Tab or a shortcut all leave it ready to take typed digits over the number;
  arrows step it within its range. What the digits mean (in range, kept, refused) is decided
  by the question (``questions.NumberQuestion``), not by the box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QValidator, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox

from decision_aid.ui.markup import set_enum_property

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent, QKeyEvent
    from PySide6.QtWidgets import QWidget

NOT_KNOWN = "not known"


def scroll_the_page(widget: QWidget, event: QWheelEvent) -> None:
    """Gives a wheel event over ``widget`` to the scroll area around it, and never to the
    widget itself; with no scroll area around it, nothing happens."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    if parent is None:
        event.ignore()
        return
    viewport = parent.viewport()
    position = viewport.mapFromGlobal(event.globalPosition().toPoint())
    passed = QWheelEvent(
        position.toPointF(),
        event.globalPosition(),
        event.pixelDelta(),
        event.angleDelta(),
        event.buttons(),
        event.modifiers(),
        event.phase(),
        event.inverted(),
    )
    QApplication.sendEvent(viewport, passed)
    # Accepted here: the window system's event must not also reach the page a second time.
    event.accept()


class ListBox(QComboBox):
    """A list box whose value the wheel never changes; the page scrolls instead. Clicks and
    arrows choose, as in any list box."""

    def __init__(self) -> None:
        super().__init__()
        # A click or Tab gives it the keyboard; the wheel does not (Qt's default WheelFocus).
        set_enum_property(self, "focusPolicy", "StrongFocus")

    def wheelEvent(self, event: QWheelEvent) -> None:  # Qt's name
        scroll_the_page(self, event)


class NumberBox(QAbstractSpinBox):
    """Digits, or nothing for "not known", between ``low`` and ``high`` for the arrows.

    Any run of digits can be typed (so that 150 is seen whole and refused, never cut to 15);
    anything else is not taken. A click into a box that does not have the keyboard selects
    its number, so that typed digits replace it as after Tab; a double-click selects the
    number (the unit is not part of the text). Up, Down, PageUp and PageDown step the number
    within the range and emit ``stepped``; Return and leaving the box emit ``editingFinished``.
    """

    stepped = Signal()

    def __init__(self, low: int, high: int) -> None:
        super().__init__()
        self.low, self.high = low, high
        set_enum_property(self, "focusPolicy", "StrongFocus")  # not by the wheel
        # Qt's own interpretation of the text is for its number boxes; this one has none.
        self.setKeyboardTracking(False)
        edit = self.lineEdit()
        edit.setPlaceholderText(NOT_KNOWN)
        edit.setMaxLength(6)
        edit.installEventFilter(self)
        # Qt gives the focus before it delivers the press: a press just after the focus came
        # is the click that brought it.
        self._fresh_focus = False
        self._select_on_release = False
        self.setMinimumWidth(edit.fontMetrics().horizontalAdvance(NOT_KNOWN) + 48)
        self.setMaximumWidth(180)

    def number(self) -> int | None:
        """The number shown, or None when the box is empty ("not known")."""
        text = self.text().strip()
        return int(text) if text else None

    def show_number(self, number: int | None) -> None:
        text = "" if number is None else str(number)
        if self.text() != text:  # setting the same text would move the cursor
            self.lineEdit().setText(text)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:  # Qt's name
        digits = text.strip()
        if not digits or (digits.isascii() and digits.isdigit()):
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Invalid, text, pos

    def fixup(self, text: str) -> str:  # Qt's name: nothing to correct
        return text

    def stepBy(self, steps: int) -> None:  # Qt's name
        current = self.number()
        if current is None:
            if steps < 0:
                return  # "not known" is left by typing or by Up, never guessed downwards
            target = self.low
        else:
            target = min(self.high, max(self.low, current + steps))
        self.show_number(target)
        self.selectAll()
        self.stepped.emit()

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:  # Qt's name
        flags = QAbstractSpinBox.StepEnabledFlag
        current = self.number()
        enabled = flags.StepNone
        if current is None or current < self.high:
            enabled |= flags.StepUpEnabled
        if current is not None and current > self.low:
            enabled |= flags.StepDownEnabled
        return enabled

    def wheelEvent(self, event: QWheelEvent) -> None:  # Qt's name
        scroll_the_page(self, event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # Qt's name
        self._fresh_focus = True
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        self._fresh_focus = False
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        kind = event.type()
        if kind == QEvent.Type.Wheel:  # the text under the pointer gets the wheel first
            scroll_the_page(self, event)  # type: ignore[arg-type]
            return True
        if kind == QEvent.Type.MouseButtonPress:
            # A click that brings the keyboard here selects the number: digits replace it.
            self._select_on_release, self._fresh_focus = self._fresh_focus, False
        elif kind == QEvent.Type.MouseButtonRelease and self._select_on_release:
            self._select_on_release = False
            edit = self.lineEdit()
            edit.event(event)
            if not edit.hasSelectedText():
                edit.selectAll()
            return True
        return super().eventFilter(watched, event)


def show_from_top(page: QWidget | None, control: QWidget | None) -> None:
    """Scrolls a step's page to its top, then ``control`` (its first question) into view."""
    if not isinstance(page, QAbstractScrollArea):
        return
    page.verticalScrollBar().setValue(0)
    page.horizontalScrollBar().setValue(0)
    from PySide6.QtWidgets import QScrollArea

    if control is not None and isinstance(page, QScrollArea):
        page.ensureWidgetVisible(control)


def focus_as_after_tab(widget: QWidget | None) -> None:
    """Focuses a control as Tab does: a number box selects its text and the focus frame
    shows."""
    if widget is None:
        return
    from PySide6.QtCore import Qt  # not at start-up (see markup.set_enum_property)

    widget.setFocus(Qt.FocusReason.TabFocusReason)
    # And the frame shows, as after Tab: Qt draws it only once the keyboard moved the focus.
    widget.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
