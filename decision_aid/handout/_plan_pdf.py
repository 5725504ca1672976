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

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Spacer, Table

from decision_aid.handout.grid import boxed, plain_table
from decision_aid.handout.markup import Citations, escape
from decision_aid.handout.page import EDGE, MARGIN, PAGE_SIZES, TOP_MARGIN, text_width
from decision_aid.handout.plan import FIQR_DROP, PGIC_MUCH
from decision_aid.handout.structure import tag_pdf
from decision_aid.handout.style import (
    INK,
    LARGE,
    NORMAL,
    RULE,
    Styles,
    fonts,
    padding,
    table_style,
)
from decision_aid.handout.tags import (
    FOOTER_ARTIFACT,
    MarkedContent,
    Paragraph,
    TableTags,
    Tagger,
    artifact,
)

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from decision_aid.consult import Language, Paper
    from decision_aid.content import Content
    from decision_aid.content.handout_text import HandoutText, PlanText
    from decision_aid.handout.plan import PlanSheet

__all__ = ["MAX_LARGE_PAGES", "MAX_PAGES", "build_story", "lay_out_plan", "render"]

# One page, two in large print (docs/design.md section 13.5).
MAX_PAGES: Final = 1
MAX_LARGE_PAGES: Final = 2
# The footer: 8.5 pt, or 14 pt in large print (docs/design.md section 6.1); the content stamp
# (a hash) may stay at 7.5 pt.
FOOTER_SIZE: Final = 8.5
LARGE_FOOTER_SIZE: Final = 14.0
STAMP_SIZE: Final = 7.5
# Room to write a date or a number by hand: a wide-ruled line (about 7 mm).
WRITING_ROW: Final = 18.0
LARGE_WRITING_ROW: Final = 24.0
# The most rows of visits one table holds before the visits go into tables side by side.
# (In large print, two tables at most: three would break the headings' words.)
_ROWS_PER_TABLE: Final = 8
_LARGE_ROWS_PER_TABLE: Final = 11
_CELL_SIDE: Final = 4.0
_GAP: Final = 0.15 * inch


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
        published=content.pack.published,
    )


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
    footer = _Footer(
        left=text.plan.footer.format(pack=pack.name, version=pack.version),
        page_of=text.page_of,
        overdue=text.plan.overdue if overdue else "",
        stamp=content.stamp,
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
        used = (
            stringWidth(self.left, self.regular, self.size)
            + stringWidth(self.stamp, self.regular, STAMP_SIZE)
            + stringWidth(self.page_of.format(page=99, pages=99), self.regular, self.size)
        )
        return used + 2 * _FOOTER_GAP <= self.page_width - 2 * MARGIN

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


# ---------------------------------------------------------------------------------------------
# The story


def build_story(
    sheet: PlanSheet,
    text: HandoutText,
    width: float,
    styles: Styles,
    *,
    large_print: bool,
) -> list[Flowable]:
    """The page's flowables in the order of docs/design.md section 13.5 (the overdue notice
    is the footer's)."""
    return _Builder(sheet, text, width, styles, large_print=large_print).build()


class _Builder:
    def __init__(
        self,
        sheet: PlanSheet,
        text: HandoutText,
        width: float,
        styles: Styles,
        *,
        large_print: bool,
    ) -> None:
        self.sheet = sheet
        self.handout = text
        self.text: PlanText = text.plan
        self.width = width
        self.styles = styles
        self.large_print = large_print
        self.scale = styles.size.scale
        # The page cites no source in its text: the marks of the shared support lines are
        # taken out, and the page has no source list.
        self.cite = Citations()
        # The handout's section heading with less room above it: the page is one sheet.
        self.heading_style = ParagraphStyle(
            "plan_heading", parent=styles.heading, spaceBefore=2 * self.scale
        )

    def para(self, words: str, style: Any = None) -> Paragraph:
        return Paragraph(self.cite.markup(words), style or self.styles.body)

    def heading(self, words: str) -> Paragraph:
        return Paragraph(escape(words), self.heading_style)

    def bullets(self, items: list[str]) -> list[Flowable]:
        return [
            Paragraph(self.cite.markup(item), self.styles.bullet, bulletText="\u2022")
            for item in items
        ]

    def space(self, points: float) -> Spacer:
        return Spacer(1, points * self.scale)

    def build(self) -> list[Flowable]:
        story: list[Flowable] = [*self.top(), *self.check(), *self.decide()]
        every_visit, stop = self.every_visit(), self.stop()
        if self.large_print:
            story += [*every_visit, *stop]
        else:
            # Side by side: two short lists, each read whole before the next.
            half = (self.width - _GAP) / 2
            pair = Table(
                [[every_visit, stop]],
                colWidths=[half + _GAP, half],
                hAlign="LEFT",
                renderCB=TableTags(data=False),
            )
            pair.setStyle(
                table_style(
                    self.styles, [*padding(0, 0, 0, 0), ("RIGHTPADDING", (0, 0), (0, 0), _GAP),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP")]
                )
            )  # fmt: skip
            story.append(pair)
        story += [*self.visits(), *self.support()]
        return story

    def top(self) -> list[Flowable]:
        text, styles = self.text, self.styles
        block: list[Flowable] = [
            Paragraph(escape(text.title), styles.title),
            self.para(f"{text.trial} {text.infusion}"),
        ]
        return block

    def check(self) -> list[Flowable]:
        check, sheet = self.text.check, self.sheet
        lines = []
        if sheet.has_pain:
            lines.append(f"{check.pain.format(now=sheet.pain_now)} {self.hope(sheet.pain_target)}")
        if PGIC_MUCH in sheet.measures:
            lines.append(check.pgic)
        if FIQR_DROP in sheet.measures:
            lines.append(f"{check.fiqr.format(now=sheet.fiqr_now)} {self.hope(sheet.fiqr_target)}")
        return [self.space(2), self.heading(check.title), *self.bullets(lines)]

    def hope(self, target: int | None) -> str:
        check = self.text.check
        return check.hope_zero if target == 0 else check.hope_at_most.format(target=target)

    def decide(self) -> list[Flowable]:
        decide = self.text.decide
        return [
            self.heading(decide.title),
            self.para(decide.text.format(count=self.sheet.judge_after_infusions)),
        ]

    def every_visit(self) -> list[Flowable]:
        every_visit = self.text.every_visit
        lines = list(every_visit.items)
        every = self.sheet.liver_tests_every
        if every is not None:
            lines.append(
                every_visit.liver_each if every == 1 else every_visit.liver.format(every=every)
            )
        return [self.heading(every_visit.title), *self.bullets(lines)]

    def stop(self) -> list[Flowable]:
        stop = self.text.stop
        items = self.bullets(list(stop.items))
        end = [items[-1], self.para(f"**{stop.any_time}**")]
        # The last line goes with the last item, never alone at the top of a page (where the
        # lists stand side by side, in a table's cell, nothing breaks: reportlab cannot keep
        # flowables together there).
        kept: list[Flowable] = [KeepTogether(end)] if self.large_print else end
        return [self.heading(stop.title), *items[:-1], *kept]

    def visits(self) -> list[Flowable]:
        visits, styles = self.text.visits, self.styles
        count = self.sheet.judge_after_infusions
        labels = [visits.infusion.format(number=number) for number in range(1, count + 1)]
        labels.append(visits.decide)
        most = _LARGE_ROWS_PER_TABLE if self.large_print else _ROWS_PER_TABLE
        groups = -(-len(labels) // most)
        per_table = -(-len(labels) // groups)
        group_width = (self.width - _GAP * (groups - 1)) / groups
        widths = self.visits_widths(labels, group_width)
        tables = [
            self.visits_table(labels[start : start + per_table], widths)
            for start in range(0, len(labels), per_table)
        ]
        lead = [self.heading(visits.title), self.para(visits.intro)]
        if len(tables) == 1:
            return [KeepTogether([*lead, tables[0]])]
        # Tables side by side, each read whole before the next.
        row = Table(
            [list(tables)],
            colWidths=[group_width + _GAP] * (groups - 1) + [group_width],
            hAlign="LEFT",
            renderCB=TableTags(data=False),
        )
        commands: list[tuple[Any, ...]] = [
            *padding(0, _GAP, 0, 0),
            ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        row.setStyle(table_style(styles, commands))
        return [KeepTogether([*lead, row])]

    def visits_widths(self, labels: list[str], width: float) -> list[float]:
        """The same columns in every table of visits: the labels on one line each, the pain
        a little wider than the date (its heading is longer)."""
        visits, cell, bold = self.text.visits, self.styles.cell, self.styles.cell_bold

        def wide(words: str, style: ParagraphStyle) -> float:
            return stringWidth(words, style.fontName, style.fontSize) + 2 * _CELL_SIDE + 1

        first = max(wide(visits.visit, bold), *(wide(label, cell) for label in labels))
        date = max(wide(visits.date, bold), (width - first) * 0.38)
        return [first, date, width - first - date]

    def visits_table(self, labels: list[str], widths: list[float]) -> Table:
        visits, styles = self.text.visits, self.styles
        header = [
            Paragraph(escape(words), styles.cell_bold)
            for words in (visits.visit, visits.date, visits.pain)
        ]
        rows: list[list[Any]] = [header]
        rows += [[Paragraph(escape(label), styles.cell), "", ""] for label in labels]
        # Room to write in each row of visits; the header as tall as its words.
        row = LARGE_WRITING_ROW if self.large_print else WRITING_ROW
        return plain_table(rows, widths, styles, heights=[None] + [row] * len(labels))

    def support(self) -> list[Flowable]:
        support = self.handout.support
        block: list[Flowable] = [
            self.heading(support.title),
            self.para(support.crisis),
            self.para(support.helpline),
        ]
        return [self.space(4), boxed(block, self.width, self.styles, shade=False, whole=True)]
