"""A window that fits the screen it opens on, its frame included (docs/design.md section 7).

``resize`` sets the size inside the frame; the title bar and borders the window manager adds
are outside it. Before the window is shown its frame is not known, so a typical one is
assumed (a title bar and thin borders); once shown, the real one is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QMargins

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# The main window's size where the screen has room, and the least it takes where it has.
WIDTH: Final = 1180
HEIGHT: Final = 760
LEAST_WIDTH: Final = 900
LEAST_HEIGHT: Final = 600
# A window manager's frame as most draw it: a thin border and a title bar.
TYPICAL_BORDER: Final = 4
TYPICAL_TITLE: Final = 30


def frame_margins(window: QWidget) -> QMargins:
    """The frame around ``window``: the window manager's once known, else a typical one."""
    handle = window.windowHandle()
    if handle is not None and window.isVisible():
        margins = handle.frameMargins()
        if not margins.isNull():
            return margins
        frame, inside = window.frameGeometry(), window.geometry()
        if frame != inside:
            return QMargins(
                inside.left() - frame.left(),
                inside.top() - frame.top(),
                frame.right() - inside.right(),
                frame.bottom() - inside.bottom(),
            )
    # A typical frame until the real one is known (checked again once shown). Fixed numbers,
    # not the style's: asking the style means Qt's enums, about 20 ms of every start-up.
    return QMargins(TYPICAL_BORDER, TYPICAL_TITLE + TYPICAL_BORDER, TYPICAL_BORDER, TYPICAL_BORDER)


def fit_window(window: QWidget) -> None:
    """Sizes ``window`` to at most ``WIDTH`` x ``HEIGHT`` and centres it on its screen's free
    area, frame included; its minimum size is lowered where the screen is smaller."""
    width, height = WIDTH, HEIGHT
    available = window.screen().availableGeometry()
    margins = frame_margins(window)
    room_width = available.width() - margins.left() - margins.right()
    room_height = available.height() - margins.top() - margins.bottom()
    width, height = min(width, room_width), min(height, room_height)
    window.setMinimumSize(min(LEAST_WIDTH, room_width), min(LEAST_HEIGHT, room_height))
    window.resize(width, height)
    outer_width = width + margins.left() + margins.right()
    outer_height = height + margins.top() + margins.bottom()
    # move() places the frame's top-left corner.
    window.move(
        available.x() + (available.width() - outer_width) // 2,
        available.y() + (available.height() - outer_height) // 2,
    )


def keep_on_screen(window: QWidget) -> None:
    """Once shown, with its real frame: fits the window again if its frame leaves the free
    area (the frame assumed before it was shown was too small)."""
    if not window.screen().availableGeometry().contains(window.frameGeometry()):
        fit_window(window)
