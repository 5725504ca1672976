"""The plan page on paper: :func:`render` lays "Your plan" out as a tagged PDF
(docs/design.md section 13.5; docs/design.md "The plan page").

Built from a :class:`~decision_aid.handout.plan.PlanSheet` (the plan's numbers) and the
content pack only, with the handout's machinery: its fonts and styles (``style``), its tagged
paragraphs and tables (``tags``, ``grid``) and its structure writer (``structure``). The page
has a footer of its own: the pack's version and the page number, the overdue notice when the
pack is past its review, and no date of any kind (the handout's footer names its publication
date). Imported lazily by :func:`decision_aid.handout.plan.render_plan`.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from decision_aid.handout.page import EDGE, MARGIN, PAGE_SIZES, TOP_MARGIN, text_width
from decision_aid.handout.plan_story import build_story
from decision_aid.handout.structure import tag_pdf
from decision_aid.handout.style import INK, LARGE, NORMAL, RULE, Styles, fonts
from decision_aid.handout.tags import FOOTER_ARTIFACT, MarkedContent, Tagger, artifact

if TYPE_CHECKING:
    from decision_aid.consult import Language, Paper
    from decision_aid.content import Content
    from decision_aid.handout.plan import PlanSheet

__all__ = ["MAX_LARGE_PAGES", "MAX_PAGES", "footer_facts", "lay_out_plan", "render", "render_html"]

# One page, two in large print (docs/design.md section 13.5).
MAX_PAGES: Final = 1
MAX_LARGE_PAGES: Final = 2
# The footer: 8.5 pt, or 14 pt in large print (docs/design.md section 6.1); the content stamp
# (a hash) may stay at 7.5 pt.
FOOTER_SIZE: Final = 8.5
LARGE_FOOTER_SIZE: Final = 14.0
STAMP_SIZE: Final = 7.5


def render(
    sheet: PlanSheet,
    content: Content,
    lang: Language,
    paper: Paper,
    *,
    overdue: bool,
    large_print: bool = False,
) -> bytes:
    """See :func:`decision_aid.handout.plan.render_plan`.

    Raises:
        ContentError: a font of the pack cannot be read.
    """
    pdf, _, tagger = lay_out_plan(
        sheet, content, lang, paper, overdue=overdue, large_print=large_print
    )
    text = content.handout[lang].plan
    return tag_pdf(
        pdf,
        tagger,
        title=text.title,
        lang=lang.value,
        author=content.pack.name,
        subject=text.trial,
        # No date of any kind, not even in the file's metadata (docs/design.md 13.5).
        published=None,
    )


def render_html(
    sheet: PlanSheet,
    content: Content,
    lang: Language,
    paper: Paper,
    *,
    overdue: bool,
    large_print: bool = False,
) -> bytes:
    """The page as one HTML file: the PDF's story at the PDF's print size for this paper,
    written by the handout's HTML writer, with the footer's facts once (a file has no page
    numbers).

    Raises:
        ContentError: a font of the pack cannot be read.
    """
    from decision_aid.handout.html_writer import HtmlPage, story_html

    regular, bold = fonts(content)
    styles = Styles(regular, bold, LARGE if large_print else NORMAL)
    text = content.handout[lang]
    story = build_story(sheet, text, text_width(paper), styles, large_print=large_print)
    page = HtmlPage(
        title=text.plan.title,
        lang=lang,
        paper=paper,
        large_print=large_print,
        footer=footer_facts(content, lang, overdue=overdue),
        body=styles.body,
        bold_font=bold,
    )
    return story_html(story, page)


def footer_facts(content: Content, lang: Language, *, overdue: bool) -> tuple[str, str, str]:
    """The footer's words in both formats: the pack's name in this language and its version,
    the content stamp (the one the clinician note records), and the overdue notice or ""."""
    text = content.handout[lang]
    left = text.plan.version_line.format(pack=text.pack_texts.name, version=content.pack.version)
    return left, content.stamp, text.plan.overdue if overdue else ""


def lay_out_plan(
    sheet: PlanSheet,
    content: Content,
    lang: Language,
    paper: Paper,
    *,
    overdue: bool,
    large_print: bool = False,
) -> tuple[bytes, int, Tagger]:
    """The page laid out (untagged), its number of pages and the structure it recorded."""
    regular, bold = fonts(content)
    styles = Styles(regular, bold, LARGE if large_print else NORMAL)
    text = content.handout[lang]
    pack = content.pack
    left, stamp, notice = footer_facts(content, lang, overdue=overdue)
    footer = _Footer(
        left=left,
        page_of=text.page_of,
        overdue=notice,
        stamp=stamp,
        regular=regular,
        bold=bold,
        size=LARGE_FOOTER_SIZE if large_print else FOOTER_SIZE,
        page_width=PAGE_SIZES[paper][0],
    )
    width = text_width(paper)
    story = build_story(sheet, text, width, styles, large_print=large_print)
    page_width, page_height = PAGE_SIZES[paper]
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=(page_width, page_height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=footer.top + 6,
        title=text.plan.title,
        author=pack.name,
        subject=text.plan.trial,
        creator="decision-aid",
        invariant=1,
        lang=lang.value,
        # Otherwise the canvas starts every page in Helvetica, a font that is not embedded.
        initialFontName=regular,
        initialFontSize=styles.body.fontSize,
    )
    frame = Frame(
        MARGIN,
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
    tagger = Tagger()
    document.build(story, canvasmaker=functools.partial(_PlanCanvas, footer=footer, tagger=tagger))
    return buffer.getvalue(), document.page, tagger


# ---------------------------------------------------------------------------------------------
# The footer


@dataclass(frozen=True)
class _Footer:
    """What the foot of every page says: the pack and its version with the content stamp in
    small print and the page number, then the overdue notice when the pack is past its review.
    No date: the page prints none."""

    left: str
    page_of: str
    overdue: str
    stamp: str
    regular: str
    bold: str
    size: float
    page_width: float

    @property
    def stamp_beside(self) -> bool:
        """Whether the stamp fits on the first line, after the pack's version and before the
        page number (a long pack name in large print puts it on a line of its own)."""
        used: float = (
            stringWidth(self.left, self.regular, self.size)
            + stringWidth(self.stamp, self.regular, STAMP_SIZE)
            + stringWidth(self.page_of.format(page=99, pages=99), self.regular, self.size)
        )
        room: float = self.page_width - 2 * MARGIN
        return used + 2 * _FOOTER_GAP <= room

    @property
    def baselines(self) -> tuple[float, float | None, float | None]:
        """The baselines of the first line, the overdue notice (None without one) and the
        stamp's own line (None when it is on the first), bottom up from 0.35 in above the
        paper's edge, which nothing goes below."""
        y = EDGE + 2
        stamp = None
        if not self.stamp_beside:
            stamp, y = y, y + STAMP_SIZE + 3
        overdue = None
        if self.overdue:
            overdue, y = y, y + self.size + 3
        return y, overdue, stamp

    @property
    def top(self) -> float:
        """Where the footer's rule is drawn: the body ends above it."""
        return self.baselines[0] + self.size + 3


