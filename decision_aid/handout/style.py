"""How the handout looks: its fonts, sizes, greys, paragraph styles and table styles.

Body text is 12 pt, or 16 pt in large print (docs/design.md section 6), with one spacing for
every handout of a size.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

from decision_aid.content import FONTS_FOLDER, ContentError, font_bytes, handout_font_files
from decision_aid.handout.tags import CELL_TEXT, LIST_ITEM

if TYPE_CHECKING:
    from decision_aid.content import Content

# Body text is 12 pt, or 16 pt in large print (docs/design.md section 6), "About this
# handout" included; only the "Sources" lines, the numbered source list and the footer are
# smaller, as the small print of a leaflet is, and never below the sizes of design 6.1:
# there is no smaller fallback, a handout that does not fit changes its layout. One spacing
# for everyone: two patients' handouts of the same size look alike.
BODY_SIZE: Final = 12.0
LARGE_BODY_SIZE: Final = 16.0
# Line spacing of body text: 1.3 or more (docs/design.md section 6).
LEADING: Final = 1.3
CELL_LEADING: Final = 1.3
# 5 mm, the least an icon of a large-print icon array may measure (design 6.1).
FIVE_MM: Final = 5 / 25.4 * 72


@dataclass(frozen=True)
class Size:
    """The handout's type sizes, and the size of its icons: normal print or large print."""

    body: float
    small: float  # the "Sources" lines and the numbered source list
    footer: float  # the running footer: version and date, page number, overdue notice
    icon: float  # each shape of an icon array
    # The second half of the handout (after the evidence ladder) in two columns at normal
    # size, for lines of about 45 characters; large print stays in one.
    columns: int = 2
    # The source list's columns where the page is one column wide.
    source_columns: int = 3

    @property
    def scale(self) -> float:
        """How much the room between blocks grows: less than the type, so that large print
        stays within its pages."""
        return 1 + (self.body / BODY_SIZE - 1) / 2


NORMAL: Final = Size(BODY_SIZE, 7.5, footer=8.5, icon=8.0)
# Large print: the "Sources" lines and the source list at 10 pt (the list on a sheet of its
# own after the handout's pages), the footer at 14 pt and icons of 5 mm (design 6.1).
LARGE: Final = Size(
    LARGE_BODY_SIZE, 10, footer=14.0, icon=round(FIVE_MM + 0.05, 1), columns=1, source_columns=2
)


# Greys only: the handout is often printed on a black-and-white printer.
INK: Final = colors.Color(0.1, 0.1, 0.1)
SHADE: Final = colors.Color(0.9, 0.9, 0.9)
RULE: Final = colors.Color(0.45, 0.45, 0.45)
# The "Sources" words: grey enough to step back, dark enough to print (4.5:1 on white).
SOURCES_GREY: Final = "#595959"


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
    except Exception as error:  # reportlab raises many kinds for a bad font
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        raise ContentError(
            f"{FONTS_FOLDER}/{name}", f"not a usable TrueType font ({reason})"
        ) from None


def fonts(content: Content) -> tuple[str, str]:
    regular_file, bold_file = handout_font_files(content.location)
    regular = _pack_font(regular_file, content)
    bold = _pack_font(bold_file, content)
    pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold)
    return regular, bold


