"""Screenshots of the Help windows and the Settings dialog, for a look at their layout.

Run from the checkout (offscreen, no display needed):

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/help_screenshots.py /tmp

It opens About, Rules, Evidence and Settings beside a 1024x700 main window and saves
``help-about.png``, ``help-rules.png``, ``help-evidence.png``, ``help-rules-found.png``
and ``help-evidence-found.png`` (after a search) and ``help-settings.png`` in the folder given.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from decision_aid.ui import dialogs
from decision_aid.ui.app import build_window
from decision_aid.ui.help import about_html, evidence_html, rules_html
from decision_aid.ui.settings import AppSettings


def main(out: str) -> int:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    application = QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp()) / "settings.ini"
    window = build_window(AppSettings(QSettings(str(scratch), QSettings.Format.IniFormat)))
    window.resize(1024, 700)
    window.show()
    QTest.qWait(100)
    for name, title, html in (
        ("about", "About decision-aid", about_html(window.session)),
        ("rules", "Rules", rules_html(window.session)),
        ("evidence", "Evidence library", evidence_html(window.session)),
    ):
        document = dialogs.show_document(window, title, html)
        QTest.qWait(100)
        document.grab().save(str(folder / f"help-{name}.png"))
        searched = {"rules": "benzodiazepine", "evidence": "What the program may say"}
        if name in searched:
            field = document.findChild(QLineEdit, "find")
            field.setText(searched[name])
            field.returnPressed.emit()
            application.processEvents()
            document.grab().save(str(folder / f"help-{name}-found.png"))
    dialog, _ = dialogs.settings_dialog(window, window.settings.clinic())
    dialog.show()
    QTest.qWait(100)
    dialog.grab().save(str(folder / "help-settings.png"))
    print(f"settings dialog {dialog.width()}x{dialog.height()}; screenshots in {folder}")
    window.session.mark_saved()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
