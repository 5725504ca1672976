"""The handout's layout with reportlab: the only module that imports it (docs/design.md section 10).

Imported lazily by :func:`decision_aid.handout.render_handout`. Every string comes from the
language's handout texts and every number from the evidence library; this module decides
only what goes where.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from dataclasses import dataclass
from html import escape as _html_escape
from typing import TYPE_CHECKING, Any, Final

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from decision_aid.content import (
    BOLD_FONT_FILE,
    CITATION_MARK,
    FONTS_FOLDER,
    REGULAR_FONT_FILE,
    ContentError,
    font_bytes,
)
from decision_aid.handout import Paper
from decision_aid.handout.tailoring import (
    Section,
    stop_rules,
    tailored_sections,
    untried_standard_options,
)

if TYPE_CHECKING:
    import datetime

    from decision_aid.consult import Consult, Language
    from decision_aid.content import Content, Figure
    from decision_aid.handout import ClinicDetails
    from decision_aid.handout_text import Bullets, HandoutText, Prose
    from decision_aid.rules import Assessment

PAGE_SIZES: Final = {Paper.LETTER: LETTER, Paper.A4: A4}


def escape(text: str) -> str:
    """Text made safe inside reportlab's paragraph markup (&, < and >)."""
    # html.escape, which reportlab loads anyway; xml.sax.saxutils would pull in urllib,
    # http and ssl, about 10 ms of every handout command.
    return _html_escape(text, quote=False)


# Body text is 12 pt or more (docs/design.md section 6), "About this handout" included; only
# the numbered reference list and the footer are smaller, as the small print of a leaflet is.
BODY_SIZE: Final = 12.0
FOOTER_SIZE: Final = 8.5
MAX_PAGES: Final = 4


@dataclass(frozen=True)
class Spacing:
    """The room between blocks and the size of the reference list: what the handout gives
    up, and only that, to stay within its pages (docs/design.md section 6). Body text stays 12
    pt."""

    paragraph: float  # after a body paragraph
    bullet: float  # after a bullet
    heading_before: float
    heading_after: float
    references: float  # font size of the reference list


# Tried in order; the first that fits MAX_PAGES is used. A long consult (several tailored
# sections, a clinic's details, an overdue notice) may need the tight one on Letter paper.
SPACINGS: Final = (Spacing(3, 3, 6, 3, 8.0), Spacing(2, 1.5, 2, 2, 7.5))

# The options table starts on a page only when at least this much of it fits there.
OPTIONS_MIN_START: Final = 3.5 * inch

MARGIN: Final = 0.5 * inch
FOOTER_HEIGHT: Final = 0.55 * inch

# Greys only: the handout is often printed on a black-and-white printer.
INK: Final = colors.Color(0.1, 0.1, 0.1)
SHADE: Final = colors.Color(0.9, 0.9, 0.9)
RULE: Final = colors.Color(0.45, 0.45, 0.45)
ICON_ON: Final = colors.Color(0.2, 0.2, 0.2)
ICON_OFF: Final = colors.white
ICON_EDGE: Final = colors.Color(0.55, 0.55, 0.55)

# One scale for every icon array, so that the pictures compare (risk communication rules).
ICON_CELL: Final = 6.0
ICON_GAP: Final = 1.0
ICON_SIDE: Final = 10 * ICON_CELL + 9 * ICON_GAP


_BOLD = re.compile(r"\*\*(.+?)\*\*")


@functools.cache
def _register_font(data: bytes) -> str:
    """Registers a TrueType font once per process and returns its reportlab name.

    Named by a hash of its bytes: a clinic pack with other fonts gets other names, and the
    costly parse of a font happens once, not at every render.
    """
    name = "HandoutFont-" + hashlib.sha256(data).hexdigest()[:12]
    pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    return name


def _pack_font(name: str, content: Content) -> str:
    """Registers one font of the pack; a file reportlab cannot read names the font.

    Raises:
        ContentError: the font is missing, not a regular file or not a usable TrueType font.
    """
    data = font_bytes(name, content.location)
    try:
        return _register_font(data)
    except Exception as error:  # noqa: BLE001 - reportlab raises many kinds for a bad font
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        raise ContentError(
            f"{FONTS_FOLDER}/{name}", f"not a usable TrueType font ({reason})"
        ) from None


def _fonts(content: Content) -> tuple[str, str]:
    regular = _pack_font(REGULAR_FONT_FILE, content)
    bold = _pack_font(BOLD_FONT_FILE, content)
    pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold)
    return regular, bold


