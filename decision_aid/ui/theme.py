"""Readable in a dark palette (docs/design.md section 7).

Qt's Fusion style draws a radio button's ring and a check box's frame a shade darker than the
window: on a dark window that is about 1.2:1, a ring a reader cannot find. When the palette is
dark, the indicators are drawn instead with the palette's own text and base colours, which a
dark palette keeps far apart (WCAG asks 3:1 for the parts of a control). A light palette is
left as Qt draws it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QPalette

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

# A window colour darker than this lightness (0-255) is a dark palette.
_DARK_BELOW = 128


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < _DARK_BELOW


def indicator_style(palette: QPalette) -> str:
    """The style sheet of radio and check indicators in the palette's text and base colours:
    an open ring or box when unchecked, filled when checked."""
    text = palette.color(QPalette.ColorRole.WindowText).name()
    base = palette.color(QPalette.ColorRole.Base).name()
    return (
        "QRadioButton::indicator, QCheckBox::indicator {"
        f" width: 12px; height: 12px; border: 2px solid {text}; background: {base}; }}"
        " QRadioButton::indicator { border-radius: 8px; }"
        " QRadioButton::indicator:checked {"
        " background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5,"
        f" stop: 0 {text}, stop: 0.55 {text}, stop: 0.65 {base}, stop: 1 {base}); }}"
        " QCheckBox::indicator { border-radius: 2px; }"
        # A ticked box is filled, an open box is empty: told apart at a glance.
        f" QCheckBox::indicator:checked {{ background: {text}; }}"
    )


def apply_readable_indicators(application: QApplication) -> bool:
    """Draws the indicators readably when the application's palette is dark; says whether it
    did."""
    if not is_dark(application.palette()):
        return False
    application.setStyleSheet(application.styleSheet() + indicator_style(application.palette()))
    return True
