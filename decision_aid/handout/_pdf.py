"""The handout on pages: :func:`render` lays the story of :mod:`.story` out as a PDF.

Imported lazily by :func:`decision_aid.handout.render_handout`, which passes the consult's
:class:`~decision_aid.handout.tailoring.Tailoring` and never the consult itself (docs/design.md
section 6, privacy on paper). This module picks the fonts and the print size, sets the
footer, and says in the log when the handout is longer than its page limit (its sizes never
shrink to fit, design 6.1). reportlab is
imported by the modules it uses: ``story`` (the sections in page order), ``style`` (fonts,
sizes, styles) and ``page`` (the footer and the document).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from decision_aid.content import ContentError, handout_file
from decision_aid.handout.grid import ColumnsDoNotFit
from decision_aid.handout.page import PAGE_SIZES, Footer, lay_out, text_width
from decision_aid.handout.story import build_story, words_date
from decision_aid.handout.style import BODY_SIZE, LARGE, NORMAL, Styles, fonts

if TYPE_CHECKING:
    import datetime

    from decision_aid.consult import Paper
    from decision_aid.content import Content
    from decision_aid.handout import ClinicDetails
    from decision_aid.handout.tags import Tagger
    from decision_aid.handout.tailoring import Tailoring

_log = logging.getLogger(__name__)

# BODY_SIZE, Styles and words_date are the handout's own measures and dates, which the tests
# read from here.
__all__ = [
    "BODY_SIZE",
    "MAX_LARGE_PAGES",
    "DESIGN_LARGE_PAGES",
    "DESIGN_PAGES",
    "MAX_PAGES",
    "LaidOut",
    "Styles",
    "lay_out_handout",
    "render",
    "words_date",
]

# The page budget of docs/design.md section 6.1 is 4 pages, or 6 in large print (then the
# source sheet). Version 3's content does not fit it at 12 and 16 pt (docs/design.md section
# 6, "Over budget"): until the design chooses what goes, these ceilings are the pages the worst
# cases take today (Spanish, every tailored section, 80-character clinic lines, overdue), so
# that a change that makes any copy longer still fails the gates and --check-install.
DESIGN_PAGES: Final = 4
DESIGN_LARGE_PAGES: Final = 6
MAX_PAGES: Final = 6
MAX_LARGE_PAGES: Final = 10


def render(
    tailoring: Tailoring,
    content: Content,
    paper: Paper,
    clinic: ClinicDetails,
    today: datetime.date,
    *,
    large_print: bool = False,
) -> bytes:
    """See :func:`decision_aid.handout.render_handout`, here from the consult's tailoring.

    A handout longer than its page limit is still returned, with a warning in the log.

    Raises:
        ContentError: a font cannot be read, or a table's words cannot fit across the page.
    """
    overdue = content.pack.is_overdue(today)
    laid_out = lay_out_handout(
        tailoring, content, paper, clinic, overdue=overdue, large_print=large_print
    )
    if laid_out.pages > laid_out.limit:
        # A handout one page longer is better than none in the middle of a consult. The
        # tests hold every example and generated consults to the limit, and --check-install
        # the longest consult; this says so in the log (which holds no answers) when a rare
        # consult goes past it.
        _log.warning(
            "the %s handout needs %d pages on %s paper%s; the limit is %d: shorten %s",
            tailoring.language.value,
            laid_out.pages,
            paper.value,
            " in large print" if large_print else "",
            laid_out.limit,
            handout_file(tailoring.language),
        )
    return laid_out.pdf


@dataclass(frozen=True)
class LaidOut:
    """A rendered handout (tagged), how many pages it took and how many its size allows,
    and the structure its drawing recorded."""

    pdf: bytes
    pages: int
    limit: int
    tagger: Tagger


def lay_out_handout(
    tailoring: Tailoring,
    content: Content,
    paper: Paper,
    clinic: ClinicDetails,
    *,
    overdue: bool,
    large_print: bool = False,
) -> LaidOut:
    """The handout and its page count; overdue prints the notice that the content is past
    its review date.

    Raises:
        ContentError: a font cannot be read, or a table's words cannot fit across the page.
    """
    lang = tailoring.language
    regular, bold = fonts(content)
    width = text_width(paper)
    text = content.handout[lang]
    pack = content.pack
    footer = Footer(
        left=text.footer.format(
            pack=text.pack_texts.name,
            version=pack.version,
            published=words_date(pack.published, text),
        ),
        # The stamp (a hash of the pack's texts) is the same one the clinician note records.
        stamp=content.stamp,
        page_of=text.page_of,
        overdue=text.overdue.short.format(date=words_date(pack.next_review, text))
        if overdue
        else "",
        regular=regular,
        bold=bold,
        page_width=PAGE_SIZES[paper][0],
        size=(LARGE if large_print else NORMAL).footer,
    )
    limit = MAX_LARGE_PAGES if large_print else MAX_PAGES
    # One set of sizes for every handout of a print size: no smaller fallback (design 6.1).
    size = LARGE if large_print else NORMAL
    styles = Styles(regular, bold, size)
    try:
        story = build_story(tailoring, content, width, clinic, overdue=overdue, styles=styles)
    except ColumnsDoNotFit as error:
        raise ContentError(handout_file(lang), str(error)) from None
    pdf, pages, tagger = lay_out(
        story,
        paper,
        footer,
        body_size=size.body,
        title=text.title,
        author=pack.name,
        subject=text.decision,
        lang=lang,
        published=pack.published,
    )
    return LaidOut(pdf, pages, limit, tagger)
