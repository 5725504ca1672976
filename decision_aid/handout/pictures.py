"""The handout's pictures: each figure of the evidence library as icon arrays of the real
groups of the study (8 of the 12 people, never "67 out of 100"), one array per group, with
the words that say what each shows and how sure the number is (docs/design.md section 6)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table

from decision_aid.handout.markup import escape
from decision_aid.handout.style import padding, table_style
from decision_aid.handout.tags import Paragraph, TableTags, TaggedFlowable

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

    from decision_aid.content import Figure
    from decision_aid.content.handout_text import Picture, Results
    from decision_aid.handout.markup import Citations
    from decision_aid.handout.style import Styles

ICON_ON: Final = colors.Color(0.15, 0.15, 0.15)
ICON_OFF: Final = colors.white
ICON_EDGE: Final = colors.Color(0.45, 0.45, 0.45)

# One scale for every picture of a handout, so that the pictures compare.
ICON_CELL: Final = 8.0
ICON_GAP: Final = 2.0
ICONS_PER_ROW: Final = 55

# Figures that count harms are drawn as circles, benefits as squares: a style of their own.
HARM_FIGURES: Final = frozenset({"chronic_pain_side_effects", "liver_repeated"})


def picture_block(
    picture: Picture,
    figures: dict[str, Figure],
    results: Results,
    cite: Citations,
    styles: Styles,
    width: float,
    prose: ParagraphStyle,
) -> list[Flowable]:
    """One picture: what it shows and who was studied (in the prose style), then for each
    time point an icon array and a caption for each group, then how sure the numbers are,
    in words."""
    rows: list[list[Any]] = []
    certainties: list[str] = []
    for figure_id, time in picture.times.items():
        figure = figures[figure_id]
        cite.add(figure.citations)
        if figure.certainty not in certainties:
            certainties.append(figure.certainty)
        harm = figure_id in HARM_FIGURES
        cells: list[Any] = []
        for arm, arm_name in zip(figure.arms, picture.arms, strict=True):
            # The counts are there: the content checks refuse a pictured figure without.
            events, total = arm.events or 0, arm.total or 0
            name = arm_name[:1].upper() + arm_name[1:]
            counted = results.counted.format(events=events, total=total)
            caption = f"<b>{escape(name)}:</b> " + escape(counted)
            # The text a screen reader gives for the array: its own numbers, in words.
            alt = results.alt.format(label=picture.label, time=time, arm=arm_name, counted=counted)
            cells.append(
                [Paragraph(caption, styles.cell), IconArray(events, total, harm=harm, alt=alt)]
            )
        # When it was measured heads the row, unless the picture has only one time point.
        if len(picture.times) > 1:
            rows.append(
                [Paragraph(f"<b>{escape(time)}</b>", styles.cell), *([""] * (len(cells) - 1))]
            )
        rows.append(cells)
    arms = len(picture.arms)
    # Layout: the captions are read as paragraphs, each array as a Figure.
    table = Table(rows, colWidths=[width / arms] * arms, renderCB=TableTags(data=False))
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP"), *padding(0, 8, 1, 3)]
    if len(picture.times) > 1:
        # A time point's label and its icons stay together; the table may split between
        # time points.
        commands += [("SPAN", (0, row), (-1, row)) for row in range(0, len(rows), 2)]
        commands += [("NOSPLIT", (0, row), (-1, row + 1)) for row in range(0, len(rows), 2)]
    table.setStyle(table_style(styles, commands))
    # The least certain figure decides the words: a picture is as sure as its weakest part.
    order = ("very_low", "low", "moderate", "high")
    weakest = min(certainties, key=order.index)
    certainty = getattr(results.certainty, weakest)
    # How sure, right after who was studied: the two belong together.
    how_sure = f"<b>{escape(results.certainty_label)}</b> {escape(certainty)}."
    about = f"{cite.markup(picture.about)} {how_sure}"
    return [
        Paragraph(escape(picture.label), styles.subheading),
        Paragraph(about, prose),
        table,
    ]


class IconArray(TaggedFlowable, Flowable):  # type: ignore[misc]
    """One icon per person of a group, ``events`` of them dark, filled row by row: a Figure
    whose alternative text (``alt``) says the same numbers in words.

    Drawn straight on the canvas rather than as a reportlab Drawing: a Drawing resets the
    font to Helvetica, which would add a font that is not embedded.
    """

    role = "Figure"

    def __init__(self, events: int, total: int, *, harm: bool = False, alt: str) -> None:
        super().__init__()
        self.events, self.total, self.harm, self.alt = events, total, harm, alt
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
