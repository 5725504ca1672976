"""A consult with the keyboard alone in a real X window, and a screenshot of every step.

Run under Xvfb (no mouse, no window manager), from the checkout:

    xvfb-run -s "-screen 0 1280x800x24" .venv/bin/python tools/keyboard_walkthrough.py \
        resources/examples/may-discuss.consult.json /tmp/walkthrough

It answers every step as the consult file says (tests/gui/keyboard.py), at 1024x700, saves
``step-N.png`` after each step, and ``review.png`` with the handout preview and a finding's
reason opened from the keyboard; then prints what it checked.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolButton

from decision_aid.files import read_consult_file
from decision_aid.ui.app import build_window
from decision_aid.ui.settings import AppSettings
from tests.gui.keyboard import answer_consult, focused, in_window_order, press

WIDTH, HEIGHT = 1024, 700


def main(consult_path: str, out: str) -> int:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    application = QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp()) / "settings.ini"
    window = build_window(AppSettings(QSettings(str(scratch), QSettings.Format.IniFormat)))
    window.resize(WIDTH, HEIGHT)
    window.show()
    window.activateWindow()
    if not QTest.qWaitForWindowActive(window):
        print("the window did not become active", file=sys.stderr)
        return 1
    expected = read_consult_file(Path(consult_path))

    def shoot(row: int) -> None:
        application.processEvents()
        window.grab().save(str(folder / f"step-{row + 1}.png"))

    answer_consult(window, expected, shoot)
    # On Review: Tab on from the page until a finding's disclosure button, open its why.
    for _ in range(60):
        if isinstance(focused(), QToolButton) and focused().isCheckable():
            break
        press(Qt.Key.Key_Tab)
    opened = isinstance(focused(), QToolButton) and focused().isCheckable()
    if opened:
        press(Qt.Key.Key_Space)
    # QPdfView draws its pages in the background: give it a moment before the picture.
    QTest.qWait(1500)
    window.grab().save(str(folder / "review.png"))
    print(f"window {window.width()}x{window.height()}, platform {application.platformName()}")
    print(f"answers match the file: {window.session.consult == in_window_order(expected)}")
    print(f"status: {window.session.assessment.status.value}; why opened by keyboard: {opened}")
    print(f"screenshots in {folder}")
    window.session.mark_saved()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
