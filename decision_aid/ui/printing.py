"""Printing the handout: its PDF, as it is, through the system's print service.

On Linux and macOS the print service is CUPS, and the handout's PDF goes to it unchanged with
the ``lp`` command: text stays text, a 4-page handout of about 60 KB is a job of about 60 KB,
and the paper is the handout's own (``-o media=Letter`` or ``A4``), never the printer's default
with the pages scaled onto it. The print dialog (Qt's, ``dialogs.ask_printer``) chooses the
printer, the copies, the pages, two-sided printing and colour; they are read from the QPrinter
it leaves and passed to ``lp``. CUPS is local: ``lp`` talks to the machine's own scheduler over
its socket, and the scheduler sends the job on.

The handout counts as given (``decision.handout``) only when CUPS accepted the job: ``lp``
ended with status 0 and printed a request id. A refused job is said plainly, naming the
printer, and the consult stays as it was. With no printer installed the dialog is not shown at
all (Qt's would offer only "Print to File", writing a stray ``print.pdf``): the clinician is
told so, and pointed to Save handout as PDF.

The rendered fallback: where no such service exists (Windows; a Unix without ``lp``), the
pages are drawn as images through Qt's own printing (``ReviewPage.print_to``), on the
handout's paper. That job is much larger and its text is pictures of text; it is used only
there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from decision_aid.ui import dialogs

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QWidget

    from decision_aid.ui.review import ReviewPage

NO_PRINTER = "No printer is installed. Save the handout as PDF instead, or ask IT to add a printer."

# The job's name in the printer's queue: the handout, never the patient's details.
JOB_TITLE = "Patient handout"

# The handout's papers, as CUPS names the media (PWG 5101.1 short names, which every CUPS
# printer accepts; the driver maps them to its own).
MEDIA = {"letter": "Letter", "a4": "A4"}

# lp hands the job to the local scheduler and returns: well under a second. A scheduler that
# does not answer in this time is a failed print, not a frozen window.
LP_TIMEOUT_S = 30

# "request id is PDF-12 (1 file(s))": lp's answer in the C locale, which it is run in.
_REQUEST_ID = re.compile(r"request id is (\S+)")


@dataclass(frozen=True)
class PrintOptions:
    """What the print dialog chose, as lp takes it."""

    printer: str
    media: str
    copies: int = 1
    collate: bool = True
    pages: str = ""  # lp's page list ("2-3", "1,3-4"); empty for every page
    sides: str = "one-sided"  # IPP "sides": one-sided, two-sided-long-edge, -short-edge
    monochrome: bool = False


@dataclass(frozen=True)
class PrintResult:
    """A job the print service accepted (``job`` is its id), or refused (``error`` says why)."""

    printer: str
    job: str | None = None
    error: str = ""

    @property
    def accepted(self) -> bool:
        return self.job is not None


def print_service() -> str | None:
    """The ``lp`` command of the system's print service (CUPS), or None where there is none
    (Windows, or a machine without CUPS's client): then the rendered fallback prints."""
    if sys.platform == "win32":
        return None
    return shutil.which("lp")


def _c_locale() -> dict[str, str]:
    """The environment lp and lpstat run in: the C locale, whatever the desktop's language (their
    words are parsed), and in the desktop bundle the system's libraries, not the bundle's."""
    environment = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    if getattr(sys, "frozen", False):
        # PyInstaller's bootloader points LD_LIBRARY_PATH at the bundle and keeps the
        # original in LD_LIBRARY_PATH_ORIG: the system's lp must load the system's libcups.
        original = environment.pop("LD_LIBRARY_PATH_ORIG", None)
        environment.pop("LD_LIBRARY_PATH", None)
        if original:
            environment["LD_LIBRARY_PATH"] = original
    return environment


def installed_printers(lp: str | None) -> list[str]:
    """The printers (CUPS destinations) a job can go to; empty when none is installed or the
    print service is not running."""
    lpstat = shutil.which("lpstat") if lp is not None else None
    if lpstat is None:
        from PySide6.QtPrintSupport import QPrinterInfo

        return list(QPrinterInfo.availablePrinterNames())
    try:
        listed = subprocess.run(
            [lpstat, "-e"],
            capture_output=True,
            text=True,
            env=_c_locale(),
            timeout=LP_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    # lpstat -e lists one destination a line, also when it ends with an error for the rest.
    return [line.strip() for line in listed.stdout.splitlines() if line.strip()]


def options_from(printer: QPrinter, paper: str) -> PrintOptions:
    """The choices the print dialog left on ``printer``, with the handout's ``paper``."""
    from PySide6.QtPrintSupport import QPrinter

    pages = ""
    if printer.printRange() == QPrinter.PrintRange.PageRange:
        ranges = printer.pageRanges()
        pages = ranges.toString() if not ranges.isEmpty() else ""
        if not pages and printer.fromPage() > 0:
            pages = f"{printer.fromPage()}-{max(printer.fromPage(), printer.toPage())}"
    duplex = printer.duplex()
    modes = QPrinter.DuplexMode
    sides = {
        modes.DuplexLongSide: "two-sided-long-edge",
        modes.DuplexShortSide: "two-sided-short-edge",
        # Auto is long or short by the orientation: the handout is portrait, so long.
        modes.DuplexAuto: "two-sided-long-edge",
    }.get(duplex, "one-sided")
    return PrintOptions(
        printer=printer.printerName(),
        media=MEDIA[paper],
        copies=max(1, printer.copyCount()),
        collate=printer.collateCopies(),
        pages=pages,
        sides=sides,
        monochrome=printer.colorMode() == QPrinter.ColorMode.GrayScale,
    )


def lp_command(lp: str, options: PrintOptions) -> list[str]:
    """The lp command line that prints the PDF read from its standard input."""
    command = [lp, "-d", options.printer, "-t", JOB_TITLE, "-n", str(options.copies)]
    if options.pages:
        command += ["-P", options.pages]
    command += ["-o", f"media={options.media}", "-o", f"sides={options.sides}"]
    if options.copies > 1:
        command += ["-o", f"collate={'true' if options.collate else 'false'}"]
    if options.monochrome:
        command += ["-o", "print-color-mode=monochrome"]
    return command


def submit(lp: str, pdf: bytes, options: PrintOptions) -> PrintResult:
    """Hands ``pdf`` to the print service; accepted only with lp's status 0 and a request id.

    The PDF goes through lp's standard input: no copy of the handout is left in a temporary
    file.
    """
    try:
        done = subprocess.run(
            lp_command(lp, options),
            input=pdf,
            capture_output=True,
            env=_c_locale(),
            timeout=LP_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return PrintResult(options.printer, error="the print service did not answer")
    except OSError as error:
        return PrintResult(options.printer, error=f"the print service could not be run ({error})")
    said = done.stdout.decode(errors="replace").strip()
    complaint = done.stderr.decode(errors="replace").strip()
    found = _REQUEST_ID.search(said)
    if done.returncode == 0 and found:
        return PrintResult(options.printer, job=found.group(1))
    reason = complaint or said or f"lp ended with status {done.returncode}"
    return PrintResult(options.printer, error=reason.removeprefix("lp: "))


def page_count(pdf: bytes) -> int:
    """The handout's pages, for the print dialog's page range."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    try:
        return document.pageCount()
    finally:
        document.close()


def print_handout(parent: QWidget, review: ReviewPage) -> PrintResult | None:
    """Asks where to print the handout and prints it; the accepted job, or None when nothing
    was printed (no printer, cancelled, refused: each said to the clinician)."""
    lp = print_service()
    if not installed_printers(lp):
        dialogs.show_message(parent, "No printer", NO_PRINTER)
        return None
    try:
        pdf = review.handout_pdf()
    except Exception as error:  # any failure is shown, the consult is kept
        dialogs.show_error(parent, "The handout could not be made", str(error))
        return None
    printer = dialogs.ask_printer(parent, page_count(pdf))
    if printer is None:
        return None
    if lp is None:
        return _print_rendered(parent, review, printer)
    result = submit(lp, pdf, options_from(printer, review.chosen_paper))
    if not result.accepted:
        dialogs.show_error(
            parent,
            "The handout was not printed",
            f"The printer {result.printer} did not take the handout: {result.error}\n"
            "The consult is unchanged.",
        )
        return None
    return result


def _print_rendered(parent: QWidget, review: ReviewPage, printer: QPrinter) -> PrintResult | None:
    """The fallback without a print service: Qt draws the pages on the printer."""
    try:
        review.print_to(printer)
    except Exception as error:  # a failed print is shown, the consult is kept
        dialogs.show_error(parent, "Printing failed", f"{error}\nThe consult is unchanged.")
        return None
    return PrintResult(printer.printerName(), job="")
