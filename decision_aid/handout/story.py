"""The handout as a story: its sections in page order, built from a :class:`Tailoring`.

Every string comes from the language's handout texts and every number from the evidence
library; this module decides only what goes where, and :mod:`decision_aid.handout._pdf`
lays the story out on pages. It is given the consult's tailoring, never the consult nor its
assessment (docs/design.md section 6, privacy on paper): a section can print only what the
tailoring holds. reportlab is imported by this module and the ones it uses: ``style``
(fonts, sizes, styles), ``markup`` (escaping, source numbers), ``grid`` (the tables),
``pictures`` (icon arrays) and ``page`` (the columns' frames).

The page order follows docs/design.md section 6: the decision and one main message, the
options side by side, then the evidence, what an infusion is like, safety and support for
everyone, cost, what matters to the patient, next steps, and who made the handout. The
tables and pictures take the whole width; what follows the evidence ladder is read in two
columns at normal size, so that its lines are short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer
from reportlab.platypus.flowables import FrameSplitter

from decision_aid.handout.about import about_paragraphs
from decision_aid.handout.choices import cost_parts, numbers_rows, option_columns
from decision_aid.handout.deliberation import (
    knowledge_answers,
    knowledge_items,
    matters_table,
    sure_table,
)
from decision_aid.handout.grid import (
    BOX_SIDE_PADDING,
    Columns,
    boxed,
    fill_in_lines,
    fitted_widths,
    head_height,
    options_grid,
    plain_table,
)
from decision_aid.handout.markup import Citations, escape
from decision_aid.handout.page import COLUMNS_FRAMES, IN_COLUMNS, SheetStart, column_width
from decision_aid.handout.pictures import picture_block
from decision_aid.handout.style import SOURCES_GREY, Styles
from decision_aid.handout.tags import LIST_ITEM, Paragraph

if TYPE_CHECKING:
    import datetime

    from decision_aid.content import Content, Source
    from decision_aid.content.handout_text import HandoutText
    from decision_aid.handout import ClinicDetails
    from decision_aid.handout.tailoring import Tailoring

__all__ = ["build_story", "words_date"]

# The most a paragraph across the page holds, in ems of its type: about 65 characters of
# plain text (handout-standards asks for about 65 a line).
_PROSE_EMS: Final = 34
# Where the ladder's columns start from before they are fitted to their words.
_LADDER_START: Final = (0.22, 0.26, 0.26, 0.26)
# Where "Standard options in numbers" starts from: what the studies found is the longest.
_NUMBERS_START: Final = (0.17, 0.35, 0.24, 0.12, 0.12)
_NUMBERS_FOLDED_START: Final = (0.3, 0.4, 0.3)
# A paragraph longer than this many lines may part from its heading after its first lines.
_LONG_LINES: Final = 4


def words_date(date: datetime.date, text: HandoutText) -> str:
    """A date in words ("1 December 2026", "1 de diciembre de 2026"): read alike in every
    country, unlike 12/1/2026."""
    return text.date.format(day=date.day, month=text.months[date.month - 1], year=date.year)


def build_story(
    tailoring: Tailoring,
    content: Content,
    width: float,
    clinic: ClinicDetails,
    *,
    overdue: bool,
    styles: Styles,
) -> list[Flowable]:
    """The story (the list of flowables) of one handout, in page order.

    Args:
        tailoring: all the handout may know of the consult, its language among it.
        content: the handout texts, the evidence library and the pack's dates.
        width: the width of the text across the page, in points.
        clinic: the clinic's lines on page 1 (empty ones are left to fill in by hand).
        overdue: the content is past its review date: page 1 says so.
        styles: the fonts and sizes of one print size.

    Raises:
        ColumnsDoNotFit: a table's longest words cannot stand side by side across the page.
    """
    return _Builder(tailoring, content, width, clinic, overdue, styles).build()


class _Builder:
    """Builds the story (the list of flowables) of one handout."""

    def __init__(
        self,
        tailoring: Tailoring,
        content: Content,
        width: float,
        clinic: ClinicDetails,
        overdue: bool,
        styles: Styles,
    ) -> None:
        self.tailoring = tailoring
        self.content = content
        self.text: HandoutText = content.handout[tailoring.language]
        self.width = width
        self.clinic = clinic
        self.overdue = overdue
        self.styles = styles
        self.scale = styles.size.scale
        self.cite = Citations()
        self.story: list[Flowable] = []
        # Paragraphs across the page stop at about 65 characters (the tables and boxes keep
        # the whole width); in the columns, and in large print, they fill their width.
        measure = _PROSE_EMS * styles.body.fontSize
        self.prose = ParagraphStyle(
            "prose", parent=styles.body, rightIndent=max(0.0, width - measure)
        )

    # -- small pieces ---------------------------------------------------------------------

    @property
    def two_columns(self) -> bool:
        """Whether the second half is set in two columns (normal print) or one (large)."""
        return self.styles.size.columns == 2

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.cite.markup(text), style or self.styles.body)

    def heading(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.styles.heading)

    def bullets(self, items: tuple[str, ...]) -> list[Flowable]:
        return [
            Paragraph(self.cite.markup(item), self.styles.bullet, bulletText="•") for item in items
        ]

    def numbered(self, items: list[str]) -> list[Flowable]:
        return [
            Paragraph(self.cite.markup(item), self.styles.numbered, bulletText=f"{number}.")
            for number, item in enumerate(items, start=1)
        ]

    def sources_text(self) -> str:
        """The "Sources" words of the section just built ("Sources: 1, 4, 5"), or ""."""
        numbers = self.cite.section_numbers()
        if not numbers:
            return ""
        # No-break spaces: the words wrap as one, so no line holds only source numbers.
        listed = ",\u00a0".join(str(number) for number in numbers)
        return f"{escape(self.text.sources)}:\u00a0{listed}"

    def close(self, block: list[Flowable]) -> list[Flowable]:
        """The section's "Sources" words in small print at the end of its last paragraph,
        where there is room on its last line; on a line of their own after anything else."""
        words = self.sources_text()
        if not words:
            return block
        last = block[-1] if block else None
        if isinstance(last, Paragraph):
            small = self.styles.sources
            # In the regular face even at the end of a heading.
            tail = (
                f'\u2002<font name="{small.fontName}" size="{small.fontSize:g}" '
                f'color="{SOURCES_GREY}">{words}</font>'
            )
            block[-1] = Paragraph(
                last.text + tail, last.style, bulletText=last.bulletText, role=last.role
            )
            return block
        return [*block, Paragraph(words, self.styles.sources)]

    def height(self, flowables: list[Flowable]) -> float:
        """The height the flowables take one after another, with the room around them."""
        total = 0.0
        for flowable in flowables:
            total += float(flowable.wrap(self.width, 10_000)[1])
            total += float(flowable.getSpaceBefore()) + float(flowable.getSpaceAfter())
        return total

    def box_width(self) -> float:
        """A box as wide as a paragraph of prose and its padding, no wider than the room."""
        prose = self.width - float(self.prose.rightIndent)
        return min(self.width, prose + 2 * BOX_SIDE_PADDING)

    def space(self, points: float) -> Spacer:
        return Spacer(1, points * self.scale)

    def lead_in(self, lead: list[Flowable], rest: list[Flowable]) -> None:
        """A heading (and its intro) kept with the first of what follows, so that neither a
        heading nor an intro ends a page; the rest may go on overleaf.

        A long first paragraph is not moved whole: the heading needs room for itself and
        three of its lines, and the paragraph may go on in the next column (kept whole, "About
        this handout" and "Paying for care" left a fifth of a column empty)."""
        first = rest[0]
        if isinstance(first, Paragraph) and first._role() == "P":
            lines = float(first.style.leading)
            if self.height([first]) > _LONG_LINES * lines:
                self.story.append(CondPageBreak(self.height(lead) + 3 * lines))
                for flowable in lead:
                    # The room is made above: reportlab's keep-with-next would move the
                    # whole paragraph again.
                    flowable.keepWithNext = 0
                self.story.extend(lead)
                self.story.extend(rest)
                return
        self.story.append(KeepTogether([*lead, first]))
        self.story.extend(rest[1:])

    # -- the sections, in page order ------------------------------------------------------

    def build(self) -> list[Flowable]:
        self.top()
        self.options()
        self.research()
        self.results()
        self.numbers()
        self.ladder()
        columns_start = len(self.story)
        self.into_columns()
        self.crps()
        self.infusion_and_harms()
        self.split_for_columns(columns_start)
        self.safety()
        self.support()
        self.cost()
        self.matters()
        self.next_steps()
        self.about()
        return self.story

    def top(self) -> None:
        text, styles = self.text, self.styles
        self.story.append(Paragraph(escape(text.title), styles.title))
        # In the heading's type, but a sentence under the title, not a heading.
        self.story.append(Paragraph(escape(text.decision), styles.subheading, role="P"))
        message = self.close([Paragraph(self.cite.markup(text.main_message), styles.message)])
        self.story.append(boxed(message, self.box_width(), styles, shade=True, weight=2))
        line = self.tailoring.status_line
        if line is not None:
            self.story.append(self.space(5))
            status = Paragraph(f"<b>{escape(getattr(text.status, line.value))}</b>", self.prose)
            self.story.append(status)
        if self.overdue:
            # One bold line here; the footer of every page says it again.
            notice = text.overdue.long.format(date=words_date(self.content.pack.next_review, text))
            self.story.append(self.space(3))
            self.story.append(Paragraph(f"<b>{escape(notice)}</b>", self.prose))
        self.story.append(self.space(5))
        self.story.append(self.para(text.intro, self.prose))
        # What the condition is (IPDAS Q1), in two sentences before the options.
        self.story.extend(self.close([self.para(text.condition, self.prose)]))

    def options(self) -> None:
        options = self.text.options
        columns = option_columns(self.text, self.tailoring)
        grid = options_grid(options, columns, self.width, self.styles, self.cite)
        # Not kept with the grid as a heading is (the whole grid would move to a new page):
        # the page break before it makes room for the heading, the options' names and what
        # they are (a question never parts from its answers, so it may start overleaf). The
        # grid's "Sources" go on the heading's line: under the grid they would start the
        # next page alone whenever the grid just fits.
        (title,) = self.close([Paragraph(escape(options.title), self.styles.heading_alone)])
        self.story.append(CondPageBreak(self.height([title]) + head_height(grid, self.width, 2)))
        self.story.append(title)
        self.story.append(grid)

    def research(self) -> None:
        """The research-study box a US reader can act on (docs/design.md 6.4): its title
        on a line of its own, then how to look, the placebo group, the cost, the example."""
        research = self.text.research
        block = [
            Paragraph(escape(research.title), self.styles.subheading),
            *(self.para(paragraph) for paragraph in research.paragraphs),
        ]
        self.story.append(self.space(4))
        # As wide as the main message's box: lines of about 65 characters.
        box = boxed(self.close(block), self.box_width(), self.styles, shade=False, weight=1)
        self.story.append(box)

    def numbers(self) -> None:
        """ "Standard options in numbers" (docs/design.md 6.3): a row per standard option
        not yet tried, or one sentence when every one was tried."""
        numbers, styles = self.text.numbers, self.styles
        rows = numbers_rows(self.text, self.tailoring)
        heading = self.heading(numbers.title)
        if not rows:
            self.story.extend(self.close([heading, self.para(numbers.all_tried, self.prose)]))
            return
        labels = numbers.columns
        # Large print has no room for five columns of 16 pt words: how sure and the
        # guideline's advice go under the option's name, labelled.
        folded = not self.two_columns
        heads = [labels.option, labels.found, labels.side_effects]
        if not folded:
            heads += [labels.sure, labels.advice]
        cells: list[list[Flowable]] = [
            [Paragraph(escape(label), styles.cell_bold) for label in heads]
        ]
        for row in rows:
            option = f"**{row.option}**"
            if folded:
                option += f" {labels.sure} {row.sure} {labels.advice}: {row.advice}"
            values = [option, row.found, row.side_effects]
            if not folded:
                values += [row.sure, row.advice]
            cells.append([Paragraph(self.cite.markup(value), styles.cell) for value in values])
        start = _NUMBERS_START if not folded else _NUMBERS_FOLDED_START
        table = plain_table(cells, fitted_widths(cells, self.width, start), styles)
        lead = self.close([heading, self.para(numbers.intro, self.prose)])
        self.story.append(CondPageBreak(self.height(lead) + head_height(table, self.width, 2)))
        self.story.append(KeepTogether(lead))
        self.story.append(table)

    def infusion_and_harms(self) -> None:
        """What an infusion is like, then the serious harms under a sub-heading of their
        own, with one "Sources" line for both."""
        infusion, harms = self.text.infusion, self.text.harms
        items = self.bullets(infusion.items)
        harm_items = self.close(self.bullets(harms.items))
        self.lead_in([self.heading(infusion.title)], items)
        self.lead_in([Paragraph(escape(harms.title), self.styles.subheading)], harm_items)

    def results(self) -> None:
        results = self.text.results
        figures = self.content.evidence.figures
        blocks = [
            picture_block(picture, figures, results, self.cite, self.styles, self.width, self.prose)
            for picture in results.pictures
        ]
        # The heading and the way to read the pictures go with the first picture.
        intro = [
            self.heading(results.title),
            self.para(f"{results.intro} {results.comparison}", self.prose),
        ]
        blocks[0] = intro + blocks[0]
        for block in blocks:
            # A heading goes with the words after it (keepWithNext); the icons may go on
            # overleaf, a time point at a time.
            self.story.extend(block)
        self.story.extend(self.close([self.para(results.uncertainty, self.prose)]))

    def ladder(self) -> None:
        ladder, styles = self.text.ladder, self.styles
        columns = ladder.columns.model_dump()
        rows: list[list[Flowable]] = [
            [Paragraph(escape(label), styles.cell_bold) for label in columns.values()]
        ]
        for row in (ladder.rows.fibromyalgia, ladder.rows.crps, ladder.rows.trd):
            cells = row.model_dump()
            rows.append(
                [
                    Paragraph(
                        self.cite.markup(cells[key]),
                        styles.cell_bold if key == "condition" else styles.cell,
                    )
                    for key in columns
                ]
            )
        # Columns as wide as their words need (none broken), the rows the shortest.
        table = plain_table(rows, fitted_widths(rows, self.width, _LADDER_START), styles)
        # The table may go on overleaf between rows, its header repeated. Its heading and
        # intro (which ends with the table's "Sources", as the grid's heading does) go with
        # the header and the first row: a new page first if they do not fit.
        lead = self.close([self.heading(ladder.title)])
        self.story.append(CondPageBreak(self.height(lead) + head_height(table, self.width, 2)))
        self.story.append(KeepTogether(lead))
        self.story.append(table)

    def into_columns(self) -> None:
        """From here on, two columns at normal size: the rest of this page is cut in two,
        and the pages after it have two columns (lines of about 45 characters, where the
        whole width holds about 90). Large print keeps one column: 16 pt in half the width
        would leave a few words a line."""
        if not self.two_columns:
            return
        self.width = column_width(self.width)
        self.prose = self.styles.body

    def split_for_columns(self, start: int) -> None:
        """Cuts the page in two columns where the story reaches start, once what begins
        the columns is built: if the first of it (a heading kept with its first lines, or
        a paragraph's first lines) does not fit in the room left, the columns start on a
        new page. Both columns of the rest of a page are as short as that room, so a
        heading that does not fit in one would not fit in the other either, and reportlab
        would then part it from its lines."""
        if not self.two_columns:
            return
        first = self.story[start]
        if isinstance(first, KeepTogether):
            # Measured part by part: a KeepTogether measures itself only on a canvas.
            # The parts sit in reportlab's private _content: there is no public accessor.
            height = self.height(first._content)
        else:
            height = min(self.height([first]), 4 * self.styles.body.leading)
        splitter = FrameSplitter(
            IN_COLUMNS, list(COLUMNS_FRAMES), gap=6 * self.scale, required=height
        )
        self.story.insert(start, splitter)

    def crps(self) -> None:
        """For a patient with CRPS, what the studies found in CRPS, just after the ladder's
        CRPS row."""
        if self.tailoring.shows_crps:
            crps = self.text.crps
            lines = [self.para(f"**{crps.title}.** {paragraph}") for paragraph in crps.paragraphs]
            self.story.extend(self.close(lines))

    def safety(self) -> None:
        safety = self.text.safety
        items = self.bullets(safety.items)
        # The checklist's sources are in a text of their own, counted for its Sources line.
        self.cite.markup(safety.sources)
        self.lead_in([self.heading(safety.title), self.para(safety.intro)], self.close(items))

    def support(self) -> None:
        support, styles = self.text.support, self.styles
        block: list[Flowable] = [Paragraph(escape(support.title), styles.subheading)]
        block = self.close([*block, self.para(support.crisis), self.para(support.helpline)])
        self.story.append(self.space(4))
        # Kept whole: the two lines to call are read together, never a column apart.
        self.story.append(boxed(block, self.width, styles, shade=False, weight=2, whole=True))

    def cost(self) -> None:
        """Paying for care, by coverage and ability to pay (docs/design.md 6.5)."""
        parts = cost_parts(self.text.cost, self.tailoring)
        paragraphs: list[Flowable] = []
        if parts.lower_cost_first is not None:
            # Before any price, for someone who has no insurance or may not be able to pay.
            paragraphs.append(self.para(parts.lower_cost_first))
        paragraphs.append(self.para(parts.price))
        paragraphs.append(self.para(parts.coverage))
        heading = [self.heading(self.text.cost.title)]
        if parts.call is None:
            self.lead_in(heading, self.close(paragraphs))
            return
        self.lead_in(heading, paragraphs)
        # A short paragraph, not a list of one step (docs/design.md 6.5).
        title, text = parts.call
        call = self.close([self.para(text)])
        self.lead_in([Paragraph(escape(title), self.styles.subheading)], call)

    def matters(self) -> None:
        """Page 4's deliberation (design 6.7): what matters, linked to the options; a check
        of what was understood, its answers upside down; the four SURE questions."""
        matters, styles = self.text.matters, self.styles
        chosen = self.tailoring.priorities
        # The words after a recorded priority are explained only when there is one.
        words = f"{matters.intro} {matters.recorded}" if chosen else matters.intro
        intro = [self.heading(matters.title), self.para(words)]
        table = matters_table(matters, chosen, styles, self.cite, self.width)
        lead = self.close(intro)
        self.story.append(CondPageBreak(self.height(lead) + head_height(table, self.width, 2)))
        self.story.append(KeepTogether(lead))
        self.story.append(table)
        knowledge = self.text.knowledge
        items = self.close(knowledge_items(knowledge, styles, self.cite))
        # One block: the answers stay at the foot of the statements' column (design 6.7).
        self.story.append(
            KeepTogether(
                [
                    self.heading(knowledge.title),
                    self.para(knowledge.intro),
                    *items,
                    knowledge_answers(knowledge, styles),
                ]
            )
        )
        sure = self.text.sure
        follow_up = self.close([self.para(sure.follow_up)])
        table = sure_table(sure, styles, self.width)
        # The table may go on in the next column between rows (its header repeated): kept
        # whole, it left most of a column empty when it just missed the room.
        heading = self.heading(sure.title)
        self.story.append(CondPageBreak(self.height([heading]) + head_height(table, self.width, 3)))
        self.story.append(heading)
        self.story.append(table)
        self.story.extend(follow_up)

    def next_steps(self) -> None:
        steps, styles = self.text.next_steps, self.styles
        block: list[Flowable] = [self.heading(steps.title), *self.numbered(list(steps.steps))]
        self.story.append(KeepTogether(block))
        questions, teach_back = self.text.questions, self.text.teach_back
        # The fill-in lines end in ":": they go with the questions, never last on a page.
        title = Paragraph(escape(questions.title), styles.subheading)
        self.lead_in([self.fill_in(), title], self.bullets(questions.items))
        self.story.append(self.para(f"**{teach_back.title}.** {teach_back.text}"))

    def fill_in(self) -> Flowable:
        labels = self.text.fill_in
        values = (
            (labels.clinic, self.clinic.name),
            (labels.clinician, self.clinic.clinician),
            (labels.contact, self.clinic.contact),
            (labels.next_visit, ""),
        )
        # In a column, one to a row with room to write; across the page, two to a row
        # where they fit.
        return fill_in_lines(values, self.width, self.styles, pairs=not self.two_columns)

    def about(self) -> None:
        """Who wrote the handout, who checked it, who paid for it, its version and next
        check, how the facts were chosen and its reading level, at body size; then the
        numbered sources in columns that may go on overleaf."""
        text = self.text
        paragraphs = about_paragraphs(
            self.content, self.tailoring.language, lambda date: words_date(date, text)
        )
        # At body size: the items a certification rests on are not small print (design 6.8).
        self.lead_in([self.heading(text.about.title)], [self.para(words) for words in paragraphs])
        # The list comes last: by now every source of the handout has its number.
        entries: list[Flowable] = []
        for number, key in enumerate(self.cite.order, start=1):
            source = self.content.evidence.sources[key]
            entry = _reference(source, text.source_names.get(key, source.short))
            entries.append(
                Paragraph(f"{number}. {escape(entry)}", self.styles.source_entry, role=LIST_ITEM)
            )
        if not self.two_columns:
            # Large print: the list on a sheet of its own after the handout's pages, in type
            # that can be read (docs/design.md 6.1); the sheet is not counted in "page X of Y".
            self.story.append(PageBreak())
            self.story.append(SheetStart())
            self.story.append(Paragraph(escape(text.sources_sheet_title), self.styles.heading))
            self.story.append(Columns(entries, self.styles.size.source_columns))
            return
        # Not kept with the list as a heading is (the list would jump whole to a new page):
        # the page break before it makes room for the title and a few entries instead.
        title = Paragraph(escape(text.references_title), self.styles.list_title)
        # The title goes with the first entries: the list may start at the foot of a page.
        self.story.append(
            CondPageBreak(title.wrap(self.width, 10_000)[1] + 4 * self.styles.small.leading)
        )
        self.story.append(title)
        # Already in a column: the entries flow down it and on into the next.
        self.story.extend(entries)


# Sources printed in full when they have no PMID or DOI: a paper is found by its title.
_PAPERS: Final = frozenset(
    {"randomized_trial", "systematic_review", "observational", "case_report", "guideline"}
)


def _reference(source: Source, name: str) -> str:
    """One entry of the source list: its name in the handout's language with its PMID or
    DOI, which find a paper; a paper with neither in full; a label, a web page or a registry
    by its name."""
    short = " ".join(name.split())
    if source.identifier:
        return f"{short.rstrip('.')}. {source.identifier}."
    if source.kind in _PAPERS:
        return " ".join(source.citation.split())
    registry = f" {source.registry}." if source.registry and source.registry not in short else ""
    return f"{short.rstrip('.')}.{registry}"
