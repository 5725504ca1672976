"""Plain text made safe inside Qt's rich text (labels, the why panel, Help pages)."""

from __future__ import annotations

from typing import Final

_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(text: str) -> str:
    """``text`` with &, <, > and " written as entities, as html.escape does.

    Not html.escape itself: importing the html package (its table of entities) costs the
    window's start-up about 3 ms, and only these four characters matter here.
    """
    return text.translate(_ESCAPES)
