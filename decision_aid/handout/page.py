"""The handout's pages: paper sizes and margins, the footer on every page ("page X of Y",
the pack and its stamp, an overdue notice) and the document that lays the story out."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from decision_aid.consult import Paper
from decision_aid.handout.structure import DocumentFacts, write_structure
from decision_aid.handout.style import INK, RULE
from decision_aid.handout.tags import FOOTER_ARTIFACT, Tagger, artifact

if TYPE_CHECKING:
    import datetime

    from decision_aid.consult import Language

PAGE_SIZES: Final = {Paper.LETTER: LETTER, Paper.A4: A4}
# Nothing is printed within 0.35 in of the paper's edge, where printers clip (docs/design.md
# section 6); the margins keep more than that, the footer's lowest line included.
EDGE: Final = 0.35 * inch
MARGIN: Final = 0.4 * inch
TOP_MARGIN: Final = 0.4 * inch
# The content stamp (a hash) may stay this small in either print size (design 6.1).
STAMP_SIZE: Final = 7.5
# The footer's lowest line: the stamp and any overdue notice.
FOOTER_LAST_LINE: Final = EDGE + 5


def footer_rows(footer: Footer) -> list[str]:
    """The footer's text above the stamp line, one row each: the pack, its version and its
    date, broken between words where it is wider than the page at the footer's size (large
    print); the page number goes right of the last row, or on a row of its own below it
    (an empty row here) when it does not fit there."""
    room = footer.page_width - 2 * MARGIN
    rows: list[str] = []
    for word in footer.left.split(" "):
        joined = f"{rows[-1]} {word}" if rows else word
        if rows and stringWidth(joined, footer.regular, footer.size) <= room:
            rows[-1] = joined
        else:
            rows.append(word)
    # The widest page number ("Page 10 of 10") beside the last row, a gap between them.
    widest = footer.page_of.format(page=88, pages=88)
    beside = stringWidth(f"{rows[-1]}", footer.regular, footer.size)
    if beside + 2 * footer.size + stringWidth(widest, footer.regular, footer.size) > room:
        rows.append("")
    return rows


def footer_baselines(footer: Footer) -> list[float]:
    """The baseline of each row of :func:`footer_rows`, top one first, then the stamp's."""
    count = len(footer_rows(footer))
    step = 10.0 if footer.size <= 10 else footer.size * 1.2
    return [FOOTER_LAST_LINE + step * (count - row) for row in range(count)] + [FOOTER_LAST_LINE]


def body_bottom(footer: Footer) -> float:
    """Where the body text stops above the footer: under its rule, with room to spare."""
    return footer_baselines(footer)[0] + footer.size + 6.5


# Between the two columns of the handout's second half (docs/design.md section 6).
COLUMN_GAP: Final = 0.25 * inch
# The page templates: the whole width, and two columns that :data:`COLUMNS_FRAMES` name.
WHOLE_WIDTH: Final = "page"
IN_COLUMNS: Final = "columns"
COLUMNS_FRAMES: Final = ("left", "right")


def text_width(paper: Paper) -> float:
    """The width of the text on a page of this paper, between the margins."""
    width: float = PAGE_SIZES[paper][0] - 2 * MARGIN
    return width


def column_width(whole: float) -> float:
    """The width of each of two columns side by side in the whole width."""
    width: float = (whole - COLUMN_GAP) / 2
    return width


@dataclass(frozen=True)
class Footer:
    """What the foot of every page says, and in which fonts."""

    left: str  # the pack, its version and its date
    stamp: str  # the content stamp, in small print
    page_of: str  # the "page {page} of {pages}" text, filled on each page
    overdue: str  # a short overdue notice, or ""
    regular: str
    bold: str
    page_width: float
    size: float = 8.5  # 8.5 pt or more; 14 pt or more in large print (design 6.1)


@dataclass
class Pagination:
    """How many pages the handout itself took: the large-print source sheet that follows it
    (:class:`SheetStart`) is not counted, and its footer has no page number."""

    handout_pages: int = 0


