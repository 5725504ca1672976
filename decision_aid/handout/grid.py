"""The handout's tables: the options grid, plain grids, a box around a block, the clinic's
fill-in lines and the columns of the source list."""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING, Any, Final

from reportlab.platypus import Flowable, Table

from decision_aid.handout.markup import escape
from decision_aid.handout.style import INK, RULE, SHADE, padding, table_style
from decision_aid.handout.tags import Paragraph, TableTags

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reportlab.lib.styles import ParagraphStyle

    from decision_aid.content.handout_text import Options, OptionText
    from decision_aid.handout.markup import Citations
    from decision_aid.handout.style import Styles


# The room left and right of the text in a box.
BOX_SIDE_PADDING: Final = 7.0
# The room left and right of the text in every cell of the options grid and plain tables;
# the fitted column widths count it too.
_CELL_SIDE_PADDING: Final = 4.0


def boxed(
    flowables: list[Flowable],
    width: float,
    styles: Styles,
    *,
    shade: bool = True,
    weight: float = 1.5,
    whole: bool = False,
) -> Table:
    """The flowables in one box across the page, shaded grey unless told not to be.

    One row each, so that a long box may go on overleaf between them (the box is drawn
    around each part) unless it is to be kept whole; the first two stay together, so a
    title never ends a page alone.
    """
    # A box is layout: its text is read as the text around it, its border and shade are not.
    box = Table(
        [[flowable] for flowable in flowables],
        colWidths=[width],
        hAlign="LEFT",
        renderCB=TableTags(data=False),
    )
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), weight, INK),
        *padding(BOX_SIDE_PADDING, BOX_SIDE_PADDING, 2, 2),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 4),
        ("NOSPLIT", (0, 0), (-1, len(flowables) - 1 if whole else min(1, len(flowables) - 1))),
    ]
    if shade:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), SHADE))
    box.setStyle(table_style(styles, commands))
    return box


def fill_in_lines(
    values: tuple[tuple[str, str], ...], width: float, styles: Styles, *, pairs: bool
) -> Table:
    """Labelled values, one to a row; with pairs, two side by side where each fits on one
    line of half the width (a long clinic name gets a row of its own, which takes fewer
    lines than half of one). An empty value gets a line to write on by hand."""
    cells = [
        Paragraph(f"<b>{escape(label)}:</b> {escape(' '.join(value.split()))}", styles.cell)
        for label, value in values
    ]
    half = width / 2
    one_line = styles.cell.leading * 1.05
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        *padding(0, _FILL_IN_GAP, 6, 1),
    ]
    for start in range(0, len(cells), 2):
        pair = list(zip(cells[start : start + 2], values[start : start + 2], strict=True))
        fits = all(cell.wrap(half - _FILL_IN_GAP, 10_000)[1] <= one_line for cell, _ in pair)
        if pairs and fits and len(pair) == 2:
            row = len(rows)
            rows.append([cell for cell, _ in pair])
            for column, (_, (_, value)) in enumerate(pair):
                if not value.strip():
                    commands.append(("LINEBELOW", (column, row), (column, row), 0.75, RULE))
            continue
        for cell, (_, value) in pair:
            row = len(rows)
            rows.append([cell, ""])
            commands.append(("SPAN", (0, row), (1, row)))
            if not value.strip():
                commands.append(("LINEBELOW", (0, row), (1, row), 0.75, RULE))
    table = Table(rows, colWidths=[half, half], renderCB=TableTags(data=False))
    table.setStyle(table_style(styles, commands))
    return table


# The room after each fill-in line, before the next.
_FILL_IN_GAP: Final = 12.0


