"""The handout's pictures: each figure of the evidence library as icon arrays of the real
groups of the study (8 of the 12 people, never "67 out of 100"), one array per group, with
the words that say what each shows and how sure the number is (docs/design.md section 6)."""

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

ICON_ON: Final = colors.Color(0.15, 0.15, 0.15)
ICON_OFF: Final = colors.white
ICON_EDGE: Final = colors.Color(0.45, 0.45, 0.45)

# One scale for every picture of a handout, so that the pictures compare.
ICON_CELL: Final = 8.0
ICON_GAP: Final = 2.0
ICONS_PER_ROW: Final = 25

# Figures that count harms are drawn as circles, benefits as squares: a style of their own.
HARM_FIGURES: Final = frozenset({"chronic_pain_side_effects", "liver_repeated"})


def figure_block(
    figure_id: str,
    figure: Figure,
    words: FigureText,
    results: Results,
    cite: Citations,
    styles: Styles,
    width: float,
) -> list[Flowable]:
    """One figure: what it shows, who was studied, an icon array and a caption for each
    group, and how sure the number is, in words."""
    cite.add(figure.citations)
    harm = figure_id in HARM_FIGURES
    cells: list[Any] = []
    widths: list[float] = []
    arm_width = width / len(figure.arms)
    for arm, arm_name in zip(figure.arms, words.arms, strict=True):
        if arm.events is None or arm.total is None:
            raise ValueError(f"figure {figure_id} has no counts to draw")
        icons = IconArray(arm.events, arm.total, harm=harm)
        caption = (
            f"<b>{escape(arm_name[:1].upper() + arm_name[1:])}:</b> "
            + escape(results.counted.format(events=arm.events, total=arm.total))
        )
        cells.append([Paragraph(caption, styles.cell), icons])
        widths.append(arm_width)
    table = Table([cells], colWidths=widths)
    table.setStyle(table_style(styles, [("VALIGN", (0, 0), (-1, -1), "TOP"), *padding(0, 8, 0, 2)]))
    certainty = getattr(results.certainty, figure.certainty)
    return [
        Paragraph(escape(words.label), styles.subheading),
        Paragraph(cite.markup(words.about), styles.body),
        table,
        Paragraph(f"<b>{escape(results.certainty_label)}</b> {escape(certainty)}", styles.body),
    ]


class IconArray(Flowable):  # type: ignore[misc]
    """One icon per person of a group, ``events`` of them dark, filled row by row.

    Drawn straight on the canvas rather than as a reportlab Drawing: a Drawing resets the
    font to Helvetica, which would add a font that is not embedded.
    """

    def __init__(self, events: int, total: int, *, harm: bool = False) -> None:
        super().__init__()
        self.events, self.total, self.harm = events, total, harm
        columns = min(total, ICONS_PER_ROW)
        self.rows = -(-total // ICONS_PER_ROW)
        self.width = columns * ICON_CELL + (columns - 1) * ICON_GAP
        self.height = self.rows * ICON_CELL + (self.rows - 1) * ICON_GAP + 3

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.6)
        step = ICON_CELL + ICON_GAP
        top = self.height - 3
        # Colours set once per group, not per icon: a white edge keeps dark neighbours apart,
        # so the icons can still be counted.
        for on, fill, edge in ((True, ICON_ON, ICON_OFF), (False, ICON_OFF, ICON_EDGE)):
            canvas.setFillColor(fill)
            canvas.setStrokeColor(edge)
            for index in range(self.total):
                if (index < self.events) != on:
                    continue
                row, column = divmod(index, ICONS_PER_ROW)
                x = column * step
                y = top - (row + 1) * ICON_CELL - row * ICON_GAP
                if self.harm:
                    radius = ICON_CELL / 2
                    canvas.circle(x + radius, y + radius, radius, stroke=1, fill=1)
                else:
                    canvas.rect(x, y, ICON_CELL, ICON_CELL, stroke=1, fill=1)
