"""The handout's tables: the options grid, a box around a block, the clinic's fill-in lines,
the check boxes of what matters, and two balanced columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from decision_aid.handout.markup import escape
from decision_aid.handout.style import INK, RULE, SHADE, padding, table_style

if TYPE_CHECKING:
    from decision_aid.handout.markup import Citations
    from decision_aid.handout.style import Styles
    from decision_aid.handout_text import Options

# reportlab's own cell padding, for the one side a table keeps it.
DEFAULT_PADDING = 6


def boxed(
    flowables: list[Flowable],
    width: float,
    styles: Styles,
    *,
    shade: bool = True,
    weight: float = 1.5,
) -> Table:
    """The flowables in one box across the page, shaded grey unless told not to be."""
    box = Table([[flowables]], colWidths=[width])
    commands: list[tuple[Any, ...]] = [("BOX", (0, 0), (-1, -1), weight, INK), *padding(8, 8, 6, 6)]
    if shade:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), SHADE))
    box.setStyle(table_style(styles, commands))
    return box


def fill_in_lines(values: tuple[tuple[str, str], ...], width: float, styles: Styles) -> Table:
    """Labelled values two to a row; an empty value gets a line to write on by hand."""
    half = width / 2
    cells = [
        Paragraph(f"<b>{escape(label)}:</b> {escape(' '.join(value.split()))}", styles.cell)
        for label, value in values
    ]
    table = Table([cells[0:2], cells[2:4]], colWidths=[half, half])
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        *padding(0, 12, 6, 1),
    ]
    for index, (_, value) in enumerate(values):
        if not value.strip():
            row, column = divmod(index, 2)
            commands.append(("LINEBELOW", (column, row), (column, row), 0.75, RULE))
    table.setStyle(table_style(styles, commands))
    return table


def options_table(
    options: Options, standard_what: str, width: float, styles: Styles, cite: Citations
) -> Table:
    """The four options side by side, one row for each thing to compare (IPDAS C1); the
    header row is repeated when the table goes on overleaf."""
    columns = (options.current, options.standard, options.ketamine, options.trial)
    label_width = 62.0
    column_width = (width - label_width) / len(columns)
    cell, cell_bold = styles.cell, styles.cell_bold
    data: list[list[Any]] = [
        [Spacer(1, 1)] + [Paragraph(escape(c.name), cell_bold) for c in columns]
    ]
    for field, label in options.rows.model_dump().items():
        row: list[Any] = [Paragraph(escape(label), cell_bold)]
        for option in columns:
            value = (
                standard_what
                if option is options.standard and field == "what"
                else getattr(option, field)
            )
            row.append(Paragraph(cite.markup(value), cell))
        data.append(row)
    table = Table(data, colWidths=[label_width] + [column_width] * len(columns), repeatRows=1)
    table.setStyle(
        table_style(
            styles,
            [
                ("GRID", (0, 0), (-1, -1), 0.75, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *padding(4, 4, 3, 4),
            ],
        )
    )
    return table


def check_grid(boxes: list[Flowable], width: float, styles: Styles) -> Table:
    """Check boxes in two columns, filled down the first column, then the second."""
    rows = (len(boxes) + 1) // 2
    grid = Table(
        [
            [boxes[row], boxes[row + rows] if row + rows < len(boxes) else Spacer(1, 1)]
            for row in range(rows)
        ],
        colWidths=[width / 2, width / 2],
    )
    grid.setStyle(
        table_style(
            styles,
            [("VALIGN", (0, 0), (-1, -1), "TOP"), *padding(0, DEFAULT_PADDING, 0, 0)],
        )
    )
    return grid


def two_columns(flowables: list[Flowable], width: float, styles: Styles) -> Table:
    """Flowables in two columns of about equal height.

    Measured once and cut in the middle: reportlab's BalancedColumns searches for the cut
    by laying out the text again and again, a third of the whole render time.
    """
    gap = 10.0
    column = (width - gap) / 2
    heights = [
        flowable.wrap(column, 10_000)[1] + flowable.getSpaceAfter() for flowable in flowables
    ]
    half, running, cut = sum(heights) / 2, 0.0, len(flowables)
    for index, height in enumerate(heights):
        if running + height / 2 > half:
            cut = index
            break
        running += height
    table = Table([[flowables[:cut], flowables[cut:]]], colWidths=[column + gap, column])
    table.setStyle(
        table_style(
            styles,
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *padding(0, 0, 0, 0),
                # The gap between the columns: the first column's right padding.
                ("RIGHTPADDING", (0, 0), (0, 0), gap),
            ],
        )
    )
    return table
