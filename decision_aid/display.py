"""Whether a window can be opened here, asked before Qt is started (docs/design.md section 11).

Qt's xcb platform aborts the whole process, with a core dump, when the X display named in
``DISPLAY`` cannot be reached, and no Python code can catch that. So the program asks the
X client library itself (libxcb, which Qt's xcb plugin loads anyway) whether the display
answers, and gives a one-line reason instead. No Qt here: the commands import this too.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys


def display_problem() -> str | None:
    """Why no window can be opened on this machine's display, or None when one can be.

    Only Linux's X11 is checked: another platform chosen with ``QT_QPA_PLATFORM`` (offscreen,
    wayland), Wayland sessions, Windows and macOS are left to Qt, which does not abort there.
    """
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or (platform and not platform.startswith("xcb")):
        return None
    if os.environ.get("WAYLAND_DISPLAY") and not platform:
        return None  # Qt will use Wayland
    display = os.environ.get("DISPLAY", "")
    if not display:
        return (
            "no display to open the window on (DISPLAY is not set); the commands assess, "
            "handout, note and fhir work without one"
        )
    return _x_display_problem(display)


def _x_display_problem(display: str) -> str | None:
    name = ctypes.util.find_library("xcb") or "libxcb.so.1"
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return "the window cannot start: the X11 client library libxcb is not installed"
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.restype = None
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    # xcb_connect never returns NULL: a failed connection is an object that says so.
    connection = xcb.xcb_connect(display.encode(errors="replace"), None)
    try:
        failed = xcb.xcb_connection_has_error(connection)
    finally:
        xcb.xcb_disconnect(connection)
    if failed:
        return (
            f"the display {display!r} named by DISPLAY cannot be reached (no X server answers "
            "there); the commands assess, handout, note and fhir work without one"
        )
    return None