class Styles:
    """The paragraph styles of the handout; tests read the body sizes from here."""

    def __init__(self, regular: str, bold: str, spacing: Spacing = SPACINGS[0]) -> None:
        leading = BODY_SIZE * 1.17
        self.body = ParagraphStyle(
            "body",
            fontName=regular,
            bulletFontName=regular,
            bulletFontSize=BODY_SIZE,
            fontSize=BODY_SIZE,
            leading=leading,
            textColor=INK,
            alignment=TA_LEFT,
            spaceAfter=spacing.paragraph,
        )
        self.cell = ParagraphStyle("cell", parent=self.body, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=bold)
        self.bullet = ParagraphStyle(
            "bullet", parent=self.body, leftIndent=16, bulletIndent=3, spaceAfter=spacing.bullet
        )
        self.check = ParagraphStyle(
            "check",
            parent=self.body,
            leftIndent=22,
            bulletIndent=0,
            bulletFontSize=BODY_SIZE + 3,
            spaceAfter=2,
        )
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=bold, fontSize=17, leading=21, spaceAfter=6
        )
        self.decision = ParagraphStyle(
            "decision", parent=self.body, fontName=bold, fontSize=14, leading=18, spaceAfter=0
        )
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=bold,
            fontSize=15,
            leading=19,
            spaceBefore=spacing.heading_before,
            spaceAfter=spacing.heading_after,
            keepWithNext=1,
        )
        self.subheading = ParagraphStyle(
            "subheading",
            parent=self.body,
            fontName=bold,
            spaceBefore=4,
            spaceAfter=2,
            keepWithNext=1,
        )
        # The small print: the reference list, as in any leaflet.
        self.small = ParagraphStyle(
            "small",
            parent=self.body,
            fontSize=spacing.references,
            leading=spacing.references * 1.2,
            spaceAfter=1,
        )

    def body_styles(self) -> tuple[ParagraphStyle, ...]:
        """The styles of the text a patient reads (all but the small print)."""
        return (
            self.body,
            self.cell,
            self.cell_bold,
            self.bullet,
            self.check,
            self.title,
            self.decision,
            self.heading,
            self.subheading,
        )


class _Citations:
    """Numbers the sources in the order the handout first cites them."""

    def __init__(self, content: Content) -> None:
        self._sources = content.evidence.sources
        self.order: list[str] = []

    def number(self, key: str) -> int:
        if key not in self.order:
            self.order.append(key)
        return self.order.index(key) + 1

    def mark(self, keys: list[str] | tuple[str, ...]) -> str:
        numbers = sorted({self.number(key) for key in keys})
        return "[" + ", ".join(str(number) for number in numbers) + "]"

    def markup(self, text: str) -> str:
        """Handout text as reportlab paragraph markup: escaped, bold, citations numbered."""
        escaped = escape(" ".join(text.split()))
        bolded = _BOLD.sub(r"<b>\1</b>", escaped)
        return CITATION_MARK.sub(
            lambda match: self.mark([key.strip() for key in match.group(1).split(",")]), bolded
        )


