"""The handout's structure, recorded while reportlab draws it (docs/design.md section 6.10).

Each flowable that carries a structure role marks what it draws as marked content, ``/P
<</MCID n>> BDC ... EMC``, and records in the canvas's :class:`Tagger` which structure
element that content belongs to; what is not content (table rules and shading, the footer)
is drawn inside ``/Artifact`` sequences. :mod:`decision_aid.handout.structure` then writes
the structure tree into the finished PDF.

The roles are generic, never matched on words: a paragraph takes the role of its style
(``ParagraphStyle(role=...)``: the title H1, section headings H2, sub-parts H3, bullets LI,
everything else P) unless it is made with ``role=``; a table is tagged by the
:class:`TableTags` it is made with (a data table with its header cells, or a layout box whose
cells are read as the text around it); an icon array is a Figure with its ``alt``. A
paragraph split across a column or a page stays one element: its parts share one
:class:`Element`. On a canvas without a tagger (measuring), everything draws as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as _Paragraph

if TYPE_CHECKING:
    from collections.abc import Iterator

    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Table

__all__ = [
    "ARTIFACT",
    "Element",
    "MarkedContent",
    "Paragraph",
    "TableTags",
    "Tagger",
    "TaggedFlowable",
    "artifact",
]

# The role of a paragraph whose style names none.
DEFAULT_ROLE: Final = "P"
# List items are grouped into one list (L) while they follow one another with the same style.
LIST_ITEM: Final = "LI"
# A paragraph in a table cell is read as the cell's own text: no P of its own.
CELL_TEXT: Final = "cell"
# The running footer and page numbers: pagination artifacts.
ARTIFACT: Final = "/Artifact BMC"
FOOTER_ARTIFACT: Final = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"


@dataclass(frozen=True)
class MarkedContent:
    """One marked-content sequence: the page it is on (from 0) and its MCID there."""

    page: int
    mcid: int


@dataclass(eq=False)
class Element:
    """A structure element: its role (a standard structure type without the slash), its
    kids in reading order (elements and marked content), and its attributes."""

    role: str
    kids: list[Element | MarkedContent] = field(default_factory=list)
    alt: str | None = None
    # The table attributes of a header or spanning cell: Scope ("Column", "Row"), ColSpan.
    scope: str | None = None
    column_span: int = 1
    # For a list: the style its items share, so that two lists in a row stay two.
    list_of: str | None = None

    def elements(self) -> Iterator[Element]:
        """This element and every element under it, in reading order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.elements()


class Tagger:
    """What one document's drawing recorded: the structure tree under a Document element,
    and for each page the element of each of its MCIDs (the ParentTree)."""

    def __init__(self) -> None:
        self.root = Element("Document")
        self.page = 0
        # page -> the element each of its MCIDs belongs to, by MCID
        self.page_elements: list[list[Element]] = [[]]
        self._open: list[Element] = [self.root]
        self._artifacts = 0

    # -- pages --------------------------------------------------------------------------

    def next_page(self) -> None:
        """The canvas has started a new page."""
        self.page += 1
        self.page_elements.append([])

    # -- elements -----------------------------------------------------------------------

    @property
    def current(self) -> Element:
        return self._open[-1]

    @property
    def in_artifact(self) -> bool:
        return self._artifacts > 0

    def add(self, role: str, *, list_of: str | None = None, **attributes: Any) -> Element:
        """A new element under the open one; a list item goes into the list just before it,
        or a new one, when its style is that list's."""
        parent = self.current
        if role == LIST_ITEM:
            last = parent.kids[-1] if parent.kids else None
            if not (isinstance(last, Element) and last.role == "L" and last.list_of == list_of):
                last = Element("L", list_of=list_of)
                parent.kids.append(last)
            parent = last
        element = Element(role, **attributes)
        parent.kids.append(element)
        return element

    def push(self, element: Element) -> None:
        self._open.append(element)

    def pop(self) -> None:
        self._open.pop()

    # -- marked content -----------------------------------------------------------------

    def begin(self, canvas: Canvas, element: Element, tag: str | None = None) -> None:
        """Starts a marked-content sequence of element on the current page."""
        elements = self.page_elements[self.page]
        mcid = len(elements)
        elements.append(element)
        element.kids.append(MarkedContent(self.page, mcid))
        canvas.addLiteral(f"/{tag or element.role} <</MCID {mcid}>> BDC")

    @staticmethod
    def end(canvas: Canvas) -> None:
        canvas.addLiteral("EMC")

    def begin_artifact(self, canvas: Canvas, operator: str = ARTIFACT) -> None:
        """Starts an artifact: what is drawn until :meth:`end_artifact` is not content, and
        tagged flowables inside it draw untagged (a repeated table header)."""
        if not self._artifacts:
            canvas.addLiteral(operator)
        self._artifacts += 1

    def end_artifact(self, canvas: Canvas) -> None:
        self._artifacts -= 1
        if not self._artifacts:
            canvas.addLiteral("EMC")


