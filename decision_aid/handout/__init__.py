"""The patient handout: a PDF about the options and the evidence (docs/design.md section 6).

The handout is education about options, never a directive: it names the patient nowhere and
is tailored only by the consult's non-identifying answers (comorbidities, prior treatments,
coverage, priorities, language). The consult and its assessment are reduced to a
:class:`~decision_aid.handout.tailoring.Tailoring` here, and the renderer is given only that.
Every word comes from the content pack's handout texts and every number from its evidence
library.

This module stays light so that the window can import ``Paper`` and ``ClinicDetails`` at
start-up; reportlab is imported only when a handout is rendered (docs/design.md section 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from decision_aid import clock
from decision_aid.consult import Paper

if TYPE_CHECKING:
    import datetime

    from decision_aid.consult import Consult, Language
    from decision_aid.content import Content
    from decision_aid.handout.plan import PlanSheet
    from decision_aid.rules import Assessment

__all__ = [
    "ClinicDetails",
    "PageCount",
    "Paper",
    "count_pages",
    "render_handout",
    "render_handout_html",
    "render_plan",
    "render_plan_html",
]


@dataclass(frozen=True)
class ClinicDetails:
    """The clinic's own lines on page 1; an empty one prints a line to write on by hand."""

    name: str = ""
    clinician: str = ""
    contact: str = ""


def render_handout(
    consult: Consult,
    assessment: Assessment,
    content: Content,
    lang: Language,
    paper: Paper = Paper.LETTER,
    clinic: ClinicDetails | None = None,
    today: datetime.date | None = None,
    *,
    large_print: bool = False,
) -> bytes:
    """Renders the patient handout as the bytes of a PDF.

    Pure and deterministic: the same arguments give byte-identical output.

    Args:
        consult: the answers the handout is tailored to; only those safe to print are read.
        assessment: the consult's assessment; only its status is read, for one neutral line.
        content: the content pack: handout texts, evidence library, pack version and dates.
        lang: the handout's language.
        paper: Letter or A4.
        clinic: the clinic's name, clinician and contact; None prints lines to fill in.
        large_print: 16 pt body text, for readers with low vision (docs/design.md section 6).
        today: the date that decides whether the content is overdue for review; None asks
            :func:`decision_aid.clock.today`.

    Returns:
        The PDF document.

    Raises:
        decision_aid.content.ContentError: a font of the content pack cannot be read, or a
            table's longest words cannot stand side by side across the page.
    """
    from decision_aid.handout import _pdf
    from decision_aid.handout.tailoring import tailor

    # The renderer gets the tailoring and never the consult (docs/design.md section 6).
    return _pdf.render(
        tailor(consult, assessment, lang),
        content,
        paper,
        clinic or ClinicDetails(),
        clock.today() if today is None else today,
        large_print=large_print,
    )


def render_handout_html(
    consult: Consult,
    assessment: Assessment,
    content: Content,
    lang: Language,
    paper: Paper = Paper.LETTER,
    clinic: ClinicDetails | None = None,
    today: datetime.date | None = None,
    *,
    large_print: bool = False,
) -> bytes:
    """Renders the patient handout as one self-contained HTML file (UTF-8 bytes), from the
    same story as :func:`render_handout`'s PDF (docs/design.md "The handout as HTML").

    The arguments, the privacy it keeps and the errors it raises are
    :func:`render_handout`'s; the same arguments give byte-identical output.
    """
    from decision_aid.handout import _html
    from decision_aid.handout.tailoring import tailor

    return _html.render(
        tailor(consult, assessment, lang),
        content,
        paper,
        clinic or ClinicDetails(),
        clock.today() if today is None else today,
        large_print=large_print,
    )


@dataclass(frozen=True)
class PageCount:
    """How many pages a handout took, and how many its size allows (docs/design.md 6)."""

    pages: int
    limit: int

    @property
    def fits(self) -> bool:
        return self.pages <= self.limit


def count_pages(
    consult: Consult,
    assessment: Assessment,
    content: Content,
    lang: Language,
    paper: Paper,
    *,
    large_print: bool = False,
) -> PageCount:
    """Lays the consult's handout out (not overdue, no clinic details) and counts its pages:
    what ``--check-install`` holds a pack's texts to.

    Raises:
        decision_aid.content.ContentError: as :func:`render_handout`.
    """
    from decision_aid.handout import _pdf
    from decision_aid.handout.tailoring import tailor

    laid_out = _pdf.lay_out_handout(
        tailor(consult, assessment, lang),
        content,
        paper,
        ClinicDetails(),
        overdue=False,
        large_print=large_print,
    )
    return PageCount(laid_out.pages, laid_out.limit)


def render_plan(
    sheet: PlanSheet,
    content: Content,
    lang: Language,
    paper: Paper = Paper.LETTER,
    today: datetime.date | None = None,
    *,
    large_print: bool = False,
) -> bytes:
    """The plan page as the bytes of a tagged PDF.

    Pure and deterministic: the same arguments give byte-identical output; the page holds no
    date of any kind.

    Args:
        sheet: the plan's numbers, from :func:`plan_sheet`.
        content: the content pack: the page's words, the pack's version and review date.
        lang: the page's language.
        paper: Letter or A4.
        today: the date that decides whether the content is overdue for review; None asks
            :func:`decision_aid.clock.today`.
        large_print: 16 pt body text, on up to two pages.

    Raises:
        decision_aid.content.ContentError: a font of the content pack cannot be read.
    """
    from decision_aid.handout import _plan_pdf

    overdue = content.pack.is_overdue(clock.today() if today is None else today)
    return _plan_pdf.render(sheet, content, lang, paper, overdue=overdue, large_print=large_print)


def render_plan_html(
    sheet: PlanSheet,
    content: Content,
    lang: Language,
    paper: Paper = Paper.LETTER,
    today: datetime.date | None = None,
    *,
    large_print: bool = False,
) -> bytes:
    """The plan page as one self-contained HTML file (UTF-8 bytes), from the same story as
    :func:`render_plan`'s PDF; its arguments and errors are :func:`render_plan`'s, and the
    same arguments give byte-identical output."""
    from decision_aid.handout import _plan_pdf

    overdue = content.pack.is_overdue(clock.today() if today is None else today)
    return _plan_pdf.render_html(
        sheet, content, lang, paper, overdue=overdue, large_print=large_print
    )
