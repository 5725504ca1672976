"""Confirmations where the clinician looks: "saved", "copied", "printed", "exported".

A status bar is at the foot of the window, off the screen when the window does not fit, and
its messages pass in a few seconds. A confirmation shows at the top of the assessment panel,
beside the answers, with a mark, and stays long enough to be read; a new one replaces it.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from decision_aid.ui.markup import set_enum_property

# Ten seconds: long enough to read a line twice, after looking back from the patient.
CONFIRMATION_MS: Final = 10_000


class Confirmation(QLabel):
    """A one-line confirmation that hides itself after ``CONFIRMATION_MS``."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("confirmation")
        self.setAccessibleName("Confirmation")
        self.setWordWrap(True)
        self.setMargin(6)
        # Plain text: a confirmation names a file, whose name comes from the clinician.
        set_enum_property(self, "textFormat", "PlainText")
        self.setStyleSheet(
            "QLabel#confirmation { background: #e8f4ff; color: black; "
            "border: 2px solid #0072b2; font-weight: bold; }"
        )
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CONFIRMATION_MS)
        self.timer.timeout.connect(self.hide)
        self.setVisible(False)

    def show_text(self, text: str) -> None:
        self.setText(f"✓ {text}")
        self.setAccessibleDescription(text)
        self.setVisible(True)
        self.timer.start()
