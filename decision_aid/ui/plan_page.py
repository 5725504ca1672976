"""Print plan and Save plan: the patient's "Your plan" page from the Course step
(docs/design.md sections 7.1 and 13.5). Printing follows the handout's: the PDF itself goes to
the system's print service with the dialog's choices; saving writes PDF or HTML by the name's
ending. Nothing is recorded in the consult: the page prints only the plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from decision_aid.ui import dialogs
from decision_aid.ui.consult_files import time_stamp

if TYPE_CHECKING:
    from decision_aid.ui.main_window import MainWindow

PLAN_FILTER = "PDF files (*.pdf);;HTML files (*.html)"
NO_PRINTER = "No printer is installed. Save the plan as PDF instead, or ask IT to add a printer."


def _page(window: MainWindow, html: bool) -> bytes | None:
    """The plan page of the window's consult, in its handout language and the settings'
    paper; None (and the reason shown) when it cannot be made."""
    from decision_aid.consult import Paper
    from decision_aid.handout import render_plan, render_plan_html
    from decision_aid.handout.plan import plan_sheet

    consult = window.session.consult
    try:
        sheet = plan_sheet(consult.plan)
        render = render_plan_html if html else render_plan
        language = consult.patient.handout_language
        return render(sheet, window.content, language, Paper(window.settings.clinic().paper))
    except Exception as error:  # NoPlan, or any failure: shown, the consult is kept
        dialogs.show_error(window, "The plan page could not be made", str(error))
    return None


def save_plan(window: MainWindow) -> bool:
    """Asks where, then writes the plan page as PDF, or HTML for a name ending in .html."""
    suggested = f"plan-{time_stamp()}.pdf"
    path = window.ask_output_path("Save plan", PLAN_FILTER, suggested, ".pdf", ".html", ".htm")
    if path is None:
        return False
    page = _page(window, html=path.suffix.lower() in (".html", ".htm"))
    if page is None or not window._write(path, page, "plan page"):
        return False
    window.confirm(f"Plan saved: {path.name}")
    return True


def print_plan(window: MainWindow) -> bool:
    """Asks where to print the plan page and sends its PDF to the print service; says so when
    there is no printer or the job was refused."""
    from decision_aid.ui import printing

    lp = printing.print_service()
    if lp is None or not printing.installed_printers(lp):
        dialogs.show_message(window, "No printer", NO_PRINTER)
        return False
    pdf = _page(window, html=False)
    if pdf is None:
        return False
    printer = dialogs.ask_printer(window, printing.page_count(pdf))
    if printer is None:
        return False
    result = printing.submit(
        lp, pdf, printing.options_from(printer, window.settings.clinic().paper)
    )
    if not result.accepted:
        dialogs.show_error(
            window,
            "The plan was not printed",
            f"The printer {result.printer} did not take the plan page: {result.error}",
        )
        return False
    window.confirm(f"The plan was sent to {result.printer}.")
    return True
