"""The handout's pages: paper sizes and margins, the footer on every page ("page X of Y",
the pack and its stamp, an overdue notice) and the document that lays the story out."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from decision_aid.consult import Paper
from decision_aid.handout.style import BODY_SIZE, INK, RULE

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from decision_aid.consult import Language

PAGE_SIZES: Final = {Paper.LETTER: LETTER, Paper.A4: A4}
MARGIN: Final = 0.5 * inch
FOOTER_HEIGHT: Final = 0.55 * inch
FOOTER_SIZE: Final = 8.5


def text_width(paper: Paper) -> float:
    """The width of the text on a page of this paper, between the margins."""
    width: float = PAGE_SIZES[paper][0] - 2 * MARGIN
    return width


@dataclass(frozen=True)
class Footer:
    """What the foot of every page says, and in which fonts."""

    left: str  # the pack, its version and stamp
    page_of: str  # the "page {page} of {pages}" text, filled on each page
    overdue: str  # a short overdue notice, or ""
    regular: str
    bold: str
    page_width: float


class FooterCanvas(Canvas):  # type: ignore[misc]
    """Holds every page back until the end, so that each can say "page X of Y"."""

    def __init__(self, *args: Any, footer: Footer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        footer = self.footer
        y = MARGIN * 0.55
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, y + 13, footer.page_width - MARGIN, y + 13)
        self.setFillColor(INK)
        self.setFont(footer.regular, FOOTER_SIZE)
        self.drawString(MARGIN, y, footer.left)
        self.drawRightString(
            footer.page_width - MARGIN, y, footer.page_of.format(page=number, pages=total)
        )
        if footer.overdue:
            self.setFont(footer.bold, FOOTER_SIZE + 1)
            self.drawCentredString(footer.page_width / 2, y - 12, footer.overdue)


def lay_out(
    story: list[Flowable],
    paper: Paper,
    footer: Footer,
    *,
    title: str,
    author: str,
    subject: str,
    lang: Language,
) -> tuple[bytes, int]:
    """The story laid out on pages of this paper, each with its footer: the PDF and its
    number of pages."""
    page_width, page_height = PAGE_SIZES[paper]
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=(page_width, page_height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_HEIGHT * 0.5,
        title=title,
        author=author,
        subject=subject,
        creator="decision-aid",
        invariant=1,
        lang=lang.value,
        # Otherwise the canvas starts every page in Helvetica, a font that is not embedded.
        initialFontName=footer.regular,
        initialFontSize=BODY_SIZE,
    )
    frame = Frame(
        document.leftMargin,
        document.bottomMargin,
        document.width,
        document.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    document.build(story, canvasmaker=functools.partial(FooterCanvas, footer=footer))
    return buffer.getvalue(), document.page
