"""reportlab paragraph markup as HTML: the inline part of the HTML handout (docs/design.md
section 6.10, "One HTML file").

A handout paragraph's text is reportlab's mini-markup (``<b>``, ``<i>``, ``<font ...>``,
``<br/>``, entities). Read with the standard library's parser, it is written again as HTML
that holds no attribute the program did not choose: only the tags below pass, ``<font>``
(small grey print, the "Sources" words) becomes a span of its own class, and a link is kept
only to the few support and research sites the handout may name. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from typing import Final

__all__ = ["ASIDE", "Inline", "inline_html"]

# reportlab's inline tags and the HTML element each becomes.
_TAGS: Final = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "super": "sup",
    "sup": "sup",
    "sub": "sub",
    "strike": "s",
}
# The class of text set apart in smaller print: the "Sources" words at a section's end.
ASIDE: Final = "aside"
# The sites a handout may link to (docs/design.md 6.10), by the words that name them; a
# plain link, with nothing fetched when the file is opened.
_SITES: Final = {
    "988lifeline.org": "https://988lifeline.org",
    "samhsa.gov": "https://www.samhsa.gov",
    "clinicaltrials.gov": "https://clinicaltrials.gov",
}
_SITE_WORDS: Final = re.compile(
    r"(?<![\w.])(?:www\.)?(988lifeline\.org|samhsa\.gov|clinicaltrials\.gov)\b", re.IGNORECASE
)
# A link the markup itself makes is kept only to those sites.
_LINK: Final = re.compile(
    r"^https://(?:www\.)?(?:988lifeline\.org|samhsa\.gov|clinicaltrials\.gov)(?:/[\w./?=&%-]*)?$",
    re.IGNORECASE,
)
_LANGUAGE: Final = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Inline:
    """A paragraph's text as HTML, and as plain text without its asides (what a caption
    repeats of a heading)."""

    html: str
    plain: str


def inline_html(markup: str) -> Inline:
    """reportlab paragraph markup as inline HTML."""
    parser = _Converter()
    parser.feed(markup)
    parser.close()
    return parser.result()


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.plain: list[str] = []
        # For each open reportlab tag, the HTML end tag it wrote ("" when dropped).
        self.open: list[tuple[str, str]] = []

    @property
    def in_aside(self) -> bool:
        return any(end == "</span>" and tag == "font" for tag, end in self.open)

    @property
    def in_link(self) -> bool:
        return any(end == "</a>" for _, end in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "br":
            self.out.append("<br>")
            self.plain.append(" ")
            return
        if tag in _TAGS:
            name = _TAGS[tag]
            self._open(tag, f"<{name}>", f"</{name}>")
        elif tag == "font":
            self._open(tag, f'<span class="{ASIDE}">', "</span>")
        elif tag == "span" and _LANGUAGE.match(values.get("lang", "")):
            # A change of language inside a text (the PDF's Span with its own /Lang).
            self._open(tag, f'<span lang="{escape(values["lang"])}">', "</span>")
        elif tag == "a" and _LINK.match(values.get("href", "")):
            self._open(tag, f'<a href="{escape(values["href"])}">', "</a>")
        else:
            # Anything else (an image, a named anchor, reportlab's para) keeps only its text.
            self.open.append((tag, ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_starttag(tag, attrs)

    def _open(self, tag: str, start: str, end: str) -> None:
        self.out.append(start)
        self.open.append((tag, end))

    def handle_endtag(self, tag: str) -> None:
        # reportlab's markup is well formed: close back to the matching tag.
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                for _, end in reversed(self.open[index:]):
                    self.out.append(end)
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.in_aside:
            self.plain.append(data)
        if self.in_link:
            self.out.append(escape(data, quote=False))
            return
        position = 0
        for match in _SITE_WORDS.finditer(data):
            self.out.append(escape(data[position : match.start()], quote=False))
            address = _SITES[match.group(1).lower()]
            self.out.append(f'<a href="{address}">{escape(match.group(0), quote=False)}</a>')
            position = match.end()
        self.out.append(escape(data[position:], quote=False))

    def result(self) -> Inline:
        for _, end in reversed(self.open):
            self.out.append(end)
        self.open = []
        return Inline("".join(self.out).strip(), " ".join("".join(self.plain).split()))
