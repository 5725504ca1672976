"""A story as one HTML file: the handout's second format (docs/design.md section 6.10, "One
HTML file", and section "The handout as HTML" of docs/design.md in this repository).

The HTML is written from the same content model the PDF is laid out from: the story, the
list of flowables a page's builder makes. Each flowable already carries its structure role
for the tagged PDF (:mod:`decision_aid.handout.tags`), and the HTML is written from those
roles alone, never from words: a paragraph's style names H1, H2, H3, P or LI; a data table's
:class:`~decision_aid.handout.tags.TableTags` name its header rows and row headers; an icon
array is a Figure with its alternative text. Layout (spacers, page and frame breaks, keeping
blocks together) writes nothing, and a block kept together is read for what it holds. A
flowable of a kind this module does not know is an error, not text silently left out.

So any story, the decision handout's or a later page's, comes out with the same headings,
lists, tables and figures as its PDF. The file loads nothing (no script, no ``src``, no
stylesheet link, no ``url()``), and the same story gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, Final

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
)
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus.flowables import FrameSplitter

from decision_aid.handout.deliberation import UpsideDown
from decision_aid.handout.grid import Columns
from decision_aid.handout.html_text import inline_html
from decision_aid.handout.page import SheetStart
from decision_aid.handout.pictures import (
    ICON_EDGE,
    ICON_OFF,
    ICON_ON,
    IconArray,
)
from decision_aid.handout.tags import CELL_TEXT, DEFAULT_ROLE, LIST_ITEM, TableTags

if TYPE_CHECKING:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    from decision_aid.consult import Language, Paper

__all__ = ["HtmlPage", "story_html"]

# Flowables that only place what follows: nothing to write.
_LAYOUT: Final = (Spacer, CondPageBreak, PageBreak, FrameSplitter, SheetStart)
_HEADINGS: Final = {"H1": "h1", "H2": "h2", "H3": "h3"}
# A numbered item's own label ("1.", "2)") or an entry that starts with its number ("1. ").
_NUMBER_LABEL: Final = re.compile(r"^\d+[.)]$")
_NUMBERED_ENTRY: Final = re.compile(r"^(\d+)\.\s+")
_CHECK_BOX: Final = "\u2610"
# Page sizes for CSS @page, by the paper's name.
_PAGE_SIZES: Final = {"letter": "letter", "a4": "A4"}
# The page margin: more than the 0.35 in printers clip (docs/design.md 6.10).
_MARGIN: Final = "0.5in"


@dataclass(frozen=True)
class HtmlPage:
    """What the HTML file holds besides the story.

    Args:
        title: the document's title (``<title>``), as the PDF's.
        lang: the language of the text (``<html lang>``).
        paper: the paper the print CSS sets the page to.
        large_print: 16 pt body text instead of 12 pt.
        footer: the footer's lines as plain text (the content version and date, the
            content stamp, an overdue notice), in the order the PDF's footer has them.
        body: the story's body style: every other style's size is written relative to it.
        bold_font: the font name of the story's bold face, for styles set in bold.
    """

    title: str
    lang: Language
    paper: Paper
    large_print: bool
    footer: tuple[str, ...]
    body: ParagraphStyle
    bold_font: str


def story_html(story: list[Flowable], page: HtmlPage) -> bytes:
    """The story as one UTF-8 HTML document, deterministic for the same story and page.

    Raises:
        TypeError: the story holds a flowable this writer does not know.
    """
    writer = _Writer(page)
    for flowable in story:
        writer.flowable(flowable)
    writer.end_list()
    body = "".join(writer.out)
    footer = "".join(f"<p>{escape(line, quote=False)}</p>\n" for line in page.footer if line)
    document = (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(page.lang.value)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(page.title, quote=False)}</title>\n"
        f"<style>\n{_css(page, writer.styles)}</style>\n"
        "</head>\n"
        "<body>\n"
        f"<main>\n{body}</main>\n"
        f"<footer>\n{footer}</footer>\n"
        "</body>\n"
        "</html>\n"
    )
    return document.encode("utf-8")


class _Writer:
    """Writes flowables as HTML in story order, grouping list items into lists."""

    def __init__(self, page: HtmlPage) -> None:
        self.page = page
        self.out: list[str] = []
        # The styles met, by class name, for the CSS.
        self.styles: dict[str, ParagraphStyle] = {}
        # The open list: its items' style and its end tag.
        self.list_style: str | None = None
        self.list_end = ""
        # The plain text of the last heading: the caption of the tables of its section.
        self.heading: str | None = None

    # -- dispatch -------------------------------------------------------------------------

    def flowable(self, flowable: Any) -> None:
        if isinstance(flowable, _LAYOUT):
            return
        if isinstance(flowable, KeepTogether):
            # reportlab keeps the parts in _content: there is no public accessor.
            for part in flowable._content:
                self.flowable(part)
        elif isinstance(flowable, Columns):
            for entry in flowable.entries:
                self.flowable(entry)
        elif isinstance(flowable, UpsideDown):
            # Upside down on paper (the knowledge check's answers), the right way up here,
            # under their own heading: as the tagged PDF reads them.
            for part in flowable.flowables:
                self.flowable(part)
        elif isinstance(flowable, _Paragraph):
            self.paragraph(flowable)
        elif isinstance(flowable, IconArray):
            self.block(_svg(flowable))
        elif isinstance(flowable, Table):
            self.table(flowable)
        elif isinstance(flowable, (list, tuple)):
            for part in flowable:
                self.flowable(part)
        elif isinstance(flowable, str):
            if flowable.strip():
                self.block(f"<p>{escape(' '.join(flowable.split()), quote=False)}</p>")
        else:
            raise TypeError(f"the HTML handout cannot write a {type(flowable).__name__}")

    def block(self, html: str, *, heading: str | None = None) -> None:
        """A block that is not a list item: it ends the list before it. A heading becomes
        the caption of the tables of its section, whatever paragraphs come between."""
        self.end_list()
        self.out.append(html + "\n")
        if heading is not None:
            self.heading = heading

    # -- paragraphs and lists -------------------------------------------------------------

    def paragraph(self, paragraph: _Paragraph) -> None:
        style: ParagraphStyle = paragraph.style
        role = _role(paragraph)
        text = inline_html(paragraph.text or "")
        css = self.style_class(style)
        attribute = f' class="{css}"' if css else ""
        if role == CELL_TEXT:
            role = DEFAULT_ROLE
        if role == LIST_ITEM:
            self.list_item(paragraph, text.html, css)
            return
        tag = _HEADINGS.get(role, "p")
        self.block(
            f"<{tag}{attribute}>{text.html}</{tag}>", heading=text.plain if tag != "p" else None
        )

    def list_item(self, paragraph: _Paragraph, html: str, css: str) -> None:
        style_name = str(paragraph.style.name)
        bullet = paragraph.bulletText
        label = bullet.strip() if isinstance(bullet, str) else ""
        if self.list_style != style_name:
            self.end_list()
            entry = None if label else _NUMBERED_ENTRY.match(inline_html(paragraph.text).plain)
            kind = "ol" if _NUMBER_LABEL.match(label) or entry else "ul"
            # A list of entries numbered from other than 1 keeps its first number.
            start = f' start="{int(entry.group(1))}"' if entry and entry.group(1) != "1" else ""
            classes = [css] if css else []
            if label == _CHECK_BOX:
                classes.append("checks")
            elif not label and kind == "ul":
                classes.append("plain")
            attribute = f' class="{" ".join(classes)}"' if classes else ""
            self.out.append(f"<{kind}{attribute}{start}>\n")
            self.list_style, self.list_end = style_name, f"</{kind}>\n"
        if not label and self.list_end == "</ol>\n":
            # The entry's own number is the list's: written once.
            html = _NUMBERED_ENTRY.sub("", html, count=1)
        if label == _CHECK_BOX:
            # The box is the patient's to tick, as on paper.
            html = f'<span class="box">{_CHECK_BOX}</span> {html}'
        self.out.append(f"<li>{html}</li>\n")

    def end_list(self) -> None:
        if self.list_style is not None:
            self.out.append(self.list_end)
            self.list_style, self.list_end = None, ""

    def style_class(self, style: ParagraphStyle) -> str:
        """The class of a style that looks other than the body ("" for one that looks the
        same, such as a table cell's)."""
        if style.name == self.page.body.name or not _declarations(style, self.page):
            return ""
        name = _class_name(str(style.name))
        self.styles.setdefault(name, style)
        return name

    # -- tables ---------------------------------------------------------------------------

    def table(self, table: Table) -> None:
        tags = getattr(table, "_renderCB", None)
        if isinstance(tags, TableTags) and tags.data:
            self.data_table(table, tags)
        else:
            self.layout_table(table)

    def data_table(self, table: Table, tags: TableTags) -> None:
        """A data table: its header rows as column headers, its row headers as headers of
        the rows under them up to the next (the options grid's questions)."""
        caption = self.heading
        self.end_list()
        rows = table._cellvalues
        columns = len(rows[0]) if rows else 0
        spans = _spans(table, len(rows), columns)
        out = ["<table>\n"]
        if caption:
            out.append(f"<caption>{escape(caption, quote=False)}</caption>\n")
        header_rows = tags.header_rows
        if header_rows:
            out.append("<thead>\n")
        for number, row in enumerate(rows):
            if number == header_rows and header_rows:
                out.append("</thead>\n")
            row_header = number in tags.row_headers
            # A header row across the table heads the rows under it: a row group of its own.
            if number >= header_rows and (number == header_rows or row_header):
                if number > header_rows:
                    out.append("</tbody>\n")
                out.append("<tbody>\n")
            out.append("<tr>")
            for column, value in enumerate(row):
                span = spans.get((number, column))
                if span is None:
                    continue  # under another cell's span
                cell = self.cell_html(value)
                attributes = f' colspan="{span}"' if span > 1 else ""
                if number < header_rows:
                    out.append(f'<th scope="col"{attributes}>{cell}</th>')
                elif row_header:
                    scope = "rowgroup" if span == columns else "row"
                    out.append(f'<th scope="{scope}"{attributes}>{cell}</th>')
                elif column < tags.header_columns:
                    # A column at the left that heads its row (the grid's questions).
                    out.append(f'<th scope="row"{attributes}>{cell}</th>')
                else:
                    out.append(f"<td{attributes}>{cell}</td>")
            out.append("</tr>\n")
        if len(rows) > header_rows:
            out.append("</tbody>\n")
        elif header_rows:
            out.append("</thead>\n")
        out.append("</table>")
        self.block("".join(out))

    def cell_html(self, value: Any) -> str:
        """A cell's content, written on its own: one paragraph is the cell's text, more are
        paragraphs in the cell."""
        parts = list(value) if isinstance(value, (list, tuple)) else [value]
        inner = _Writer(self.page)
        inner.styles = self.styles
        if (
            len(parts) == 1
            and isinstance(parts[0], _Paragraph)
            and _role(parts[0])
            in {
                CELL_TEXT,
                DEFAULT_ROLE,
            }
        ):
            css = inner.style_class(parts[0].style)
            text = inline_html(parts[0].text or "").html
            return f'<span class="{css}">{text}</span>' if css else text
        for part in parts:
            inner.flowable(part)
        inner.end_list()
        return "".join(inner.out).strip().replace("\n", "")

    def layout_table(self, table: Table) -> None:
        """A box or cells side by side: read as the text around it, in its own frame."""
        self.end_list()
        rows = table._cellvalues
        columns = len(rows[0]) if rows else 0
        spans = _spans(table, len(rows), columns)
        boxed = any(command[0] == "BOX" for command in table._linecmds)
        shaded = any(command[0] == "BACKGROUND" for command in table._bkgrndcmds)
        lines_below = _lines_below(table, len(rows), columns)
        classes = "box shade" if boxed and shaded else "box" if boxed else "layout"
        self.out.append(f'<div class="{classes}">\n')
        for number, row in enumerate(rows):
            cells = [
                (column, value) for column, value in enumerate(row) if (number, column) in spans
            ]
            if boxed and columns == 1:
                for _, value in cells:
                    self.flowable(value)
                continue
            self.out.append('<div class="row">\n')
            for column, value in cells:
                write_on = " write-on" if (number, column) in lines_below else ""
                self.end_list()
                self.out.append(f'<div class="cell{write_on}">\n')
                self.flowable(value)
                self.end_list()
                self.out.append("</div>\n")
            self.out.append("</div>\n")
        self.end_list()
        self.out.append("</div>\n")


def _role(paragraph: _Paragraph) -> str:
    role = getattr(paragraph, "_role", None)
    if callable(role):
        return str(role())
    return str(getattr(paragraph.style, "role", None) or DEFAULT_ROLE)


def _class_name(name: str) -> str:
    return "s-" + re.sub(r"[^A-Za-z0-9-]", "-", name)


def _cell_range(
    start: tuple[int, int], stop: tuple[int, int], rows: int, columns: int
) -> tuple[range, range]:
    """The rows and columns a table-style command covers (negative indexes from the end)."""
    (first_column, first_row), (last_column, last_row) = start, stop
    first_column, last_column = (c + columns if c < 0 else c for c in (first_column, last_column))
    first_row, last_row = (r + rows if r < 0 else r for r in (first_row, last_row))
    return range(first_row, last_row + 1), range(first_column, last_column + 1)


def _spans(table: Table, rows: int, columns: int) -> dict[tuple[int, int], int]:
    """For each cell that is written, how many columns it spans; the cells a span covers
    are left out."""
    spans = {(row, column): 1 for row in range(rows) for column in range(columns)}
    for _, start, stop in table._spanCmds:
        covered_rows, covered_columns = _cell_range(start, stop, rows, columns)
        for row in covered_rows:
            for column in covered_columns:
                spans.pop((row, column), None)
        spans[(covered_rows[0], covered_columns[0])] = len(covered_columns)
    return spans


def _lines_below(table: Table, rows: int, columns: int) -> set[tuple[int, int]]:
    """The cells with a rule under them: a line to write on by hand."""
    cells: set[tuple[int, int]] = set()
    for command in table._linecmds:
        if command[0] != "LINEBELOW":
            continue
        covered_rows, covered_columns = _cell_range(command[1], command[2], rows, columns)
        cells.update((row, column) for row in covered_rows for column in covered_columns)
    return cells


def _hex(color: colors.Color) -> str:
    value: str = color.hexval()
    return "#" + value[2:].lower()


def _svg(icons: IconArray) -> str:
    """An icon array as inline SVG: the same icons as the PDF draws, and the PDF's
    alternative text as its title and description."""
    # The PDF's own measures of this array: its icon size (larger in large print), the gap
    # between icons and how many stand in a row.
    cell, gap, per_row = icons.cell, icons.gap, icons.per_row
    step = cell + gap
    columns = min(icons.total, per_row)
    width = columns * cell + (columns - 1) * gap
    height = icons.rows * cell + (icons.rows - 1) * gap
    alt = escape(icons.alt or "", quote=False)
    shapes = []
    for index in range(icons.total):
        row, column = divmod(index, per_row)
        x, y = column * step, row * step
        kind = "on" if index < icons.events else "off"
        if icons.harm:
            radius = cell / 2
            shapes.append(
                f'<circle class="{kind}" cx="{x + radius:g}" cy="{y + radius:g}" r="{radius:g}"/>'
            )
        else:
            shapes.append(
                f'<rect class="{kind}" x="{x:g}" y="{y:g}" width="{cell:g}" height="{cell:g}"/>'
            )
    return (
        f'<svg class="icons" role="img" width="{width:g}pt" height="{height:g}pt" '
        f'viewBox="0 0 {width:g} {height:g}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{alt}</title><desc>{alt}</desc>{''.join(shapes)}</svg>"
    )


def _declarations(style: ParagraphStyle, page: HtmlPage) -> list[str]:
    """How a style differs from the body, in CSS: its size relative to the body's, its
    weight, its colour; none when it looks the same."""
    body = page.body
    declarations = []
    # Small print no smaller than 0.75 of the body (9 pt): the PDF sets 7.5 pt to keep within
    # its pages, which a file does not have to.
    relative = max(0.75, style.fontSize / body.fontSize)
    if abs(relative - 1) > 0.005:
        declarations.append(f"font-size: {relative:.3g}em")
    if style.fontName == page.bold_font:
        declarations.append("font-weight: bold")
    if style.textColor is not None and _hex(style.textColor) != _hex(body.textColor):
        declarations.append(f"color: {_hex(style.textColor)}")
    return declarations


def _css(page: HtmlPage, styles: dict[str, ParagraphStyle]) -> str:
    """The print and screen CSS: the paper, the body size, and each style's size and weight
    relative to the body, greys only."""
    body = page.body
    size = 16 if page.large_print else 12
    rules = [
        f"@page {{ size: {_PAGE_SIZES[page.paper.value]}; margin: {_MARGIN}; }}",
        f"html {{ font-size: {size}pt; }}",
        "body { font-family: 'DejaVu Sans', Verdana, 'Segoe UI', Arial, sans-serif;"
        f" line-height: 1.4; color: {_hex(body.textColor)}; background: #ffffff;"
        " max-width: 46em; margin: 0 auto; padding: 0 0.5em; }",
        "h1, h2, h3 { font-size: 1em; line-height: 1.3; margin: 1em 0 0.3em; break-after: avoid; }",
        "p, li { margin: 0.3em 0; max-width: 36em; }",
        "ul, ol { padding-left: 1.6em; }",
        "ul.checks, ul.plain { list-style: none; padding-left: 0.2em; }",
        ".box { border: 2px solid #1a1a1a; padding: 0.4em 0.7em; margin: 0.6em 0; }",
        ".shade { background: #e6e6e6; print-color-adjust: exact;"
        " -webkit-print-color-adjust: exact; }",
        ".layout .row { display: flex; flex-wrap: wrap; gap: 0.5em 1.5em; }",
        ".layout .cell { flex: 1 1 12em; }",
        ".write-on { border-bottom: 1px solid #737373; min-height: 1.6em; }",
        "table { border-collapse: collapse; width: 100%; margin: 0.6em 0; }",
        # The caption repeats the heading just above it: a screen reader names the table by
        # it, a sighted reader has the heading (in Chromium it read as the title twice).
        "caption { position: absolute; width: 1px; height: 1px; overflow: hidden;"
        " clip-path: inset(50%); white-space: nowrap; }",
        "th, td { border: 1px solid #737373; padding: 0.25em 0.4em; text-align: left;"
        " vertical-align: top; }",
        "thead th { background: #e6e6e6; print-color-adjust: exact;"
        " -webkit-print-color-adjust: exact; }",
        "table, tr, svg, .layout .row, .box { break-inside: avoid; }",
        f"svg.icons .on {{ fill: {_hex(ICON_ON)}; stroke: {_hex(ICON_OFF)}; stroke-width: 0.6; }}",
        f"svg.icons .off {{ fill: {_hex(ICON_OFF)}; stroke: {_hex(ICON_EDGE)};"
        " stroke-width: 0.6; }",
        "svg.icons { display: block; margin: 0.2em 0 0.4em; max-width: 100%; height: auto; }",
        ".aside { font-size: 0.8em; font-weight: normal; color: #595959; }",
        ".checks .box { font-size: 1.2em; }",
        "a { color: inherit; }",
        "footer { border-top: 1px solid #737373; margin-top: 1.5em; font-size: 0.75em;"
        " max-width: 46em; margin-left: auto; margin-right: auto; padding: 0 0.5em; }",
    ]
    for name in sorted(styles):
        declarations = _declarations(styles[name], page)
        rules.append(f".{name} {{ {'; '.join(declarations)}; }}")
    return "".join(rule + "\n" for rule in rules)