class SheetStart(Flowable):  # type: ignore[misc]
    """Marks the page it is drawn on as the first of the source sheet; draws nothing."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        start = getattr(self.canv, "start_sheet", None)
        if start is not None:
            start()


class FooterCanvas(Canvas):  # type: ignore[misc]
    """Holds every page back until the end, so that each can say "page X of Y"; its tagger
    records the structure the flowables draw (:mod:`decision_aid.handout.tags`)."""

    def __init__(
        self,
        *args: Any,
        footer: Footer,
        tagger: Tagger,
        facts: DocumentFacts,
        pagination: Pagination,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.footer = footer
        self.tagger = tagger
        self.facts = facts
        self.pagination = pagination
        self.sheet_from: int | None = None
        self._pages: list[dict[str, Any]] = []

    def start_sheet(self) -> None:
        """The page being drawn is the first of the source sheet."""
        if self.sheet_from is None:
            self.sheet_from = self.getPageNumber()

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()
        self.tagger.next_page()

    def save(self) -> None:
        sheet_from = self.sheet_from
        total = len(self._pages) if sheet_from is None else sheet_from - 1
        self.pagination.handout_pages = total
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number if number <= total else None, total)
            super().showPage()
        write_structure(self, self.tagger, self.facts)
        super().save()

    def _footer(self, number: int | None, total: int) -> None:
        # The running footer and the page number are pagination artifacts, not content.
        with artifact(self, FOOTER_ARTIFACT):
            self._draw_footer(number, total)

    def _draw_footer(self, number: int | None, total: int) -> None:
        footer = self.footer
        right = footer.page_width - MARGIN
        rows, baselines = footer_rows(footer), footer_baselines(footer)
        rule = baselines[0] + footer.size + 1.5
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, rule, right, rule)
        self.setFillColor(INK)
        self.setFont(footer.regular, footer.size)
        for row, baseline in zip(rows, baselines, strict=False):
            if row:
                self.drawString(MARGIN, baseline, row)
        if number is not None:
            # The source sheet's pages have no number: "page 6 of 6" ends the handout.
            self.drawRightString(
                right, baselines[len(rows) - 1], footer.page_of.format(page=number, pages=total)
            )
        self.setFont(footer.regular, STAMP_SIZE)
        self.drawString(MARGIN, baselines[-1], footer.stamp)
        if footer.overdue:
            self.setFont(footer.bold, footer.size)
            self.drawRightString(right, baselines[-1], footer.overdue)


def lay_out(
    story: list[Flowable],
    paper: Paper,
    footer: Footer,
    *,
    body_size: float,
    title: str,
    author: str,
    subject: str,
    lang: Language,
    published: datetime.date,
) -> tuple[bytes, int, Tagger]:
    """The story laid out on pages of this paper, each with its footer: the tagged PDF
    (:mod:`decision_aid.handout.structure`), the number of the handout's own pages (a
    large-print source sheet after them not counted) and the structure its drawing recorded;
    published is the date the PDF's dates say."""
    page_width, page_height = PAGE_SIZES[paper]
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=(page_width, page_height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=body_bottom(footer),
        title=title,
        author=author,
        subject=subject,
        creator="decision-aid",
        invariant=1,
        lang=lang.value,
        # Otherwise the canvas starts every page in Helvetica, a font that is not embedded.
        initialFontName=footer.regular,
        initialFontSize=body_size,
    )

    def frame(x: float, width: float, name: str) -> Frame:
        return Frame(
            x,
            document.bottomMargin,
            width,
            document.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=name,
        )

    # The story moves from the first template to the second where it holds a FrameSplitter
    # (its frames take what is left of that page, then whole pages).
    half = column_width(document.width)
    left, right = COLUMNS_FRAMES
    document.addPageTemplates(
        [
            PageTemplate(id=WHOLE_WIDTH, frames=[frame(MARGIN, document.width, "body")]),
            PageTemplate(
                id=IN_COLUMNS,
                frames=[
                    frame(MARGIN, half, left),
                    frame(MARGIN + half + COLUMN_GAP, half, right),
                ],
            ),
        ]
    )
    tagger = Tagger()
    pagination = Pagination()
    facts = DocumentFacts(
        title=title, lang=lang.value, author=author, subject=subject, published=published
    )
    document.build(
        story,
        canvasmaker=functools.partial(
            FooterCanvas, footer=footer, tagger=tagger, facts=facts, pagination=pagination
        ),
    )
    return buffer.getvalue(), pagination.handout_pages, tagger
