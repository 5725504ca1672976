"""Reading a rendered handout PDF as a reader sees it: pages, their size, their text, and
the text runs and lines with their position and font size.

Works on the PDF bytes only (pypdf), never on the handout's own modules, so that the layout
gates hold whatever renders the handout. Coordinates are PDF points from the page's
bottom-left corner; y is a run's baseline.
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pypdf

# A font without usable widths (or a character it does not list) is measured as this many
# ems a character: about the widest average of a sans-serif text face.
FALLBACK_EM_PER_CHAR = 0.6
# A gap this wide (in ems) between two runs of a line reads as a space.
SPACE_EMS = 0.15
# A gap this wide (in ems) between two runs on one baseline is a column gap, not one line.
COLUMN_GAP_EMS = 2.0
# Baselines closer than this many points are the same line (rounding in the layout).
BASELINE_TOLERANCE = 1.0


@dataclass(frozen=True)
class Run:
    """Text drawn from one position in one go (one or more font changes merged)."""

    text: str
    x: float
    y: float
    size: float
    width: float
    # Position in the page's content stream: reading order for one-column text and tables.
    index: int

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class Line:
    """Runs on one baseline with no column gap between them, left to right."""

    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        parts = [self.runs[0].text]
        for before, run in zip(self.runs, self.runs[1:], strict=False):
            gap = run.x - before.right
            if gap > SPACE_EMS * run.size and not (
                before.text[-1:].isspace() or run.text[:1].isspace()
            ):
                parts.append(" ")
            parts.append(run.text)
        return " ".join("".join(parts).split())

    @property
    def x(self) -> float:
        return min(run.x for run in self.runs)

    @property
    def right(self) -> float:
        return max(run.right for run in self.runs)

    @property
    def y(self) -> float:
        return self.runs[0].y

    @property
    def size(self) -> float:
        """The font size most of the line's characters are set in."""
        sizes: Counter[float] = Counter()
        for run in self.runs:
            sizes[run.size] += len(run.text.strip())
        return sizes.most_common(1)[0][0]


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    text: str
    runs: tuple[Run, ...]
    lines: tuple[Line, ...]


def read_pages(pdf: bytes) -> list[Page]:
    """Every page of a PDF with its size, text, runs and lines (top to bottom)."""
    return list(_read_pages(pdf))


@functools.lru_cache(maxsize=256)
def _read_pages(pdf: bytes) -> tuple[Page, ...]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        runs = _runs(page)
        pages.append(
            Page(
                number=number,
                width=float(box.width),
                height=float(box.height),
                text=" ".join(page.extract_text().split()),
                runs=tuple(runs),
                lines=tuple(_lines(runs)),
            )
        )
    return tuple(pages)


def page_count(pdf: bytes) -> int:
    """The handout's own pages: those whose footer says "Page N of M" (a large-print source
    sheet after them has no page number and is not counted, docs/design.md 6.1)."""
    numbered = re.compile(r"\b(?:Page|Página) \d+ (?:of|de) \d+")
    return sum(1 for text in page_texts(pdf) if numbered.search(text))


def page_size(pdf: bytes, page: int = 0) -> tuple[float, float]:
    """(width, height) of a page's media box, in points."""
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[page].mediabox
    return float(box.width), float(box.height)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page as pypdf extracts it, whitespace collapsed to single spaces."""
    return [page.text for page in read_pages(pdf)]


def _multiply(m: list[float], n: list[float]) -> list[float]:
    """The product m × n of two PDF matrices [a b c d e f] (a point is a row vector)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    ]


