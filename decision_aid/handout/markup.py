"""Handout text as reportlab paragraph markup: escaped, **bold** made bold, and [[key]]
citation marks numbered in the order the handout first cites each source."""

from __future__ import annotations

import re
from html import escape as _html_escape
from typing import TYPE_CHECKING

from decision_aid.content import CITATION_MARK

if TYPE_CHECKING:
    from decision_aid.content import Content

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def escape(text: str) -> str:
    """Text made safe inside reportlab's paragraph markup (&, < and >)."""
    # html.escape, which reportlab loads anyway; xml.sax.saxutils would pull in urllib,
    # http and ssl, about 10 ms of every handout command.
    return _html_escape(text, quote=False)


class Citations:
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
