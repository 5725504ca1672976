"""Printing the handout through a real CUPS server to a cups-pdf printer (tests/gui/cups.py).

Real input: Ctrl+P on the shown window, and the system print dialog (Qt's QPrintDialog, as
the clinician sees it) driven with tests/gui/modal.py: the printer chosen in its printer list,
its choices made in its own fields, then Return. What cups-pdf writes is what a printer would
have put on paper: its text (pdftotext), its page size (pdfinfo) and its size are checked
against the handout's own PDF.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from typing import TYPE_CHECKING, Any, cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageRanges
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QMessageBox, QPushButton, QRadioButton, QSpinBox

from decision_aid.ui import dialogs, printing
from tests.gui import cups
from tests.gui.modal import when_modal
from tests.helpers import EXAMPLES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from PySide6.QtWidgets import QDialog, QWidget

    from decision_aid.ui.main_window import MainWindow
    from tests.gui.cups import CupsPdf

# Every test here prints to the same queues: one test process runs them all, so that a new
# job on a queue is this test's.
# Qt's offscreen platform (the tests' own) cannot size a dialog's native window: it says so.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("cups"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]

SAFE_EXAMPLE = EXAMPLES / "may-discuss.consult.json"


@pytest.fixture(autouse=True)
def _one_printing_test_at_a_time() -> Iterator[None]:
    with cups.one_printing_test_at_a_time():
        yield


# The real dialogs, before tests/gui/conftest.py replaces them for every test.
ASK_PRINTER = dialogs.ask_printer
SHOW_MESSAGE = dialogs.show_message
SYMBOLS = str.maketrans(dict.fromkeys("•☐", " "))
PAGE_SIZES = {"letter": "612 x 792 pts (letter)", "a4": "595 x 842 pts (A4)"}


def _listed(queue: str, which: str) -> set[str]:
    listed = subprocess.run(
        ["lpstat", "-W", which, "-o", queue],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
        check=False,
    ).stdout
    return {line.split()[0] for line in listed.splitlines() if line.strip()}


def jobs(queue: str, settle_s: float = 30) -> set[str]:
    """Every job the queue has had, once none is still being printed: a job of the test
    before whose file is written but whose state is not yet "completed" is missing from
    lpstat's lists for a moment, and would count as this test's."""
    deadline = time.monotonic() + settle_s
    while _listed(queue, "not-completed") and time.monotonic() < deadline:
        time.sleep(0.1)
    return _listed(queue, "all")


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """The PDF's words in reading order. cups-pdf's Ghostscript keeps the handout's symbol
    glyphs on the page (bullets, tick boxes: seen in its pages as pictures) but not their
    Unicode, so pdftotext reads no text for them there: they are left out of both texts."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    text = subprocess.run(
        ["pdftotext", "-raw", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.translate(SYMBOLS).split())


def pdf_info(path: Path) -> dict[str, str]:
    said = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(re.findall(r"^([^:]+):\s*(.*)$", said.stdout, re.MULTILINE))


def child[Widget: QWidget](dialog: QDialog, kind: type[Widget], name: str) -> Widget:
    found = dialog.findChild(kind, name)
    assert found is not None, f"the print dialog has no {kind.__name__} {name}"
    return found


