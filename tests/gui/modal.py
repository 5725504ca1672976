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


@contextlib.contextmanager
def when_modals(*steps: Callable[[QDialog], None], timeout: float = TIMEOUT_S) -> Iterator[None]:
    """As ``when_modal``, for modal dialogs that open one after another inside the block (a
    save dialog, then its "replace?" question): ``steps[n]`` runs on the n-th dialog shown.

    Raises:
        AssertionError: fewer dialogs were shown than there are steps, or a step left its
            dialog open.
    """
    problems: list[BaseException | str] = []
    seen: list[QDialog] = []  # kept, so that no new dialog can reuse a closed one's id
    give_up = time.monotonic() + timeout
    timer = QTimer()
    timer.setInterval(POLL_MS)

    def poll() -> None:
        nonlocal give_up
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible() and dialog not in seen:
            seen.append(dialog)
            if len(seen) > len(steps) or problems:
                # Polling goes on to the block's end: a dialog no step expects is closed.
                problems.append(f"dialog {len(seen)} was not expected: {dialog.windowTitle()}")
            else:
                try:
                    steps[len(seen) - 1](dialog)
                except BaseException as error:
                    problems.append(error)
                if dialog.isVisible() and not problems:
                    problems.append(f"step {len(seen)} left the dialog open")
            if dialog.isVisible():
                dialog.reject()
            give_up = time.monotonic() + timeout
        elif len(seen) < len(steps) and time.monotonic() > give_up:
            give_up = float("inf")
            problems.append(f"dialog {len(seen) + 1} was not shown within {timeout} s")
            if isinstance(dialog, QDialog):
                dialog.reject()

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
    assert len(seen) == len(steps), f"{len(seen)} of {len(steps)} dialogs were shown"
