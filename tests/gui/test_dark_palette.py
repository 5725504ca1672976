"""Readable in a dark palette (docs/design.md section 7): a radio ring and a Stop finding's
frame keep 3:1 against what is behind them (WCAG's contrast for the parts of a control)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QRadioButton

from decision_aid.ui.theme import apply_readable_indicators, is_dark
from tests.helpers import EXAMPLES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from decision_aid.ui.main_window import MainWindow

DARK = {
    QPalette.ColorRole.Window: "#353535",
    QPalette.ColorRole.WindowText: "#ffffff",
    QPalette.ColorRole.Base: "#252525",
    QPalette.ColorRole.AlternateBase: "#353535",
    QPalette.ColorRole.Text: "#ffffff",
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#ffffff",
}


def luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        share = value / 255
        return share / 12.92 if share <= 0.03928 else ((share + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(first: QColor, second: QColor) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def best_contrast(image: QImage, columns: range, background: QColor) -> float:
    return max(
        contrast(QColor(image.pixel(x, y)), background)
        for x in columns
        for y in range(image.height())
    )


@pytest.fixture
def dark(qapp: QApplication) -> Iterator[None]:
    palette, sheet = qapp.palette(), qapp.styleSheet()
    dark_palette = QPalette(palette)
    for role, colour in DARK.items():
        dark_palette.setColor(role, QColor(colour))
    qapp.setPalette(dark_palette)
    try:
        yield
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)


def test_a_light_palette_is_left_as_qt_draws_it(qapp: QApplication) -> None:
    assert not is_dark(qapp.palette())
    sheet = qapp.styleSheet()
    assert apply_readable_indicators(qapp) is False
    assert qapp.styleSheet() == sheet


def test_radio_rings_and_a_stop_frame_stand_out_in_a_dark_palette(
    dark: None, qapp: QApplication, make_window: Callable[[], MainWindow]
) -> None:
    assert apply_readable_indicators(qapp) is True
    window = make_window()
    window.open_path(EXAMPLES / "not-advised-active-substance-use.consult.json")
    window.go_to_step(0)
    background = QColor(DARK[QPalette.ColorRole.Window])
    radio = next(
        button for button in window.page(0).findChildren(QRadioButton) if button.isVisible()
    )
    image = radio.grab().toImage()
    # The indicator is the leftmost part of the button, before its text.
    ring = best_contrast(image, range(min(14, image.width())), background)
    assert ring >= 3, f"radio ring {ring:.2f}:1"
    stop = next(view for view in window.panel.finding_views if view.finding.level == "stop")
    frame = stop.grab().toImage()
    edge = best_contrast(frame, range(2), QColor(DARK[QPalette.ColorRole.Window]))
    assert edge >= 3, f"stop frame {edge:.2f}:1"
