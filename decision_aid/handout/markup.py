"""Handout text as reportlab paragraph markup: escaped, **bold** made bold, and [[key]]
citation marks numbered in the order the handout first cites each source."""

from __future__ import annotations

import re
from html import escape as _html_escape

from decision_aid.content import CITATION_MARK

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def escape(text: str) -> str:
    """Text made safe inside reportlab's paragraph markup (&, < and >)."""
    # html.escape, which reportlab loads anyway; xml.sax.saxutils would pull in urllib,
    # http and ssl, about 10 ms of every handout command.
    return _html_escape(text, quote=False)


class Citations:
    """Numbers the sources in the order the handout first cites them, and gathers the sources
    of each section for its one "Sources" line: no mark is printed inside a sentence, so no
    line of the handout can hold only a citation (docs/design.md section 6)."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self._section: list[str] = []

    def number(self, key: str) -> int:
        if key not in self.order:
            self.order.append(key)
        return self.order.index(key) + 1

    def add(self, keys: tuple[str, ...] | list[str]) -> None:
        """Counts these sources for the section being built."""
        for key in keys:
            self.number(key)
            if key not in self._section:
                self._section.append(key)

    def markup(self, text: str) -> str:
        """Handout text as reportlab paragraph markup: escaped, bold, its citation marks
        taken out and counted for the section's "Sources" line."""
        escaped = escape(" ".join(text.split()))
        bolded = _BOLD.sub(r"<b>\1</b>", escaped)

        def take(match: re.Match[str]) -> str:
            self.add([key.strip() for key in match.group(1).split(",")])
            return ""

        # The space before a mark goes with it: "it [[x]]." becomes "it."
        return CITATION_MARK.sub(take, re.sub(r"\s+(?=\[\[)", "", bolded)).strip()

    def section_numbers(self) -> list[int]:
        """The numbers of the sources cited since the last call, in ascending order; the next
        section starts with none."""
        numbers = sorted(self.order.index(key) + 1 for key in self._section)
        self._section = []
        return numbers