def choose_printer(name: str, *, pages: tuple[int, int] | None = None) -> Callable[[QDialog], None]:
    """The print dialog's step: pick ``name`` in its printer list (and, given ``pages``, click
    "Pages from" and type the first and last page), then press Return, as the clinician
    would."""

    def step(dialog: QDialog) -> None:
        printers = child(dialog, QComboBox, "printers")
        offered = [printers.itemText(index) for index in range(printers.count())]
        assert name in offered, f"{name} is not offered: {offered}"
        printers.setCurrentIndex(offered.index(name))
        if pages is not None:
            # The page range is among the options, shown with the "Options >>" button.
            (more,) = [
                button
                for button in dialog.findChildren(QPushButton)
                if button.text().replace("&", "").startswith("Options")
            ]
            QTest.mouseClick(more, Qt.MouseButton.LeftButton)
            QTest.mouseClick(child(dialog, QRadioButton, "printRange"), Qt.MouseButton.LeftButton)
            for field, page in zip(("from", "to"), pages, strict=True):
                box = child(dialog, QSpinBox, field)
                assert box.isVisible(), f"the {field} box is not shown"
                assert box.isEnabled(), f"the {field} box cannot be used"
                box.setFocus()
                QTest.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
                QTest.keyClicks(box, str(page))
        QTest.keyClick(dialog, Qt.Key.Key_Return)

    return step


def press_ctrl_p(window: MainWindow) -> None:
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_ctrl_p_sends_the_handout_pdf_itself_on_its_own_paper(
    window: MainWindow,
    cups_pdf: CupsPdf,
    paper: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dialogs, "ask_printer", ASK_PRINTER)
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    window.open_path(SAFE_EXAMPLE)
    window.review.set_paper(paper)
    assert window.session.answer("decision.handout") is None
    before = jobs(cups_pdf.printer)

    with when_modal(choose_printer(cups_pdf.printer)):
        press_ctrl_p(window)

    new = jobs(cups_pdf.printer) - before - cups.TAKEN
    assert len(new) == 1, f"one job was expected on {cups_pdf.printer}, not {sorted(new)}"
    printed = cups_pdf.take(new.pop(), tmp_path)
    handout = tmp_path / "handout.pdf"
    handout.write_bytes(window.review.handout_pdf())
    # The text is text, the handout's own; the page is the handout's paper, not the
    # printer's default (A4 for this queue); the job is the PDF, not pictures of its pages.
    assert _ascii_words(pdf_text(printed)) == _ascii_words(pdf_text(handout))
    assert pdf_info(printed)["Pages"] == pdf_info(handout)["Pages"]
    assert pdf_info(printed)["Page size"] == PAGE_SIZES[paper]
    assert printed.stat().st_size < 2 * handout.stat().st_size
    assert handout.stat().st_size < 2 * printed.stat().st_size
    # Given, on this paper; said where the clinician looks; no file left behind.
    given = window.session.consult.decision.handout
    assert given is not None
    assert given.paper.value == paper
    assert cups_pdf.printer in window.statusBar().currentMessage()
    assert list(folder.iterdir()) == []


def test_the_page_range_chosen_in_the_dialog_is_printed(
    window: MainWindow, cups_pdf: CupsPdf, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "ask_printer", ASK_PRINTER)
    window.open_path(SAFE_EXAMPLE)
    before = jobs(cups_pdf.printer)

    with when_modal(choose_printer(cups_pdf.printer, pages=(2, 3))):
        press_ctrl_p(window)

    (job,) = jobs(cups_pdf.printer) - before - cups.TAKEN
    printed = cups_pdf.take(job, tmp_path)
    handout = tmp_path / "handout.pdf"
    handout.write_bytes(window.review.handout_pdf())
    assert pdf_info(printed)["Pages"] == "2"
    assert pdf_text(printed) == pdf_text(handout, 2, 3)


def test_a_refused_job_names_the_printer_and_gives_no_handout(
    window: MainWindow, cups_pdf: CupsPdf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "ask_printer", ASK_PRINTER)
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda parent, title, text: errors.append((title, text))
    )
    window.open_path(SAFE_EXAMPLE)

    with when_modal(choose_printer(cups_pdf.refusing)):
        press_ctrl_p(window)

    assert len(errors) == 1
    title, text = errors[0]
    assert title == "The handout was not printed"
    assert f"The printer {cups_pdf.refusing} did not take the handout" in text
    assert "not accepting jobs" in text
    assert text.endswith("The consult is unchanged.")
    assert window.session.consult.decision.handout is None
    assert not window.session.modified


