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

# One scale for every picture of a handout, so that the pictures compare: 8 pt icons, or
# 5 mm in large print (style.Size.icon), a quarter of an icon apart.
ICON_CELL: Final = 8.0
ICONS_PER_ROW: Final = 55
# The room right of each column of the picture's table (its padding).
_LABEL_PADDING: Final = 8.0


def _gap(icon: float) -> float:
    return icon / 4


def _caption(arm_name: str, counted: str) -> str:
    """ "<b>Ketamine:</b> 2 of 12 people": the group, capitalised, and its count."""
    name = arm_name[:1].upper() + arm_name[1:]
    return f"<b>{escape(name)}:</b> {escape(counted)}"


def _labels(picture: Picture, figures: dict[str, Figure], results: Results) -> list[str]:
    """Every caption the picture prints, as markup."""
    return [
        _caption(arm_name, results.counted.format(events=arm.events or 0, total=arm.total or 0))
        for figure_id in picture.times
        for arm, arm_name in zip(figures[figure_id].arms, picture.arms, strict=True)
    ]


def _one_line_width(markup: str, styles: Styles) -> float:
    """How wide a caption is on one line, in points."""
    paragraph = Paragraph(markup, styles.cell)
    paragraph.wrap(100_000, 100_000)
    return float(max(paragraph.getActualLineWidths0() or [0.0]))


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
    icon = styles.size.icon
    arms = len(picture.arms)
    # Side by side where every label of the picture holds on one line of its column; one
    # under the other where one does not (large print, long Spanish labels): a label never
    # wraps, and the type never shrinks (design 6.1).
    labels = _labels(picture, figures, results)
    column = width / arms
    label_room = column - _LABEL_PADDING
    if arms > 1 and any(_one_line_width(label, styles) > label_room for label in labels):
        arms, column = 1, width
    per_row = max(1, int((column - _LABEL_PADDING + _gap(icon)) // (icon + _gap(icon))))
    spans: list[int] = []
    for figure_id, time in picture.times.items():
        figure = figures[figure_id]
        cite.add(figure.citations)
        if figure.certainty not in certainties:
            certainties.append(figure.certainty)
        harm = figure_id in HARM_FIGURES
        captions: list[Any] = []
        arrays: list[Any] = []
        for arm, arm_name in zip(figure.arms, picture.arms, strict=True):
            # The counts are there: the content checks refuse a pictured figure without.
            events, total = arm.events or 0, arm.total or 0
            counted = results.counted.format(events=events, total=total)
            # The text a screen reader gives for the array: its own numbers, in words.
            alt = results.alt.format(label=picture.label, time=time, arm=arm_name, counted=counted)
            captions.append(Paragraph(_caption(arm_name, counted), styles.cell))
            arrays.append(IconArray(events, total, harm=harm, alt=alt, cell=icon, per_row=per_row))
        # When it was measured heads the rows, unless the picture has only one time point.
        if len(picture.times) > 1:
            spans.append(len(rows))
            rows.append([Paragraph(f"<b>{escape(time)}</b>", styles.cell), *([""] * (arms - 1))])
        # The labels in one row and the arrays in the next: arrays side by side start on
        # the same line whatever their labels.
        for start in range(0, len(captions), arms):
            rows.append(captions[start : start + arms])
            rows.append(arrays[start : start + arms])
    # Layout: the captions are read as paragraphs, each array as a Figure.
    table = Table(rows, colWidths=[column] * arms, renderCB=TableTags(data=False))
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP"), *padding(0, 8, 1, 3)]
    # A time point's label, its captions and its icons stay together; the table may split
    # between time points.
    starts = [*spans, len(rows)] if spans else [0, len(rows)]
    for first, end in zip(starts, starts[1:], strict=False):
        commands.append(("NOSPLIT", (0, first), (-1, end - 1)))
    commands += [("SPAN", (0, row), (-1, row)) for row in spans]
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

    def __init__(
        self,
        events: int,
        total: int,
        *,
        harm: bool = False,
        alt: str,
        cell: float = ICON_CELL,
        per_row: int = ICONS_PER_ROW,
    ) -> None:
        super().__init__()
        self.events, self.total, self.harm, self.alt = events, total, harm, alt
        self.cell, self.gap = cell, _gap(cell)
        self.per_row = min(per_row, ICONS_PER_ROW)
        columns = min(total, self.per_row)
        self.rows = -(-total // self.per_row)
        self.width = columns * cell + (columns - 1) * self.gap
        self.height = self.rows * cell + (self.rows - 1) * self.gap + 3

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.6)
        cell, step = self.cell, self.cell + self.gap
        top = self.height - 3
        # Colours set once per group, not per icon: a white edge keeps dark neighbours apart,
        # so the icons can still be counted.
        for on, fill, edge in ((True, ICON_ON, ICON_OFF), (False, ICON_OFF, ICON_EDGE)):
            canvas.setFillColor(fill)
            canvas.setStrokeColor(edge)
            for index in range(self.total):
                if (index < self.events) != on:
                    continue
                row, column = divmod(index, self.per_row)
                x = column * step
                y = top - (row + 1) * cell - row * self.gap
                if self.harm:
                    radius = cell / 2
                    canvas.circle(x + radius, y + radius, radius, stroke=1, fill=1)
                else:
                    canvas.rect(x, y, cell, cell, stroke=1, fill=1)
