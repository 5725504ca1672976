"""Walks the real window through thousands of steps (run by test_soak in its own process).

PySide6 6.12 on Python 3.11 drops a reference to None on every call to a Qt method that returns
nothing, and a long session aborts with "Fatal Python error: none_dealloc" (docs/design.md section
2). pytest cannot catch that abort, so this runs as a separate process whose exit code counts.
"""

from __future__ import annotations

import os
import random
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from decision_aid.ui.app import build_window
from decision_aid.ui.questions import (
    ChoiceQuestion,
    ListQuestion,
    NumberQuestion,
    TreatmentsQuestion,
)
from decision_aid.ui.settings import AppSettings


def main(rounds: int, settings_path: str) -> int:
    application = QApplication(sys.argv[:1])
    window = build_window(AppSettings(QSettings(settings_path, QSettings.Format.IniFormat)))
    window.show()
    widgets = [widget for page in window.step_pages for widget in page.questions]
    generator = random.Random(7)
    for round_number in range(rounds):
        widget = generator.choice(widgets)
        if isinstance(widget, ChoiceQuestion):
            generator.choice(list(widget.buttons.values())).setChecked(True)
        elif isinstance(widget, ListQuestion):
            box = generator.choice(list(widget.boxes.values()))
            box.setChecked(not box.isChecked())
        elif isinstance(widget, NumberQuestion):
            # A number in range, or one below it (refused) or none (not known), then leaving
            # the box as Tab does.
            number = generator.randint(widget.low - 1, widget.high)
            widget.spin.lineEdit().setText(str(number) if generator.random() < 0.9 else "")
            widget.spin.editingFinished.emit()
        elif isinstance(widget, TreatmentsQuestion):
            therapy = generator.choice(list(widget.tried))
            widget.tried[therapy].setChecked(not widget.tried[therapy].isChecked())
        if round_number % 3 == 0:
            window.go_to_step(generator.randrange(window.steps.count() - 1))
        if round_number % 50 == 0:
            window.next_button.click()
            window.back_button.click()
            view = generator.choice(window.panel.finding_views)
            view.set_expanded(not view.expanded)
        application.processEvents()
    window.session.mark_saved()
    window.close()
    print(f"soak: {rounds} rounds, final status {window.session.assessment.status.value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2]))