class Styles:
    """The paragraph styles of the handout; tests read the body sizes from here."""

    def __init__(self, regular: str, bold: str, size: Size = NORMAL) -> None:
        body_size, scale = size.body, size.scale
        self.size = size
        self.body = ParagraphStyle(
            "body",
            role="P",
            fontName=regular,
            bulletFontName=regular,
            bulletFontSize=body_size,
            fontSize=body_size,
            leading=body_size * LEADING,
            textColor=INK,
            alignment=TA_LEFT,
            spaceAfter=1.5 * scale,
            # No paragraph leaves its last line alone at the top of the next column or
            # page ("noche." by itself), nor its first line alone at a foot.
            allowWidows=0,
            allowOrphans=0,
        )
        # Table cells are short (15 words at most) and ruled apart: a little tighter.
        self.cell = ParagraphStyle(
            "cell",
            parent=self.body,
            leading=body_size * CELL_LEADING,
            spaceAfter=0,
            role=CELL_TEXT,
        )
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=bold)
        self.bullet = ParagraphStyle(
            "bullet",
            role=LIST_ITEM,
            parent=self.body,
            leftIndent=16 * scale,
            bulletIndent=3 * scale,
            spaceAfter=1 * scale,
        )
        # A number is wider than a bullet: reportlab moves a first line over when its
        # number ends past the text's indent, so the lines under it would start further
        # left than the first. reportlab ends a number 0.6 em after its last glyph.
        number_end = pdfmetrics.stringWidth("9.", regular, body_size) + 0.6 * body_size
        self.numbered = ParagraphStyle(
            "numbered", parent=self.bullet, leftIndent=self.bullet.bulletIndent + number_end + 1
        )
        self.check = ParagraphStyle(
            "check",
            role=LIST_ITEM,
            parent=self.body,
            leftIndent=24 * scale,
            bulletIndent=0,
            bulletFontSize=body_size + 3 * scale,
            spaceAfter=1 * scale,
        )
        self.title = ParagraphStyle(
            "title",
            role="H1",
            parent=self.body,
            fontName=bold,
            fontSize=body_size + 4,
            leading=(body_size + 4) * 1.25,
            spaceAfter=4 * scale,
        )
        self.message = ParagraphStyle("message", parent=self.body, spaceAfter=0, role="P")
        self.heading = ParagraphStyle(
            "heading",
            role="H2",
            parent=self.body,
            fontName=bold,
            fontSize=body_size + 1.5,
            leading=(body_size + 1.5) * 1.22,
            spaceBefore=4 * scale,
            spaceAfter=1.5 * scale,
            keepWithNext=1,
        )
        self.subheading = ParagraphStyle(
            "subheading",
            role="H3",
            parent=self.body,
            fontName=bold,
            spaceBefore=4 * scale,
            spaceAfter=2 * scale,
            keepWithNext=1,
        )
        self.heading_alone = ParagraphStyle("heading_alone", parent=self.heading, keepWithNext=0)
        self.list_title = ParagraphStyle("list_title", parent=self.subheading, keepWithNext=0)
        # Each style's structure role (decision_aid/handout/tags.py): the title H1, section
        # headings H2, their sub-parts H3, list items LI, a cell's text the cell's own; the
        # small print is P. Made with role=, a paragraph takes another.
        # The small print: each section's "Sources" line and the numbered list of sources.
        self.small = ParagraphStyle(
            "small",
            parent=self.body,
            role="P",
            fontSize=size.small,
            leading=size.small * 1.25,
            spaceAfter=1,
        )
        # The numbered list: a reference list's tighter lines, with a little room between
        # entries so that each number stands out.
        self.source_entry = ParagraphStyle(
            "source_entry", parent=self.small, leading=size.small * 1.15, spaceAfter=0.4
        )
        self.sources = ParagraphStyle(
            "sources",
            parent=self.small,
            textColor=colors.HexColor(SOURCES_GREY),
            spaceBefore=0,
            spaceAfter=3 * scale,
        )

    def body_styles(self) -> tuple[ParagraphStyle, ...]:
        """The styles of the text a patient reads (all but the small print)."""
        return (
            self.body,
            self.cell,
            self.cell_bold,
            self.bullet,
            self.numbered,
            self.check,
            self.title,
            self.message,
            self.heading,
            self.subheading,
        )


def table_style(styles: Styles, commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style that also sets the table's own font: reportlab sets it for every cell,
    and its default is Helvetica, which is not embedded."""
    font = [
        ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
        ("FONTSIZE", (0, 0), (-1, -1), styles.body.fontSize),
    ]
    return TableStyle(font + commands)


def padding(left: float, right: float, top: float, bottom: float) -> list[tuple[Any, ...]]:
    """The table-style commands that pad every cell of a table alike, in points."""
    return [
        ("LEFTPADDING", (0, 0), (-1, -1), left),
        ("RIGHTPADDING", (0, 0), (-1, -1), right),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
    ]
