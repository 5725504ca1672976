"""What a handout PDF draws, read from its content streams: the shapes inside each Figure
(the icon arrays) from the path operators, and which text is drawn turned upside down from
the text and transformation matrices.

Works on the PDF bytes only (pikepdf), never on the handout's own modules.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import pikepdf

from tests.gates.tagged_pdf import _unicode_map

if TYPE_CHECKING:
    from collections.abc import Iterable

# Path construction operators and how many numbers make a point in each.
_MOVE_LINE: Final = frozenset({"m", "l"})
_CURVES: Final = frozenset({"c", "v", "y"})
# What ends a path: painting it, or discarding it.
_PATH_ENDS: Final = frozenset({"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "n"})
_SHOWS: Final = frozenset({"Tj", "TJ", "'", '"'})


@dataclass(frozen=True)
class Shape:
    """One closed path of a Figure: its page (from 0), and its box in page points."""

    page: int
    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


def _multiply(m: list[float], n: list[float]) -> list[float]:
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


def _numbers(operands: Iterable[object]) -> list[float]:
    """The numeric operands (pikepdf gives reals as Decimal)."""
    found = []
    for value in operands:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            continue
        found.append(float(value))
    return found


def _apply(matrix: list[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def figure_shapes(pdf: bytes) -> list[list[Shape]]:
    """The shapes each Figure's marked content draws, one list per Figure sequence, in the
    order of the pages' content."""
    document = pikepdf.open(io.BytesIO(pdf))
    figures: list[list[Shape]] = []
    for number, page in enumerate(document.pages):
        matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        saved: list[list[float]] = []
        # For each open marked-content sequence, whether it is a Figure.
        stack: list[bool] = []
        points: list[tuple[float, float]] = []
        for instruction in pikepdf.parse_content_stream(page):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                continue
            operands, operator = instruction.operands, str(instruction.operator)
            numbers = _numbers(operands)
            if operator in {"BDC", "BMC"}:
                figure = str(operands[0]) == "/Figure"
                stack.append(figure)
                if figure:
                    figures.append([])
            elif operator == "EMC":
                stack.pop()
            elif operator == "q":
                saved.append(matrix)
            elif operator == "Q":
                matrix = saved.pop()
            elif operator == "cm":
                matrix = _multiply([float(value) for value in operands], matrix)
            elif operator == "re":
                x, y, w, h = numbers
                points = [_apply(matrix, x, y), _apply(matrix, x + w, y + h)]
            elif operator in _MOVE_LINE | _CURVES:
                pairs = list(zip(numbers[0::2], numbers[1::2], strict=True))
                points += [_apply(matrix, x, y) for x, y in pairs]
            elif operator in _PATH_ENDS:
                if points and any(stack) and operator != "n":
                    xs, ys = [x for x, _ in points], [y for _, y in points]
                    figures[-1].append(Shape(number, min(xs), min(ys), max(xs), max(ys)))
                points = []
    return figures


def upside_down_texts(pdf: bytes) -> list[str]:
    """The text drawn turned through 180 degrees, as one string per page (empty pages
    left out), decoded through the fonts' ToUnicode maps."""
    document = pikepdf.open(io.BytesIO(pdf))
    found: list[str] = []
    for page in document.pages:
        fonts = page.obj.Resources.get("/Font", pikepdf.Dictionary())
        matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        saved: list[list[float]] = []
        text_matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        font = ""
        pieces: list[str] = []
        for instruction in pikepdf.parse_content_stream(page):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                continue
            operands, operator = instruction.operands, str(instruction.operator)
            if operator == "q":
                saved.append(matrix)
            elif operator == "Q":
                matrix = saved.pop()
            elif operator == "cm":
                matrix = _multiply([float(value) for value in operands], matrix)
            elif operator == "Tm":
                text_matrix = [float(value) for value in operands]
            elif operator == "Tf":
                font = str(operands[0])
            elif operator in _SHOWS:
                whole = _multiply(text_matrix, matrix)
                if whole[0] < 0 and whole[3] < 0:
                    table = _unicode_map(fonts.get(font))
                    shown = operands[-1]
                    strings = shown if isinstance(shown, pikepdf.Array) else [shown]
                    for string in strings:
                        if isinstance(string, pikepdf.String):
                            pieces.append(
                                "".join(table.get(code, chr(code)) for code in bytes(string))
                            )
                    pieces.append(" ")
        text = " ".join("".join(pieces).split())
        if text:
            found.append(text)
    return found
