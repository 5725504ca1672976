"""The plan page as a story: its parts in the order of docs/design.md section 13.5, built from
a :class:`~decision_aid.handout.plan.PlanSheet` and the page's words.

The same story is laid out as the tagged PDF (:mod:`._plan_pdf`) and written as HTML
(:mod:`.html_writer`): each flowable carries its structure role (``tags``). Normal print fits
one page: the two lists side by side, the visits in tables side by side when there are more
than fit one; large print flows over two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Spacer, Table

from decision_aid.handout.grid import boxed, plain_table
from decision_aid.handout.markup import Citations, escape
from decision_aid.handout.plan import FIQR_DROP, PGIC_MUCH
from decision_aid.handout.style import Styles, padding, table_style
from decision_aid.handout.tags import Paragraph, TableTags

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from decision_aid.content.handout_text import HandoutText, PlanText
    from decision_aid.handout.plan import PlanSheet

__all__ = ["build_story"]

# Room to write a date or a number by hand: a ruled line of 6.35 mm (8.5 mm in large print);
# 7.8 mm for a short plan, whose rows take no more room than 8 rows of the narrower line.
_ROOMY_ROWS: Final = 6
WRITING_ROW: Final = 18.0
ROOMY_WRITING_ROW: Final = 22.0
LARGE_WRITING_ROW: Final = 24.0
# The most rows of visits one table holds before the visits go into tables side by side.
# (In large print, two tables at most: three would break the headings' words.)
_ROWS_PER_TABLE: Final = 8
_LARGE_ROWS_PER_TABLE: Final = 11
_CELL_SIDE: Final = 4.0
_GAP: Final = 0.15 * inch


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
            story.append(self.side_by_side([every_visit, stop]))
        story += [*self.visits(), *self.support()]
        return story

    def side_by_side(self, cells: list[Any]) -> Table:
        """Blocks side by side across the page, each read whole before the next (a layout
        table: its cells are read as the text around it)."""
        count = len(cells)
        width = (self.width - _GAP * (count - 1)) / count
        table = Table(
            [cells],
            colWidths=[width + _GAP] * (count - 1) + [width],
            hAlign="LEFT",
            renderCB=TableTags(data=False),
        )
        commands: list[tuple[Any, ...]] = [
            *padding(0, _GAP, 0, 0),
            ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        table.setStyle(table_style(self.styles, commands))
        return table

    def top(self) -> list[Flowable]:
        text = self.text
        return [
            Paragraph(escape(text.title), self.styles.title),
            self.para(f"{text.trial} {text.infusion}"),
        ]

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
        return self.listed(self.heading(every_visit.title), self.bullets(lines), [])

    def stop(self) -> list[Flowable]:
        stop = self.text.stop
        items = self.bullets(list(stop.items))
        return self.listed(self.heading(stop.title), items, [self.para(f"**{stop.any_time}**")])

    def listed(
        self, heading: Paragraph, items: list[Flowable], after: list[Flowable]
    ) -> list[Flowable]:
        """A heading, its list and what follows it. Where the page may break (large print),
        the heading goes with the first two items and the last two with what follows: no
        heading ends a page and no item stands alone at the foot or head of one. Side by
        side, in a table's cell, nothing breaks (and reportlab cannot keep flowables
        together there)."""
        if not self.large_print:
            return [heading, *items, *after]
        if len(items) < 4:
            return [KeepTogether([heading, *items, *after])]
        return [
            KeepTogether([heading, *items[:2]]),
            *items[2:-2],
            KeepTogether([*items[-2:], *after]),
        ]

    def visits(self) -> list[Flowable]:
        visits = self.text.visits
        count = self.sheet.judge_after_infusions
        labels = [visits.infusion.format(number=number) for number in range(1, count + 1)]
        labels.append(visits.decide)
        most = _LARGE_ROWS_PER_TABLE if self.large_print else _ROWS_PER_TABLE
        groups = -(-len(labels) // most)
        per_table = -(-len(labels) // groups)
        group_width = (self.width - _GAP * (groups - 1)) / groups
        widths = self.visits_widths(labels, group_width)
        if self.large_print:
            row = LARGE_WRITING_ROW
        else:
            row = ROOMY_WRITING_ROW if len(labels) <= _ROOMY_ROWS else WRITING_ROW
        tables = [
            self.visits_table(labels[start : start + per_table], widths, row)
            for start in range(0, len(labels), per_table)
        ]
        lead = [self.heading(visits.title), self.para(visits.intro)]
        return [KeepTogether([*lead, tables[0] if len(tables) == 1 else self.side_by_side(tables)])]

    def visits_widths(self, labels: list[str], width: float) -> list[float]:
        """The same columns in every table of visits: the labels on one line each, the pain
        a little wider than the date (its heading is longer)."""
        visits, cell, bold = self.text.visits, self.styles.cell, self.styles.cell_bold

        def wide(words: str, style: ParagraphStyle) -> float:
            measured: float = stringWidth(words, style.fontName, style.fontSize)
            return measured + 2 * _CELL_SIDE + 1

        first = max(wide(visits.visit, bold), *(wide(label, cell) for label in labels))
        date = max(wide(visits.date, bold), (width - first) * 0.38)
        return [first, date, width - first - date]

    def visits_table(self, labels: list[str], widths: list[float], row: float) -> Table:
        visits, styles = self.text.visits, self.styles
        header = [
            Paragraph(escape(words), styles.cell_bold)
            for words in (visits.visit, visits.date, visits.pain)
        ]
        rows: list[list[Any]] = [header]
        rows += [[Paragraph(escape(label), styles.cell), "", ""] for label in labels]
        # Room to write in each row of visits; the header as tall as its words.
        return plain_table(rows, widths, styles, heights=[None] + [row] * len(labels))

    def support(self) -> list[Flowable]:
        support = self.handout.support
        block: list[Flowable] = [
            self.heading(support.title),
            self.para(support.crisis),
            self.para(support.helpline),
        ]
        return [self.space(4), boxed(block, self.width, self.styles, shade=False, whole=True)]
