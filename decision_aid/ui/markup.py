"""Plain text made safe inside Qt's rich text (labels, the why panel, Help pages), and Qt
enum properties set by name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
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
    set_enum_property(label, "textFormat", "PlainText")
    label.setWordWrap(True)
    label.setText(text)
    return label


def set_enum_property(widget: QObject, name: str, value: str) -> None:
    """Sets a Qt enum property by the names of the property and of the value, checked.

    By name, as in ``setProperty("focusPolicy", "NoFocus")``: PySide builds all ~120 enums of
    Qt's namespace on the first use of any of them, about 20 ms of start-up (bench/README.md),
    and a name needs none of them. But a bare setProperty fails silently on a typo: an unknown
    property becomes a new dynamic one, and an unknown value is not written. So the property
    must be one the class declares, of an enum type, and the write must have taken effect:
    setProperty reports whether Qt turned the key into one of the enum's values. The value is
    not read back: PySide converts an enum property to Python through that very namespace.

    Raises:
        ValueError: naming the property and the value, when any of these does not hold.
    """
    meta = widget.metaObject()
    index = meta.indexOfProperty(name)
    if index < 0:
        raise ValueError(f"{meta.className()} has no property {name!r} (to set to {value!r})")
    prop = meta.property(index)
    if not prop.isEnumType():
        raise ValueError(f"{meta.className()}.{name} is not an enum property (for {value!r})")
    # True only when a declared property was written: Qt turns the key into the enum's value
    # and refuses a key the enum does not have.
    if not widget.setProperty(name, value):
        raise ValueError(f"{meta.className()}.{name} cannot be set to {value!r}")