def _runs(page: pypdf.PageObject) -> list[Run]:
    """The page's text runs, in content-stream order.

    pypdf reports the text matrix at the start of a chunk and does not advance it after a
    font change within a line, so consecutive chunks from the same position are one run
    whose width is the sum of theirs.
    """
    pieces: list[tuple[str, float, float, float, float]] = []
    widths = _FontWidths()

    def visit(text: str, cm: Any, tm: Any, font: Any, font_size: Any) -> None:
        for number, part in enumerate(text.split("\n")):
            if not part:
                continue
            matrix = _multiply([float(v) for v in tm], [float(v) for v in cm])
            scale = (matrix[0] ** 2 + matrix[1] ** 2) ** 0.5
            size = float(font_size) * scale
            # A chunk pypdf did not split at a line break: later lines one leading lower.
            x, y = matrix[4], matrix[5] - number * size * 1.2
            # pypdf puts a space before a chunk that follows another on its line (a list's
            # text after its bullet); the space is not drawn, so it takes no width.
            drawn = part.lstrip(" ") if number == 0 else part
            width = widths.width(font, drawn) * size
            if matrix[0] < 0 and matrix[3] < 0:
                # Text turned upside down (the knowledge check's answers) runs leftward from
                # its origin and hangs below it: the run is the box it covers on the page.
                x, y = x - width, y - size
            pieces.append((part, x, y, size, width))

    page.extract_text(visitor_text=visit)
    runs: list[Run] = []
    for text, x, y, size, width in pieces:
        last = runs[-1] if runs else None
        if last and abs(last.x - x) < 0.01 and abs(last.y - y) < 0.01:
            runs[-1] = Run(
                last.text + text, x, y, max(last.size, size), last.width + width, last.index
            )
        else:
            runs.append(Run(text, x, y, size, width, len(runs)))
    # Blank runs (the space after a bullet) carry no text to check; the line puts the space
    # back from the gap they leave.
    shown = [run for run in runs if run.text.strip()]
    return [
        Run(run.text, run.x, run.y, run.size, run.width, index) for index, run in enumerate(shown)
    ]


def _lines(runs: list[Run]) -> list[Line]:
    """Runs grouped into lines, top to bottom, left to right.

    A line is the runs drawn one after the other on one baseline, each to the right of the
    one before and close to it (a bullet and its text, a bold word and the rest of the
    sentence). Two table cells side by side are drawn apart in the stream (a whole cell,
    then the next), so they stay two lines however narrow the gap between them; two columns
    drawn one after the other are parted by their gap.
    """
    groups: list[list[Run]] = []
    for run in runs:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and run.index == last.index + 1
            and abs(run.y - last.y) <= BASELINE_TOLERANCE
            and last.x <= run.x <= last.right + COLUMN_GAP_EMS * run.size
        ):
            groups[-1].append(run)
        else:
            groups.append([run])
    lines = [Line(tuple(group)) for group in groups]
    return sorted(lines, key=lambda line: (-round(line.y / BASELINE_TOLERANCE), line.x))


class _FontWidths:
    """Glyph widths (in ems) of the PDF's fonts, looked up by the characters pypdf decoded:
    a font's /Widths (simple) or /W (composite) joined to its /ToUnicode map."""

    def __init__(self) -> None:
        self._fonts: dict[int, dict[str, float]] = {}

    def width(self, font: Any, text: str) -> float:
        if font is None:
            return FALLBACK_EM_PER_CHAR * len(text)
        key = id(font)
        if key not in self._fonts:
            self._fonts[key] = _unicode_widths(font)
        table = self._fonts[key]
        return sum(table.get(char, FALLBACK_EM_PER_CHAR) for char in text)


_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _unicode_widths(font: Any) -> dict[str, float]:
    try:
        codes = _code_widths(font)
        to_unicode = _to_unicode(font)
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}
    widths: dict[str, float] = {}
    for code, unicode in to_unicode.items():
        if code in codes and unicode not in widths:
            widths[unicode] = codes[code] / 1000
    return widths


def _code_widths(font: Any) -> dict[int, float]:
    font = font.get_object()
    if "/Widths" in font:
        first = int(font.get("/FirstChar", 0))
        return {first + i: float(w) for i, w in enumerate(font["/Widths"].get_object())}
    descendant = font["/DescendantFonts"].get_object()[0].get_object()
    widths: dict[int, float] = {}
    entries = list(descendant.get("/W", []))
    i = 0
    while i < len(entries):
        start = int(entries[i])
        following = entries[i + 1].get_object()
        if isinstance(following, list):
            for offset, w in enumerate(following):
                widths[start + offset] = float(w)
            i += 2
        else:
            for code in range(start, int(following) + 1):
                widths[code] = float(entries[i + 2])
            i += 3
    return widths


def _to_unicode(font: Any) -> dict[int, str]:
    cmap = font.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in _BFRANGE.findall(block):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                mapping[int(low, 16) + offset] = chr(int(start, 16) + offset)
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, unicode in _BFCHAR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(unicode).decode("utf-16-be", "replace")
    return mapping