def tagger_of(canvas: Canvas) -> Tagger | None:
    tagger: Tagger | None = getattr(canvas, "tagger", None)
    return tagger


class artifact:
    """Draws what the block draws as an artifact, on a canvas with a tagger."""

    def __init__(self, canvas: Canvas, operator: str = ARTIFACT) -> None:
        self.canvas, self.operator = canvas, operator
        self.tagger = tagger_of(canvas)

    def __enter__(self) -> None:
        if self.tagger is not None:
            self.tagger.begin_artifact(self.canvas, self.operator)

    def __exit__(self, *exc: object) -> None:
        if self.tagger is not None:
            self.tagger.end_artifact(self.canvas)


class _Token:
    """What the parts of one split flowable share: the element they all draw into."""

    __slots__ = ("element", "tagger")

    def __init__(self) -> None:
        self.element: Element | None = None
        # The document the element is in: a story laid out again starts anew.
        self.tagger: Tagger | None = None


class TaggedFlowable:
    """A mixin for flowables whose drawing is one structure element (or part of one): the
    drawing is marked content of the element, made on the first part drawn."""

    role: str | None = None
    alt: str | None = None
    _token: _Token | None = None

    def _element(self, tagger: Tagger) -> Element:
        token = self._token
        if token is None:
            token = self._token = _Token()
        if token.element is None or token.tagger is not tagger:
            token.element = self._new_element(tagger)
            token.tagger = tagger
        return token.element

    def _new_element(self, tagger: Tagger) -> Element:
        role = self._role()
        if role == CELL_TEXT:
            if tagger.current.role in {"TH", "TD"}:
                return tagger.current
            role = DEFAULT_ROLE
        if role == LIST_ITEM:
            item = tagger.add(LIST_ITEM, list_of=self._list_of())
            body = Element("LBody")
            item.kids.append(body)
            return body
        return tagger.add(role, alt=self.alt)

    def _role(self) -> str:
        return self.role or DEFAULT_ROLE

    def _list_of(self) -> str | None:
        return None

    def _share(self, parts: list[Any]) -> list[Any]:
        """The parts of a split: one element for all of them."""
        if self._token is None:
            self._token = _Token()
        for part in parts:
            if isinstance(part, TaggedFlowable):
                part._token = self._token
                part.role = self.role
                part.alt = self.alt
        return parts

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        tagger = tagger_of(canvas)
        if tagger is None or tagger.in_artifact:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            return
        element = self._element(tagger)
        tag = "P" if element.role == "LBody" else element.role
        tagger.begin(canvas, element, tag)
        super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        tagger.end(canvas)


