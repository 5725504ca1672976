"""The Course step's modal questions, each behind a small function that returns a plain value,
so that tests replace them (docs/design.md section 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from PySide6.QtWidgets import QWidget


def confirm_remove_visit(parent: QWidget, number: int) -> bool:
    """Asks before the last visit is removed; True to remove it."""
    from PySide6.QtWidgets import QMessageBox

    from decision_aid.ui.dialogs import plain_message_box

    buttons = QMessageBox.StandardButton
    box = plain_message_box(parent, "Remove the visit?", f"Remove visit {number}?", warning=True)
    box.setInformativeText("Its answers are lost unless the consult file keeps them.")
    box.setStandardButtons(buttons.Yes | buttons.No)
    box.button(buttons.Yes).setText("Remove")
    box.setDefaultButton(buttons.No)
    box.setEscapeButton(buttons.No)
    return box.exec() == buttons.Yes


def ask_course_end(parent: QWidget, reasons: Mapping[str, str]) -> str | None:
    """Asks why the course ends, offering ``reasons`` (value: the pack's words); the reason's
    value, or None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    labels = list(reasons.values())
    chosen, accepted = QInputDialog.getItem(
        parent, "End the course", "Why does the course end?", labels, 0, False
    )
    if not accepted:
        return None
    return next(value for value, label in reasons.items() if label == chosen)