def options_grid(
    options: Options,
    columns: tuple[OptionText, OptionText, OptionText],
    width: float,
    styles: Styles,
    cite: Citations,
) -> Table:
    """The options side by side as an Option Grid: one column per option, each row one of
    the patient's questions, asked at the left of the answers of every option (IPDAS C1: the
    same fields in the same detail). A row never splits at a page break, and the options'
    names are repeated at the top of a new page. The columns' words are this consult's
    (:func:`decision_aid.handout.choices.option_columns`).

    The questions stand in a column of their own rather than on a line across the table
    above their answers: six such lines were a sixth of page 1 (docs/design.md 6.2).
    """
    cell, cell_bold = styles.cell, styles.cell_bold
    asked = options.questions
    # The options' names head the columns (repeated overleaf), the questions the rows.
    data: list[list[Any]] = [
        ["", *(Paragraph(escape(option.name), cell_bold) for option in columns)],
    ]
    for field, question in asked.model_dump().items():
        data.append(
            [
                Paragraph(escape(question), cell_bold),
                *(Paragraph(cite.markup(getattr(option, field)), cell) for option in columns),
            ]
        )
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BACKGROUND", (0, 1), (0, -1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *padding(_CELL_SIDE_PADDING, _CELL_SIDE_PADDING, 1, 2),
        # The names and what each option is stay together.
        ("NOSPLIT", (0, 0), (-1, 1)),
    ]
    # The options' names count too: a name wrapped over four lines made the header row (and
    # its copy overleaf) as tall as two rows of answers.
    fitting = [[Paragraph("", cell_bold), *data[0][1:]], *data[1:]]
    widths = fitted_widths(fitting, width, _GRID_START)
    # A data table: the options' names head the columns, each question heads its row.
    tags = TableTags(data=True, header_rows=1, header_columns=1)
    table = Table(data, colWidths=widths, repeatRows=1, renderCB=tags)
    table.setStyle(table_style(styles, commands))
    return table


# Where the options grid's columns start from: the questions narrow, the standard option's
# widest, as it names the options not yet tried.
_GRID_START: Final = (0.16, 0.22, 0.34, 0.28)
# Column widths move by this share of the table's width at a time.
_WIDTH_STEP: Final = 0.02
_MOST_STEPS: Final = 5


class ColumnsDoNotFit(ValueError):
    """A table's longest words are too long to stand side by side across the page."""

    def __init__(self, longest: str) -> None:
        super().__init__(f"a table's columns cannot hold their longest words (such as {longest!r})")
        self.longest = longest


def fitted_widths(
    rows: Sequence[Sequence[Paragraph]], width: float, start: Sequence[float]
) -> list[float]:
    """Column widths (in points, adding up to width) under which the rows are the shortest.

    From the start shares of the width, a step of width moves from one column to another
    while that makes the rows shorter; no column is made narrower than its longest word,
    so no word is ever broken. Found once per set of cells and sizes: the ladder is the
    same in every handout of a language and size, and the grid differs in one cell.

    Raises:
        ColumnsDoNotFit: the columns' longest words are wider than the table together.
    """
    cells = tuple(tuple((cell.text, _style_key(cell.style)) for cell in row) for row in rows)
    styles = {_style_key(cell.style): cell.style for row in rows for cell in row}
    units = _fitted_units(cells, width, tuple(start), 2 * _CELL_SIDE_PADDING, tuple(styles.items()))
    step = width * _WIDTH_STEP
    return [unit * step for unit in units[:-1]] + [width - step * sum(units[:-1])]


def _style_key(style: ParagraphStyle) -> tuple[str, float, float]:
    return (style.fontName, style.fontSize, style.leading)