class _Builder:
    """Builds the story (the list of flowables) of one handout."""

    def __init__(
        self,
        consult: Consult,
        assessment: Assessment,
        content: Content,
        lang: Language,
        width: float,
        clinic: ClinicDetails,
        overdue: bool,
        styles: Styles,
    ) -> None:
        self.consult = consult
        self.assessment = assessment
        self.content = content
        self.text: HandoutText = content.handout[lang]
        self.width = width
        self.clinic = clinic
        self.overdue = overdue
        self.styles = styles
        self.cite = _Citations(content)
        self.story: list[Flowable] = []

    # -- small pieces ---------------------------------------------------------------------

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.cite.markup(text), style or self.styles.body)

    def heading(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.styles.heading)

    def table_style(self, commands: list[tuple[Any, ...]]) -> TableStyle:
        """A table style that also sets the table's own font: reportlab sets it for every
        cell, and its default is Helvetica, which is not embedded."""
        font = [
            ("FONTNAME", (0, 0), (-1, -1), self.styles.body.fontName),
            ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE),
        ]
        return TableStyle(font + commands)

    def bullets(self, items: tuple[str, ...]) -> list[Flowable]:
        return [
            Paragraph(self.cite.markup(item), self.styles.bullet, bulletText="•") for item in items
        ]

    def boxed(self, flowables: list[Flowable], *, shade: bool = True, weight: float = 1.5) -> Table:
        box = Table([[flowables]], colWidths=[self.width])
        commands: list[tuple[Any, ...]] = [
            ("BOX", (0, 0), (-1, -1), weight, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
        if shade:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), SHADE))
        box.setStyle(self.table_style(commands))
        return box

    # -- the sections, in page order ------------------------------------------------------

    def build(self) -> list[Flowable]:
        self.top()
        self.summary()
        self.condition()
        self.bulleted(self.text.infusion)
        # Side effects before the options: they describe the infusion, and they fill the end
        # of page 1, where the options table would not start (see options()).
        self.bulleted(self.text.harms)
        self.options()
        self.results()
        self.cost()
        self.tailored()
        self.matters()
        self.questions()
        self.about()
        return self.story

    def top(self) -> None:
        text, styles = self.text, self.styles
        self.story.append(Paragraph(escape(text.title), styles.title))
        self.story.append(self.boxed([Paragraph(escape(text.decision), styles.decision)]))
        self.story.append(Spacer(1, 6))
        self.story.append(self.para(text.intro))
        if self.overdue:
            notice = text.overdue.long.format(date=self.content.pack.next_review.isoformat())
            self.story.append(self.boxed([self.para(f"**{notice}**")], shade=False, weight=2.5))
            self.story.append(Spacer(1, 4))
        self.story.append(self.fill_in())
        self.story.append(Spacer(1, 8))
        experimental = [Paragraph(escape(text.experimental.title), styles.subheading)]
        experimental += self.bullets(text.experimental.items)
        self.story.append(self.boxed(experimental, shade=True, weight=2))

    def fill_in(self) -> Table:
        labels = self.text.fill_in
        values = (
            (labels.clinic, self.clinic.name),
            (labels.clinician, self.clinic.clinician),
            (labels.contact, self.clinic.contact),
            # The program never prints the patient's name: this line is for writing it in.
            (labels.your_name, ""),
        )
        half = self.width / 2
        cells = [
            Paragraph(
                f"<b>{escape(label)}:</b> {escape(' '.join(value.split()))}", self.styles.cell
            )
            for label, value in values
        ]
        table = Table([cells[0:2], cells[2:4]], colWidths=[half, half])
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
        for index, (_, value) in enumerate(values):
            if not value.strip():
                row, column = divmod(index, 2)
                commands.append(("LINEBELOW", (column, row), (column, row), 0.75, RULE))
        table.setStyle(self.table_style(commands))
        return table

    def summary(self) -> None:
        summary = self.text.summary
        self.story.append(self.heading(summary.title))
        self.story.extend(self.bullets(summary.items))

    def prose(self, section: Prose, *, minor: bool = False) -> None:
        style = self.styles.subheading if minor else self.styles.heading
        self.story.append(Paragraph(escape(section.title), style))
        self.story.extend(self.para(paragraph) for paragraph in section.paragraphs)

    def condition(self) -> None:
        self.prose(self.text.condition)

    def options(self) -> None:
        options = self.text.options
        untried = untried_standard_options(self.consult)
        standard = options.standard
        if untried:
            names = ", ".join(options.standard_names[key] for key in untried)
            standard_what = standard.what.format(names=names)
        else:
            standard_what = options.standard_none
        columns = (options.current, standard, options.ketamine, options.trial)
        rows = options.rows
        label_width = 62.0
        column_width = (self.width - label_width) / len(columns)
        cell, cell_bold = self.styles.cell, self.styles.cell_bold
        data: list[list[Any]] = [
            [Spacer(1, 1)] + [Paragraph(escape(c.name), cell_bold) for c in columns]
        ]
        for field, label in rows.model_dump().items():
            row: list[Any] = [Paragraph(escape(label), cell_bold)]
            for option in columns:
                value = (
                    standard_what
                    if option is standard and field == "what"
                    else getattr(option, field)
                )
                row.append(self.para(value, cell))
            data.append(row)
        table = Table(data, colWidths=[label_width] + [column_width] * len(columns), repeatRows=1)
        table.setStyle(
            self.table_style(
                [
                    ("GRID", (0, 0), (-1, -1), 0.75, RULE),
                    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                    ("BACKGROUND", (0, 0), (0, -1), SHADE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        block = [self.heading(options.title), self.para(options.intro), table]
        # Whole on the next page when this one has little room left. Otherwise it starts here
        # and goes on overleaf between rows, its header row repeated: every row still
        # compares the four options side by side, and no page is left half empty.
        height = sum(
            flowable.wrap(self.width, 10_000)[1] + flowable.getSpaceBefore() for flowable in block
        )
        self.story.append(CondPageBreak(min(height, OPTIONS_MIN_START)))
        self.story.extend(block)

    def results(self) -> None:
        results = self.text.results
        blocks = [
            self.figure_block(self.content.evidence.figures[figure_id], words)
            for figure_id, words in results.figures.items()
        ]
        # The heading and its explanation of the pictures go with the first picture: never
        # alone at the foot of a page.
        blocks[0] = [self.heading(results.title), self.para(results.intro), *blocks[0]]
        self.story.extend(KeepTogether(block) for block in blocks)
        self.story.append(self.para(results.uncertainty))

    def figure_block(self, figure: Figure, words: Any) -> list[Flowable]:
        results = self.text.results
        heading = results.heading.format(label=words.label, timepoint=words.timepoint)
        studied = results.studied.format(study_size=words.study_size, population=words.population)
        studied += " " + self.cite.mark(figure.citations)
        cells: list[Any] = []
        widths: list[float] = []
        text_width = (self.width - len(figure.arms) * (ICON_SIDE + 10)) / len(figure.arms)
        for arm, arm_name in zip(figure.arms, words.arms, strict=True):
            n = arm.per_100()
            caption = (
                f"<b>{escape(arm_name[:1].upper() + arm_name[1:])}</b><br/>"
                + escape(results.had.format(n=n, outcome=words.outcome))
                + "<br/>"
                + escape(results.had_not.format(n=100 - n))
            )
            cells += [IconArray(n), Paragraph(caption, self.styles.cell)]
            widths += [ICON_SIDE + 10, text_width]
        table = Table([cells], colWidths=widths)
        table.setStyle(
            self.table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return [
            Paragraph(escape(heading), self.styles.subheading),
            Paragraph(self.cite.markup(studied), self.styles.body),
            table,
        ]

    def bulleted(self, section: Bullets) -> None:
        self.story.append(self.heading(section.title))
        self.story.extend(self.bullets(section.items))

    def cost(self) -> None:
        cost = self.text.cost
        insurance = self.consult.insurance
        self.story.append(self.heading(cost.title))
        self.story.append(self.para(cost.general))
        lines = [cost.coverage[insurance.coverage]]
        if insurance.covers_ketamine_for_pain.value == "yes_prior_auth":
            lines.append(cost.prior_auth)
        self.story.append(self.para(" ".join(lines)))

    def tailored(self) -> None:
        tailored = self.text.tailored
        for section in tailored_sections(self.consult, self.assessment):
            if section is Section.NOT_ADVISED:
                not_advised = tailored.not_advised
                self.story.append(Paragraph(escape(not_advised.title), self.styles.subheading))
                self.story.append(self.para(not_advised.intro))
                reasons = tuple(not_advised.reasons[rule] for rule in stop_rules(self.assessment))
                self.story.extend(self.bullets(reasons))
            else:
                # Sub-headings: these sections belong to the cost-and-safety part of the page.
                self.prose(getattr(tailored, section.value), minor=True)

    def matters(self) -> None:
        matters = self.text.matters
        chosen = set(self.consult.priorities)
        boxes = [
            Paragraph(
                escape(label),
                self.styles.check,
                bulletText="\u2611" if priority in chosen else "\u2610",
            )
            for priority, label in matters.priorities.items()
        ]
        rows = (len(boxes) + 1) // 2
        grid = Table(
            [
                [boxes[row], boxes[row + rows] if row + rows < len(boxes) else Spacer(1, 1)]
                for row in range(rows)
            ],
            colWidths=[self.width / 2, self.width / 2],
        )
        grid.setStyle(
            self.table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        self.story.append(
            KeepTogether([self.heading(matters.title), self.para(matters.intro), grid])
        )

    def questions(self) -> None:
        questions, teach_back = self.text.questions, self.text.teach_back
        block: list[Flowable] = [self.heading(questions.title), *self.bullets(questions.items)]
        block.append(self.para(f"**{teach_back.title}:** {teach_back.text}"))
        self.story.append(KeepTogether(block))

    def about(self) -> None:
        """Who made the handout, its funding, version and review, and how the evidence was
        chosen, in body text; then the numbered references, the only small print, in two
        columns so that they take the least room from the parts every reader needs.
        """
        about, pack, words = self.text.about, self.content.pack, self.text.pack_texts
        # Three paragraphs: who stands behind it, which version it is, how it was made.
        paragraphs = [
            about.not_advice,
            " ".join(
                (
                    about.made_by.format(made_by=words.made_by),
                    about.funding.format(funding=words.funding),
                    about.conflicts.format(conflicts=words.conflicts),
                )
            ),
            " ".join(
                (
                    about.version.format(
                        pack=pack.name,
                        version=pack.version,
                        published=pack.published.isoformat(),
                        last_reviewed=pack.last_reviewed.isoformat(),
                    ),
                    about.review.format(
                        next_review=pack.next_review.isoformat(),
                        review_policy=words.review_policy,
                    ),
                )
            ),
            about.method.format(method=words.evidence_method, research_date=words.research_date),
        ]
        self.story.append(self.heading(about.title))
        self.story.extend(self.para(paragraph) for paragraph in paragraphs)
        # The references come last: by now every citation of the handout has its number.
        references: list[Flowable] = []
        for number, key in enumerate(self.cite.order, start=1):
            source = self.content.evidence.sources[key]
            entry = " ".join(source.citation.split())
            if source.identifier:
                entry += f" {source.identifier}."
            references.append(Paragraph(f"{number}. {escape(entry)}", self.styles.small))
        self.story.append(CondPageBreak(1.0 * inch))
        self.story.append(Paragraph(escape(self.text.references_title), self.styles.subheading))
        self.story.append(self.two_columns(references))

    def two_columns(self, flowables: list[Flowable]) -> Table:
        """Flowables in two columns of about equal height.

        Measured once and cut in the middle: reportlab's BalancedColumns searches for the cut
        by laying out the text again and again, a third of the whole render time.
        """
        gap = 10.0
        column = (self.width - gap) / 2
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
            self.table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), gap),
                    ("RIGHTPADDING", (1, 0), (1, 0), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table


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


def render(
    consult: Consult,
    assessment: Assessment,
    content: Content,
    lang: Language,
    paper: Paper,
    clinic: ClinicDetails,
    today: datetime.date,
) -> bytes:
    """See :func:`decision_aid.handout.render_handout`."""
    for spacing in SPACINGS:
        pdf, pages = _render_with(consult, assessment, content, lang, paper, clinic, today, spacing)
        if pages <= MAX_PAGES:
            break
    return pdf


def _render_with(
    consult: Consult,
    assessment: Assessment,
    content: Content,
    lang: Language,
    paper: Paper,
    clinic: ClinicDetails,
    today: datetime.date,
    spacing: Spacing,
) -> tuple[bytes, int]:
    """The handout laid out with one spacing, and its number of pages."""
    regular, bold = _fonts(content)
    styles = Styles(regular, bold, spacing)
    page_width, page_height = PAGE_SIZES[paper]
    width = page_width - 2 * MARGIN
    overdue = content.pack.is_overdue(today)
    text = content.handout[lang]
    builder = _Builder(consult, assessment, content, lang, width, clinic, overdue, styles)
    story = builder.build()

    pack = content.pack
    # The stamp (a hash of the pack's texts) is the same one the clinician note records.
    footer_left = (
        text.footer.format(
            pack=pack.name, version=pack.version, published=pack.published.isoformat()
        )
        + f" ({content.stamp})"
    )
    overdue_text = text.overdue.short if overdue else ""

    class FooterCanvas(Canvas):  # type: ignore[misc]
        """Holds every page back until the end, so that each can say "page X of Y"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            y = MARGIN * 0.55
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, y + 13, page_width - MARGIN, y + 13)
            self.setFillColor(INK)
            self.setFont(regular, FOOTER_SIZE)
            self.drawString(MARGIN, y, footer_left)
            self.drawRightString(
                page_width - MARGIN, y, text.page_of.format(page=number, pages=total)
            )
            if overdue_text:
                self.setFont(bold, FOOTER_SIZE + 1)
                self.drawCentredString(page_width / 2, y - 12, overdue_text)

    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=(page_width, page_height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_HEIGHT * 0.5,
        title=text.title,
        author=pack.name,
        subject=text.decision,
        creator="decision-aid",
        invariant=1,
        lang=lang.value,
        # Otherwise the canvas starts every page in Helvetica, a font that is not embedded.
        initialFontName=regular,
        initialFontSize=BODY_SIZE,
    )
    frame = Frame(
        document.leftMargin,
        document.bottomMargin,
        document.width,
        document.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    document.build(story, canvasmaker=FooterCanvas)
    return buffer.getvalue(), document.page