class Paragraph(TaggedFlowable, _Paragraph):  # type: ignore[misc]
    """reportlab's paragraph, tagged with the role of its style (``role`` on the
    ParagraphStyle) or the one it is made with; its split parts stay one element."""

    def __init__(self, text: str | None, style: Any = None, *args: Any, role: str | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(text, style, *args, **kwargs)
        if role is not None:
            self.role = role

    def _role(self) -> str:
        return self.role or getattr(self.style, "role", None) or DEFAULT_ROLE

    def _list_of(self) -> str | None:
        return str(self.style.name)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        # A column never ends on a line ending in ":" (design 6.2): a term's colon before its
        # definition ("...a weak blood vessel:") goes on with the definition.
        leading = float(self.style.leading)
        while len(parts) == 2 and _last_line(parts[0]).rstrip().endswith(":"):
            availHeight -= leading
            parts = super().split(availWidth, availHeight) if availHeight > 0 else []
        return self._share(parts)


def _last_line(part: _Paragraph) -> str:
    """The words of a laid-out paragraph's last line (a split's first part has no text of its
    own to ask: reportlab keeps only its lines)."""
    lines = part.blPara.lines
    if not lines:
        return ""
    last = lines[-1]
    if isinstance(last, tuple):  # plain text: (room left, words)
        return " ".join(last[1])
    return "".join(str(getattr(word, "text", "")) for word in last.words)


class TableTags:
    """Tags a reportlab Table as it draws (``Table(renderCB=TableTags(...))``): its rules and
    shading as artifacts, and, for a data table, Table, TR, TH and TD elements.

    Args:
        data: a data table; otherwise a layout (a box, fill-in lines, icon arrays side by
            side) whose cells are read as the text around it.
        header_rows: how many rows at the top head the columns (TH, Scope Column); repeated
            at the top of a new page, where they are artifacts.
        row_headers: the rows (numbered in the whole table) whose cells head the row (TH,
            Scope Row).
        header_columns: how many columns at the left head their rows (TH, Scope Row): the
            options grid's questions.
    """

    def __init__(
        self,
        *,
        data: bool,
        header_rows: int = 0,
        row_headers: frozenset[int] = frozenset(),
        header_columns: int = 0,
    ) -> None:
        self.data, self.header_rows, self.row_headers = data, header_rows, row_headers
        self.header_columns = header_columns
        self.element: Element | None = None
        # Rows of the whole table drawn by the parts before this one.
        self.rows_done = 0
        self._first_row = 0
        self._rows_drawn = 0
        self._repeated = False
        self._cell_marked = False

    def __call__(self, table: Table, command: str, *args: Any) -> None:
        canvas = table.canv
        tagger = tagger_of(canvas)
        if tagger is None:
            return
        getattr(self, f"_{command}")(tagger, canvas, table, *args)

    def _startTable(self, tagger: Tagger, canvas: Canvas, table: Table) -> None:
        continued = self.element is not None
        # A later part repeats the header rows at its top.
        self._first_row = int(table.repeatRows) if continued else 0
        self._rows_drawn = 0
        if self.data and not tagger.in_artifact:
            if self.element is None:
                self.element = tagger.add("Table")
            tagger.push(self.element)
        elif self.element is None:
            self.element = tagger.current

    def _endTable(self, tagger: Tagger, canvas: Canvas, table: Table) -> None:
        self.rows_done += self._rows_drawn
        if self.data and not tagger.in_artifact:
            tagger.pop()

    def _startBG(self, tagger: Tagger, canvas: Canvas, table: Table) -> None:
        tagger.begin_artifact(canvas)

    def _endBG(self, tagger: Tagger, canvas: Canvas, table: Table) -> None:
        tagger.end_artifact(canvas)

    _startLines = _startBG
    _endLines = _endBG

    def _startRow(self, tagger: Tagger, canvas: Canvas, table: Table, row: int) -> None:
        self._repeated = row < self._first_row
        if self._repeated:
            tagger.begin_artifact(canvas)
            return
        self._rows_drawn += 1
        if self.data and not tagger.in_artifact:
            tagger.push(tagger.add("TR"))

    def _endRow(self, tagger: Tagger, canvas: Canvas, table: Table) -> None:
        if self._repeated:
            tagger.end_artifact(canvas)
            return
        if self.data and not tagger.in_artifact:
            tagger.pop()

    def _startCell(
        self,
        tagger: Tagger,
        canvas: Canvas,
        table: Table,
        row: int,
        column: int,
        value: Any,
        *_: Any,
    ) -> None:
        self._cell_marked = False
        if tagger.in_artifact:
            return
        if self.data:
            whole_row = self.rows_done + row - self._first_row
            span = table._spanRanges.get((column, row)) if table._spanCmds else None
            columns = 1 if span is None else span[2] - span[0] + 1
            if whole_row < self.header_rows:
                cell = tagger.add("TH", scope="Column", column_span=columns)
            elif whole_row in self.row_headers or column < self.header_columns:
                cell = tagger.add("TH", scope="Row", column_span=columns)
            else:
                cell = tagger.add("TD", column_span=columns)
            tagger.push(cell)
        if not isinstance(value, (Flowable, list, tuple)):
            # Text drawn by the table itself: the cell's content, or nothing to read.
            if str(value).strip():
                tagger.begin(canvas, tagger.current if self.data else tagger.add(DEFAULT_ROLE))
            else:
                tagger.begin_artifact(canvas)
            self._cell_marked = True

    def _endCell(self, tagger: Tagger, canvas: Canvas, table: Table) -> None:
        if self._cell_marked:
            if tagger.in_artifact:
                tagger.end_artifact(canvas)
            else:
                tagger.end(canvas)
        self._cell_marked = False
        if self.data and not tagger.in_artifact:
            tagger.pop()
