"""Whether a window can be opened here, asked before Qt is started (docs/design.md section 11).

Qt aborts the whole process, with a core dump, when no platform plugin can start: a
``QT_QPA_PLATFORM`` naming one this installation lacks (``bogus``, or ``wayland`` in the
bundle), or an X display named in ``DISPLAY`` that cannot be reached; no Python code can
catch that. So the program looks for the platform plugins among Qt's files, and asks the X
client library itself (libxcb, which Qt's xcb plugin loads anyway) whether the display
answers, and gives a one-line reason instead. No Qt here: the commands import this too.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import os
import re
import stat
import sys
from pathlib import Path
from typing import Final

# The platforms the window runs on (where they are installed). Others are refused: eglfs,
# linuxfb and vkkhrdisplay take over a console's screen, vnc serves the window over the
# network (which the program never uses), minimal cannot load the pack's fonts.
WINDOW_PLATFORMS: Final = ("xcb", "wayland", "wayland-egl", "offscreen", "windows", "cocoa")
# Platforms where nobody can see or click the window: a message is printed, never shown.
UNATTENDED_PLATFORMS: Final = ("offscreen",)
# A plugin file's platforms, where its file name does not say them all.
_PLUGIN_KEYS: Final = {"wayland": ("wayland", "wayland-egl", "wayland-brcm")}


def requested_platforms() -> list[str]:
    """The platforms ``QT_QPA_PLATFORM`` names, in the order Qt tries them (``wayland;xcb``),
    without their options (``vnc:size=800x600``); empty when it names none."""
    value = os.environ.get("QT_QPA_PLATFORM", "")
    names = (part.split(":", 1)[0].strip().lower() for part in value.split(";"))
    return [name for name in names if name]


def installed_platforms() -> set[str] | None:
    """The Qt platform plugins installed for this program, by the names Qt knows them by;
    None when Qt's plugin folder cannot be found (then Qt is left to say)."""
    folders = [Path(part) / "platforms" for part in _plugin_paths()]
    extra = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if extra:
        folders.append(Path(extra))
    found: set[str] = set()
    seen_any = False
    for folder in folders:
        try:
            names = [entry.name for entry in os.scandir(folder)]
        except OSError:
            continue
        seen_any = True
        for name in names:
            match = re.fullmatch(r"(?:lib)?q(\w[\w-]*?)(?:_debug)?\.(?:so|dll|dylib)", name)
            if match:
                stem = match.group(1).lower()
                found.update(_PLUGIN_KEYS.get(stem, (stem,)))
    return found if seen_any else None


def _plugin_paths() -> list[str]:
    """Where Qt looks for plugins: ``QT_PLUGIN_PATH`` (the bundle sets it), then PySide6's
    own folder, found without importing (and so without starting) Qt."""
    paths = [part for part in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if part]
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            paths.append(os.path.join(location, "Qt", "plugins"))  # Linux, macOS
            paths.append(os.path.join(location, "plugins"))  # Windows
    return paths


def window_platforms() -> list[str]:
    """The platforms the window can use here: installed, and one the window runs on."""
    installed = installed_platforms()
    return [name for name in WINDOW_PLATFORMS if installed is None or name in installed]


def platform_problem() -> str | None:
    """Why no platform ``QT_QPA_PLATFORM`` names can be used, or None (also when it names
    none: Qt's default is the display's, checked by :func:`display_problem`)."""
    requested = requested_platforms()
    if not requested:
        return None
    installed = installed_platforms()
    if installed is None:
        return None
    usable = [name for name in requested if name in installed and name in WINDOW_PLATFORMS]
    if usable:
        return None
    available = ", ".join(window_platforms()) or "none"
    named = ", ".join(repr(name) for name in requested)
    if any(name in installed for name in requested):
        reason = "is not one the window runs on"
    else:
        reason = "is not installed with this program"
    return (
        f"the window cannot start: the Qt platform {named} named by QT_QPA_PLATFORM {reason} "
        f"(available: {available})"
    )


def unattended() -> bool:
    """True when nobody can see or click the window (``QT_QPA_PLATFORM=offscreen``)."""
    requested = requested_platforms()
    return bool(requested) and requested[0] in UNATTENDED_PLATFORMS


def display_problem() -> str | None:
    """Why no window can be opened on this machine's display, or None when one can be.

    A platform named by ``QT_QPA_PLATFORM`` must be installed and one the window runs on; on
    Linux the X11 display (Qt's default) must answer, and with ``QT_QPA_PLATFORM=wayland``
    the compositor's socket must be there. A Wayland session with no platform named,
    Windows and macOS are left to Qt, which does not abort there.
    """
    problem = platform_problem()
    if problem:
        return problem
    installed = installed_platforms()
    requested = [
        name
        for name in requested_platforms()
        if name in WINDOW_PLATFORMS and (installed is None or name in installed)
    ]
    if not requested:
        return _default_platform_problem()
    # Qt tries each in turn (``wayland;xcb``): the first that can start is used.
    problems = [_one_platform_problem(name) for name in requested]
    return None if None in problems else problems[0]


def _one_platform_problem(platform: str) -> str | None:
    if platform.startswith("wayland"):
        return _wayland_problem()
    if platform == "xcb" and sys.platform.startswith("linux"):
        return _x11_problem()
    return None


def _default_platform_problem() -> str | None:
    """Qt's own choice: X11 on Linux, unless a Wayland session is there."""
    if not sys.platform.startswith("linux"):
        return None
    if os.environ.get("WAYLAND_DISPLAY"):
        return None  # Qt will use Wayland
    return _x11_problem()


def _x11_problem() -> str | None:
    display = os.environ.get("DISPLAY", "")
    if not display:
        return (
            "no display to open the window on (DISPLAY is not set); the commands assess, "
            "handout, note and fhir work without one"
        )
    return _x_display_problem(display)


def _wayland_problem() -> str | None:
    """Why Qt's wayland platform cannot reach a compositor, or None: its socket, as Qt finds
    it (``WAYLAND_DISPLAY``, default ``wayland-0``, in ``XDG_RUNTIME_DIR``)."""
    name = os.environ.get("WAYLAND_DISPLAY") or "wayland-0"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    socket = Path(name) if os.path.isabs(name) else Path(runtime) / name
    try:
        is_socket = bool(runtime or os.path.isabs(name)) and stat.S_ISSOCK(os.stat(socket).st_mode)
    except OSError:
        is_socket = False
    if is_socket:
        return None
    where = f"at {socket}" if runtime or os.path.isabs(name) else "as XDG_RUNTIME_DIR is not set"
    return (
        f"the Wayland display {name!r} cannot be reached (no compositor's socket {where}); "
        "the commands assess, handout, note and fhir work without one"
    )


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
