"""The handout's pictures: each figure of the evidence library as icon arrays, one 10 x 10
grid per group of the study, with the words that say what each grid shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Table

from decision_aid.handout.markup import escape
from decision_aid.handout.style import padding, table_style

if TYPE_CHECKING:
    from decision_aid.content import Figure
    from decision_aid.handout.markup import Citations
    from decision_aid.handout.style import Styles
    from decision_aid.handout_text import FigureText, Results

ICON_ON: Final = colors.Color(0.2, 0.2, 0.2)
ICON_OFF: Final = colors.white
ICON_EDGE: Final = colors.Color(0.55, 0.55, 0.55)

# One scale for every icon array, so that the pictures compare (risk communication rules).
ICON_CELL: Final = 6.0
ICON_GAP: Final = 1.0
ICON_SIDE: Final = 10 * ICON_CELL + 9 * ICON_GAP


def figure_block(
    figure: Figure,
    words: FigureText,
    results: Results,
    cite: Citations,
    styles: Styles,
    width: float,
) -> list[Flowable]:
    """One figure: its heading, who was studied (with its citation) and an icon array with a
    caption for each group."""
    heading = results.heading.format(label=words.label, timepoint=words.timepoint)
    studied = results.studied.format(study_size=words.study_size, population=words.population)
    studied += " " + cite.mark(figure.citations)
    cells: list[Any] = []
    widths: list[float] = []
    text_width = (width - len(figure.arms) * (ICON_SIDE + 10)) / len(figure.arms)
    for arm, arm_name in zip(figure.arms, words.arms, strict=True):
        n = arm.per_100()
        caption = (
            f"<b>{escape(arm_name[:1].upper() + arm_name[1:])}</b><br/>"
            + escape(results.had.format(n=n, outcome=words.outcome))
            + "<br/>"
            + escape(results.had_not.format(n=100 - n))
        )
        cells += [IconArray(n), Paragraph(caption, styles.cell)]
        widths += [ICON_SIDE + 10, text_width]
    table = Table([cells], colWidths=widths)
    table.setStyle(table_style(styles, [("VALIGN", (0, 0), (-1, -1), "TOP"), *padding(0, 6, 2, 3)]))
    return [
        Paragraph(escape(heading), styles.subheading),
        Paragraph(cite.markup(studied), styles.body),
        table,
    ]


class IconArray(Flowable):  # type: ignore[misc]
    """100 squares in a 10 x 10 grid: ``events`` dark ones, filled row by row from the top.

    Drawn straight on the canvas rather than as a reportlab Drawing: a Drawing resets the
    font to Helvetica, which would add a font that is not embedded.
    """

    def __init__(self, events: int) -> None:
        super().__init__()
        self.events = events
        self.width = self.height = ICON_SIDE

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return ICON_SIDE, ICON_SIDE

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.5)
        # Colours set once per group, not per square: 600 squares a handout add up.
        # A white edge keeps dark neighbours apart, so the squares can still be counted.
        for on, fill, edge in ((True, ICON_ON, ICON_OFF), (False, ICON_OFF, ICON_EDGE)):
            canvas.setFillColor(fill)
            canvas.setStrokeColor(edge)
            for index in range(100):
                if (index < self.events) != on:
                    continue
                row, column = divmod(index, 10)
                x = column * (ICON_CELL + ICON_GAP)
                y = ICON_SIDE - (row + 1) * ICON_CELL - row * ICON_GAP
                canvas.rect(x, y, ICON_CELL, ICON_CELL, stroke=1, fill=1)
