"""Reference (a) of docs/design.md section 10: pydantic validates a one-field model, then an empty
PySide6 QMainWindow is shown, events are processed once, and the program quits."""

import sys

from pydantic import BaseModel


class One(BaseModel):
    value: int


One.model_validate({"value": 1})

from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

app = QApplication(sys.argv)
window = QMainWindow()
window.show()
app.processEvents()
sys.exit(0)
