"""Driving a real modal dialog from a test without a fixed timer and without a hang.

A dialog's ``exec()`` blocks the test until the dialog closes, so what closes it must already
be waiting in Qt's event loop. A single-shot timer fired at a guessed moment may fire before
the dialog is shown, and an error in it leaves the dialog open and the run hung. Here the
dialog is polled for until it is the active modal widget; whatever the step raises, and a
dialog that never comes, closes it and fails the test.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# Polling, not a guess: 10 ms keeps a test quick; 10 s is far beyond a dialog's opening.
POLL_MS = 10
TIMEOUT_S = 10.0


@contextlib.contextmanager
def when_modal(step: Callable[[QDialog], None], timeout: float = TIMEOUT_S) -> Iterator[None]:
    """Runs ``step(dialog)`` once a modal dialog opened inside the ``with`` block is shown.

    The step should accept or reject the dialog. If it raises, or leaves the dialog open, or
    no modal dialog is shown within ``timeout`` seconds, the dialog is rejected (so that its
    ``exec()`` returns) and the block fails with the reason.

    Raises:
        AssertionError: no modal dialog was shown, or the step left it open.
    """
    problems: list[BaseException | str] = []
    done: list[bool] = []
    give_up = time.monotonic() + timeout
    timer = QTimer()
    timer.setInterval(POLL_MS)

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            timer.stop()
            done.append(True)
            try:
                step(dialog)
            except BaseException as error:
                # Raised here it would only be printed by Qt: kept for the test to raise.
                problems.append(error)
            if dialog.isVisible():
                if not problems:
                    problems.append("the step left the dialog open")
                dialog.reject()
        elif time.monotonic() > give_up:
            timer.stop()
            problems.append(f"no modal dialog was shown within {timeout} s")
            if dialog is not None:
                dialog.close()

    timer.timeout.connect(poll)
    timer.start()
    try:
        yield
    finally:
        timer.stop()
    for problem in problems:
        if isinstance(problem, BaseException):
            raise problem
        raise AssertionError(problem)
    assert done, "no modal dialog was opened in the block"
