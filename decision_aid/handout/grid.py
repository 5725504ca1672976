"""The handout's tables: the options grid, plain grids, a box around a block, the clinic's
fill-in lines and the two columns of the source list."""

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


def options_grid(
    options: Options, standard_what: str, width: float, styles: Styles, cite: Citations
) -> Table:
    """The options side by side as an Option Grid: one column per option, each row one of
    the patient's questions, asked above the answers of every option (IPDAS C1: the same
    fields in the same detail). A question and its answers never part at a page break, and
    the options' names are repeated at the top of a new page."""
    columns = (options.current, options.standard, options.ketamine)
    column_width = width / len(columns)
    cell, cell_bold = styles.cell, styles.cell_bold
    data: list[list[Any]] = [[Paragraph(escape(option.name), cell_bold) for option in columns]]
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *padding(4, 4, 2, 4),
    ]
    for field, question in options.questions.model_dump().items():
        row = len(data)
        data.append([Paragraph(escape(question), cell_bold), "", ""])
        answers: list[Any] = []
        for option in columns:
            value = (
                standard_what
                if option is options.standard and field == "what"
                else getattr(option, field)
            )
            answers.append(Paragraph(cite.markup(value), cell))
        data.append(answers)
        commands += [
            ("SPAN", (0, row), (-1, row)),
            ("LINEABOVE", (0, row), (-1, row), 1.0, INK),
            ("NOSPLIT", (0, row), (-1, row + 1)),
        ]
    table = Table(data, colWidths=[column_width] * len(columns), repeatRows=1)
    table.setStyle(table_style(styles, commands))
    return table


def plain_table(
    rows: list[list[Flowable]], widths: list[float], styles: Styles, *, header: bool = True
) -> Table:
    """A simple grid of cells, its first row shaded as the header."""
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *padding(4, 4, 2, 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(table_style(styles, commands))
    return table


def side_by_side(cells: list[Flowable], widths: list[float], styles: Styles) -> Table:
    """Flowables in one row with no lines, tops aligned."""
    table = Table([cells], colWidths=widths)
    table.setStyle(
        table_style(styles, [("VALIGN", (0, 0), (-1, -1), "TOP"), *padding(0, 6, 0, 0)])
    )
    return table


def two_columns(entries: list[Flowable], width: float, styles: Styles) -> Table:
    """Entries in two columns, the first half down the left and the rest down the right.

    One table row per pair, so that the list can go on overleaf between rows; a single long
    block would jump whole to a new page.
    """
    gap = 10.0
    column = (width - gap) / 2
    half = (len(entries) + 1) // 2
    rows = [
        [entries[index], entries[index + half] if index + half < len(entries) else Spacer(1, 1)]
        for index in range(half)
    ]
    table = Table(rows, colWidths=[column + gap, column])
    table.setStyle(
        table_style(
            styles,
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *padding(0, 0, 0, 1),
                # The gap between the columns: the first column's right padding.
                ("RIGHTPADDING", (0, 0), (0, -1), gap),
            ],
        )
    )
    return table
