"""Page 4 of the handout: deliberation (docs/design.md section 6, "Page 4"; design 6.7).

"What matters to you" as a table linked to the options, "Check what you know" with its
answers upside down under it, and "Are you sure?" with the four SURE questions and empty
boxes. Nothing here reads what the clinician recorded but the priorities: the recorded SURE
answers, the leaning and the teach-back are never printed (design 6.9).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table

from decision_aid.handout.grid import fitted_widths
from decision_aid.handout.markup import escape
from decision_aid.handout.style import INK, RULE, SHADE, padding, table_style
from decision_aid.handout.tags import Paragraph, TableTags

if TYPE_CHECKING:
    from decision_aid.consult import Priority
    from decision_aid.content.handout_text import Knowledge, Matters, Sure
    from decision_aid.handout.markup import Citations
    from decision_aid.handout.style import Styles

# An empty box to tick, as in the safety checklist.
BOX: Final = "\u2610"
# Where the priorities table's columns start from before they are fitted to their words:
# what matters (a box to tick before each), which options do well on it.
_MATTERS_START: Final = (0.45, 0.55)
_CELL_SIDE: Final = 4.0


def matters_table(
    matters: Matters,
    chosen: tuple[Priority, ...],
    styles: Styles,
    cite: Citations,
    width: float,
) -> Table:
    """The six priorities as a table: each with a box to tick before it, and which options
    do well on it with the section's citations. A priority the clinician recorded is bold and says
    so in words (``matters.said``): bold alone is lost on a screen reader and on some
    readers (handout-standards 9.3)."""
    columns = matters.columns
    head = [
        Paragraph(escape(label), styles.cell_bold) for label in (columns.priority, columns.options)
    ]
    # The box hangs left of its words, as in the safety checklist: lines under it align.
    ticked = ParagraphStyle(
        "ticked",
        parent=styles.cell,
        leftIndent=styles.cell.fontSize * 1.3,
        bulletIndent=0,
        bulletFontName=styles.cell.fontName,
        bulletFontSize=styles.cell.fontSize,
    )
    rows: list[list[Paragraph]] = [head]
    for priority, row in matters.priorities.items():
        words = escape(row.label)
        if priority in chosen:
            words = f"<b>{words}</b> {escape(matters.said)}"
        rows.append(
            [
                Paragraph(words, ticked, bulletText=BOX),
                Paragraph(cite.markup(row.options), styles.cell),
            ]
        )
    # Fitted without the box's indent, which reportlab's shortest width leaves out (a word
    # would then break), and the indent added back to the first column.
    indent = float(ticked.leftIndent)
    plain = [[Paragraph(first.text, styles.cell), second] for first, second in rows]
    widths = fitted_widths(plain, width - indent, _MATTERS_START)
    widths[0] += indent
    table = Table(
        rows,
        colWidths=widths,
        repeatRows=1,
        renderCB=TableTags(data=True, header_rows=1),
    )
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *padding(_CELL_SIDE, _CELL_SIDE, 1, 2),
    ]
    table.setStyle(table_style(styles, commands))
    return table


def knowledge_items(knowledge: Knowledge, styles: Styles, cite: Citations) -> list[Flowable]:
    """The true-or-false statements, numbered, each with the words to circle."""
    choices = f"<b>{escape(knowledge.choices)}</b>"
    return [
        Paragraph(f"{cite.markup(statement)} {choices}", styles.numbered, bulletText=f"{number}.")
        for number, statement in enumerate(knowledge.statements, start=1)
    ]


def knowledge_answers(knowledge: Knowledge, styles: Styles) -> UpsideDown:
    """The answers under their own H3, printed upside down so that a reader sees them only
    after answering; the tags read them in order, the right way up."""
    return UpsideDown(
        [
            Paragraph(escape(knowledge.answers_title), styles.subheading),
            # One paragraph, the answers numbered in it: three short lines of their own
            # were the room that sent the whole check to the next column.
            Paragraph(" ".join(escape(answer) for answer in knowledge.answers), styles.body),
        ]
    )


def sure_table(sure: Sure, styles: Styles, width: float) -> Table:
    """The four SURE questions as a table: a column of empty boxes under "Yes" and one under
    "No", headed once so that each question keeps most of the width."""
    bold, size = styles.cell_bold.fontName, styles.cell.fontSize
    box_width = max(stringWidth(word, bold, size) for word in (sure.yes, sure.no, BOX))
    box_width += 2 * _CELL_SIDE + 1
    centred = ParagraphStyle("centred", parent=styles.cell, alignment=TA_CENTER)
    centred_bold = ParagraphStyle("centred_bold", parent=styles.cell_bold, alignment=TA_CENTER)
    rows: list[list[Paragraph]] = [
        [
            Paragraph(escape(sure.question), styles.cell_bold),
            Paragraph(escape(sure.yes), centred_bold),
            Paragraph(escape(sure.no), centred_bold),
        ]
    ]
    rows += [
        [Paragraph(escape(question), styles.cell), Paragraph(BOX, centred), Paragraph(BOX, centred)]
        for question in sure.questions
    ]
    table = Table(
        rows,
        colWidths=[width - 2 * box_width, box_width, box_width],
        hAlign="LEFT",
        repeatRows=1,
        renderCB=TableTags(data=True, header_rows=1),
    )
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -2), 0.5, RULE),
        *padding(_CELL_SIDE, _CELL_SIDE, 1, 2),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]
    table.setStyle(table_style(styles, commands))
    return table


class UpsideDown(Flowable):  # type: ignore[misc]
    """Flowables drawn turned through 180 degrees, as one block that does not split.

    Each flowable still draws (and tags) itself: only the canvas is turned, so the tagged
    PDF reads them in order, the right way up.
    """

    def __init__(self, flowables: list[Flowable]) -> None:
        super().__init__()
        self.flowables = flowables
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._sizes = [
            flowable.wrap(available_width, available_height) for flowable in self.flowables
        ]
        self.width = available_width
        self.height = sum(
            height + float(flowable.getSpaceBefore()) + float(flowable.getSpaceAfter())
            for flowable, (_, height) in zip(self.flowables, self._sizes, strict=True)
        )
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        # Turned about the block's centre: its first line ends at the foot, upside down.
        canvas.translate(self.width, self.height)
        canvas.rotate(180)
        top = self.height
        for flowable, (_, height) in zip(self.flowables, self._sizes, strict=True):
            top -= float(flowable.getSpaceBefore()) + height
            flowable.drawOn(canvas, 0, top)
            top -= float(flowable.getSpaceAfter())
        canvas.restoreState()
