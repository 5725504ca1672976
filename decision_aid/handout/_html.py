"""The handout as one HTML file: the story :mod:`.story` builds for the PDF, written by
:mod:`.html_writer` (docs/design.md section 6.10 and "The handout as HTML").

Imported lazily by :func:`decision_aid.handout.render_handout_html`, which passes the
consult's :class:`~decision_aid.handout.tailoring.Tailoring` and never the consult itself: the
HTML, like the PDF, can print only what the tailoring holds (docs/design.md 6.9).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from decision_aid.content import ContentError, handout_file
from decision_aid.handout.grid import ColumnsDoNotFit
from decision_aid.handout.html_writer import HtmlPage, story_html
from decision_aid.handout.page import text_width
from decision_aid.handout.story import build_story, words_date
from decision_aid.handout.style import LARGE, NORMAL, Styles, fonts

if TYPE_CHECKING:
    import datetime

    from decision_aid.consult import Paper
    from decision_aid.content import Content
    from decision_aid.handout import ClinicDetails
    from decision_aid.handout.tailoring import Tailoring

__all__ = ["render"]


def render(
    tailoring: Tailoring,
    content: Content,
    paper: Paper,
    clinic: ClinicDetails,
    today: datetime.date,
    *,
    large_print: bool = False,
) -> bytes:
    """See :func:`decision_aid.handout.render_handout_html`, here from the tailoring.

    The story is built at the PDF's print size for the same paper, so that it holds the
    same sections, in the same order, as the PDF's (large print puts the source list
    after the handout, as its own sheet does).

    Raises:
        ContentError: a font cannot be read, or a table's words cannot fit across the page.
    """
    lang = tailoring.language
    overdue = content.pack.is_overdue(today)
    regular, bold = fonts(content)
    styles = Styles(regular, bold, LARGE if large_print else NORMAL)
    try:
        story = build_story(
            tailoring, content, text_width(paper), clinic, overdue=overdue, styles=styles
        )
    except ColumnsDoNotFit as error:
        raise ContentError(handout_file(lang), str(error)) from None
    text = content.handout[lang]
    pack = content.pack
    # The PDF's footer facts, once: the pack, its version and date; the content stamp (the
    # one the clinician note records); the overdue notice. A file has no page numbers.
    footer = (
        text.footer.format(
            pack=text.pack_texts.name,
            version=pack.version,
            published=words_date(pack.published, text),
        ),
        content.stamp,
        text.overdue.short.format(date=words_date(pack.next_review, text)) if overdue else "",
    )
    return story_html(
        story,
        HtmlPage(
            title=text.title,
            lang=lang,
            paper=paper,
            large_print=large_print,
            footer=footer,
            body=styles.body,
            bold_font=bold,
        ),
    )
