"""How the handout looks: its fonts, sizes, greys, paragraph styles and table styles.

Body text is 12 pt or more (docs/design.md section 6); only the spacing between blocks and
the size of the reference list give way when a handout would need more pages.
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

from decision_aid.content import (
    BOLD_FONT_FILE,
    FONTS_FOLDER,
    REGULAR_FONT_FILE,
    ContentError,
    font_bytes,
)

if TYPE_CHECKING:
    from decision_aid.content import Content

# Body text is 12 pt or more (docs/design.md section 6), "About this handout" included; only
# the numbered reference list and the footer are smaller, as the small print of a leaflet is.
BODY_SIZE: Final = 12.0


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

# Greys only: the handout is often printed on a black-and-white printer.
INK: Final = colors.Color(0.1, 0.1, 0.1)
SHADE: Final = colors.Color(0.9, 0.9, 0.9)
RULE: Final = colors.Color(0.45, 0.45, 0.45)


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


def fonts(content: Content) -> tuple[str, str]:
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


def table_style(styles: Styles, commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style that also sets the table's own font: reportlab sets it for every cell,
    and its default is Helvetica, which is not embedded."""
    font = [
        ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
        ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE),
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