@functools.lru_cache(maxsize=64)
def _fitted_units(
    cells: tuple[tuple[tuple[str, tuple[str, float, float]], ...], ...],
    width: float,
    start: tuple[float, ...],
    padding: float,
    styles: tuple[tuple[tuple[str, float, float], ParagraphStyle], ...],
) -> tuple[int, ...]:
    by_key = dict(styles)
    paragraphs = [[Paragraph(text, by_key[key]) for text, key in row] for row in cells]
    step = width * _WIDTH_STEP
    total = round(1 / _WIDTH_STEP)
    count = len(start)
    floor = [
        int(-(-(max(row[column].minWidth() for row in paragraphs) + padding) // step))
        for column in range(count)
    ]
    if sum(floor) > total:
        # Words this long cannot sit side by side: a pack's texts to shorten, not a table
        # to print with its last column cut off.
        longest = max((word for row in cells for text, _ in row for word in text.split()), key=len)
        raise ColumnsDoNotFit(longest)
    units = [max(round(share * total), low) for share, low in zip(start, floor, strict=True)]
    while sum(units) > total:
        # Too wide once each column holds its longest word: the roomiest one gives way.
        roomiest = max(range(count), key=lambda column: units[column] - floor[column])
        units[roomiest] -= 1
    units[-1] += total - sum(units)

    @functools.cache
    def height(row: int, column: int, unit: int) -> float:
        return float(paragraphs[row][column].wrap(unit * step - padding, 100_000)[1])

    def rows_height(candidate: Sequence[int]) -> float:
        return sum(
            max(height(row, column, unit) for column, unit in enumerate(candidate))
            for row in range(len(paragraphs))
        )

    best = rows_height(units)
    while True:
        moves = []
        # Up to a few steps at once: a cell's height falls only when a whole word moves up
        # a line, so one step alone often changes nothing.
        for giver, taker in itertools.permutations(range(count), 2):
            for amount in range(1, _MOST_STEPS + 1):
                if units[giver] - amount < floor[giver]:
                    break
                candidate = list(units)
                candidate[giver] -= amount
                candidate[taker] += amount
                moves.append((rows_height(candidate), candidate))
        if not moves:
            break
        shortest, candidate = min(moves, key=lambda move: move[0])
        # Only a real gain moves a column: equal heights keep the widths that came first.
        if shortest >= best - 0.5:
            break
        best, units = shortest, candidate
    return tuple(units)


def head_height(table: Table, width: float, rows: int) -> float:
    """The height of the table's first rows, as laid out across the width."""
    table.wrap(width, 100_000)
    return float(sum(table._rowHeights[:rows]))  # reportlab keeps them there


def plain_table(
    rows: list[list[Flowable]],
    widths: list[float],
    styles: Styles,
    *,
    header: bool = True,
    heights: list[float | None] | None = None,
) -> Table:
    """A simple grid of cells, its first row shaded as the header; heights sets the rows'
    heights (None: as tall as their text)."""
    table = Table(
        rows,
        colWidths=widths,
        rowHeights=heights,
        repeatRows=1 if header else 0,
        renderCB=TableTags(data=True, header_rows=1 if header else 0),
    )
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *padding(_CELL_SIDE_PADDING, _CELL_SIDE_PADDING, 1, 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(table_style(styles, commands))
    return table


class Columns(Flowable):  # type: ignore[misc]
    """Entries in columns of about equal height, read down the first, then the next; when
    the page has too little room, as many as fit there, the rest overleaf.

    Each entry is measured once; reportlab's BalancedColumns lays the text out again and
    again to find its cuts, a third of a handout's render time.
    """

    GAP: Final = 10.0

    def __init__(
        self, entries: list[Flowable], count: int = 3, heights: list[float] | None = None
    ) -> None:
        super().__init__()
        self.entries = entries
        self.count = count
        self.heights = heights
        self.columns: list[list[int]] = []

    def _column_width(self, width: float) -> float:
        return (width - self.GAP * (self.count - 1)) / self.count

    def _measure(self, width: float) -> list[float]:
        if self.heights is None:
            column = self._column_width(width)
            self.heights = [
                entry.wrap(column, 10_000)[1] + entry.getSpaceAfter() for entry in self.entries
            ]
        return self.heights

    def _fill(self, width: float, height: float) -> list[list[int]]:
        """The entries of each column: balanced when all fit, else each column filled."""
        heights = self._measure(width)
        total = sum(heights)
        balanced: list[list[int]] = [[] for _ in range(self.count)]
        running = 0.0
        for index, entry_height in enumerate(heights):
            place = min(int((running + entry_height / 2) * self.count / total), self.count - 1)
            balanced[place].append(index)
            running += entry_height
        if max(self._height(entries) for entries in balanced) <= height:
            return balanced
        filled: list[list[int]] = [[] for _ in range(self.count)]
        index = 0
        for entries in filled:
            used = 0.0
            while index < len(heights) and used + heights[index] <= height:
                entries.append(index)
                used += heights[index]
                index += 1
        return filled

    def _height(self, indexes: list[int]) -> float:
        assert self.heights is not None
        return sum(self.heights[index] for index in indexes)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.columns = self._fill(available_width, available_height)
        if sum(len(column) for column in self.columns) < len(self.entries):
            # Too tall for the room: the frame must split it, or no entry may be lost.
            return available_width, sum(self._measure(available_width))
        return available_width, max(self._height(column) for column in self.columns)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        placed = sum(len(column) for column in self._fill(available_width, available_height))
        if placed == len(self.entries):
            return [self]
        if placed == 0:
            return []
        heights = self._measure(available_width)
        first = Columns(self.entries[:placed], self.count, heights[:placed])
        rest = Columns(self.entries[placed:], self.count, heights[placed:])
        return [first, rest]

    def draw(self) -> None:
        assert self.heights is not None
        column_width = self._column_width(self.width)
        top = max(self._height(column) for column in self.columns)
        for number, indexes in enumerate(self.columns):
            x = number * (column_width + self.GAP)
            y = top
            for index in indexes:
                entry = self.entries[index]
                _, entry_height = entry.wrap(column_width, 10_000)
                y -= self.heights[index]
                entry.drawOn(self.canv, x, y + self.heights[index] - entry_height)
