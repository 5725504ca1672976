"""Plain text made safe inside Qt's rich text (labels, the why panel, Help pages)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(text: str) -> str:
    """``text`` with &, <, > and " written as entities, as html.escape does.

    Not html.escape itself: importing the html package (its table of entities) costs the
    window's start-up about 3 ms, and only these four characters matter here.
    """
    return text.translate(_ESCAPES)


def plain_label(text: str = "") -> QLabel:
    """A word-wrapped label that shows ``text`` as it is, never as rich text.

    QLabel guesses: a text that looks like HTML ("<a href=...>", "<img src=...>") would be
    rendered, links and local images included. Any text that comes from a file (a content
    pack, a consult, an error message naming one) goes through this instead.
    """
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    # Set by name: the Qt namespace's enums are built on first use, which start-up avoids.
    label.setProperty("textFormat", "PlainText")
    label.setWordWrap(True)
    label.setText(text)
    return label