def test_no_printer_installed_is_said_plainly_and_nothing_is_written(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No print service answers: CUPS stopped, as on a machine where none was set up.
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cups-here.sock"))
    monkeypatch.setattr(dialogs, "ask_printer", ASK_PRINTER)
    monkeypatch.setattr(dialogs, "show_message", SHOW_MESSAGE)
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    window.open_path(SAFE_EXAMPLE)
    said: list[str] = []

    def read_and_close(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox), f"{type(dialog).__name__} opened instead"
        said.append(dialog.text())
        QTest.keyClick(dialog, Qt.Key.Key_Return)

    with when_modal(read_and_close):
        press_ctrl_p(window)

    assert said == [printing.NO_PRINTER]
    assert window.session.consult.decision.handout is None
    assert not window.session.modified
    assert list(folder.iterdir()) == []


class AsTheDialogLeavesIt:
    """A stand-in for the QPrinter that the print dialog leaves, with choices a real
    QPrinter keeps only for a printer that offers them (cups-pdf has no two-sided printing):
    the same methods, the same Qt values."""

    def __init__(self, name: str, **choices: Any) -> None:
        self.choices = {
            "printerName": name,
            "copyCount": 1,
            "collateCopies": True,
            "printRange": QPrinter.PrintRange.AllPages,
            "pageRanges": QPageRanges(),
            "fromPage": 0,
            "toPage": 0,
            "duplex": QPrinter.DuplexMode.DuplexNone,
            "colorMode": QPrinter.ColorMode.Color,
            **choices,
        }

    def __getattr__(self, method: str) -> Callable[[], Any]:
        return lambda: self.choices[method]


def test_the_dialogs_choices_become_lp_options() -> None:
    """Every choice of the print dialog reaches lp's command line, and the paper is the
    handout's, whatever the printer's own."""
    ranges = QPageRanges()
    ranges.addRange(2, 3)
    chosen = AsTheDialogLeavesIt(
        "Front desk",
        copyCount=2,
        collateCopies=False,
        printRange=QPrinter.PrintRange.PageRange,
        pageRanges=ranges,
        fromPage=2,
        toPage=3,
        duplex=QPrinter.DuplexMode.DuplexLongSide,
        colorMode=QPrinter.ColorMode.GrayScale,
    )
    options = printing.options_from(cast("QPrinter", chosen), "letter")
    assert printing.lp_command("/usr/bin/lp", options) == [
        "/usr/bin/lp",
        "-d",
        "Front desk",
        "-t",
        "Patient handout",
        "-n",
        "2",
        "-P",
        "2-3",
        "-o",
        "media=Letter",
        "-o",
        "sides=two-sided-long-edge",
        "-o",
        "collate=false",
        "-o",
        "print-color-mode=monochrome",
    ]
    # Every page, one copy, one side, colour: lp's plain defaults, on A4.
    plain = cast("QPrinter", AsTheDialogLeavesIt("Front desk"))
    assert printing.lp_command("lp", printing.options_from(plain, "a4")) == [
        "lp",
        "-d",
        "Front desk",
        "-t",
        "Patient handout",
        "-n",
        "1",
        "-o",
        "media=A4",
        "-o",
        "sides=one-sided",
    ]
    # A real QPrinter, as the dialog leaves it for the first printer, gives the same reading.
    real = QPrinter(QPrinter.PrinterMode.HighResolution)
    assert printing.options_from(real, "a4").media == "A4"
    assert printing.options_from(real, "a4").printer == real.printerName()


def _ascii_words(text: str) -> str:
    """The text without its spaces and non-ASCII letters: cups-pdf's ghostscript prints an
    accented letter of the embedded font ("Légaré" in the source list, looked at in a
    rendering of its output) but leaves it out of its text layer, where a space may stand."""
    return "".join(
        character for character in text if character.isascii() and not character.isspace()
    )