# Between the pack's version, the stamp and the page number on the footer's first line.
_FOOTER_GAP: Final = 12.0


class _PlanCanvas(Canvas):  # type: ignore[misc]
    """Holds every page back until the end, so that each can say "page X of Y"; its tagger
    records the structure the flowables draw, as the handout's canvas does."""

    def __init__(self, *args: Any, footer: _Footer, tagger: Tagger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.footer = footer
        self.tagger = tagger
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()
        self.tagger.next_page()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            # The running footer and the page number are pagination artifacts.
            with artifact(self, FOOTER_ARTIFACT):
                self._draw_footer(number, total)
            self._draw_overdue(first_page=number == 1)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        footer = self.footer
        first, _, stamp = footer.baselines
        right = footer.page_width - MARGIN
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, footer.top, right, footer.top)
        self.setFillColor(INK)
        self.setFont(footer.regular, footer.size)
        self.drawString(MARGIN, first, footer.left)
        self.drawRightString(right, first, footer.page_of.format(page=number, pages=total))
        self.setFont(footer.regular, STAMP_SIZE)
        if stamp is None:
            after = stringWidth(footer.left, footer.regular, footer.size) + _FOOTER_GAP
            self.drawString(MARGIN + after, first, footer.stamp)
        else:
            self.drawString(MARGIN, stamp, footer.stamp)

    def _draw_overdue(self, *, first_page: bool) -> None:
        """The overdue notice: content where it first appears (a paragraph read after the
        page's text, where it stands), an artifact in the footer of the pages after it."""
        footer = self.footer
        _, baseline, _ = footer.baselines
        if baseline is None:
            return
        tagger = self.tagger
        if first_page:
            # Recorded on the first page, whatever page the tagger reached while drawing.
            element = tagger.add("P")
            marks = tagger.page_elements[0]
            element.kids.append(MarkedContent(0, len(marks)))
            self.addLiteral(f"/P <</MCID {len(marks)}>> BDC")
            marks.append(element)
        else:
            tagger.begin_artifact(self, FOOTER_ARTIFACT)
        self.setFillColor(INK)
        self.setFont(footer.bold, footer.size)
        self.drawString(MARGIN, baseline, footer.overdue)
        if first_page:
            tagger.end(self)
        else:
            tagger.end_artifact(self)
