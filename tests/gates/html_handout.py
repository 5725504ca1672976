"""Reading a handout's HTML as a browser's parser and a screen reader would: strictly nested
elements, the document's language and title, its headings, tables, figures and text, and
anything that would load or run (docs/design.md section 6.10, gate 6 of section 6.11).

Works on the HTML bytes only, with the standard library's ``html.parser``, never on the
handout's own modules, so that the gate holds whatever writes the HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Final

# Elements that have no end tag (HTML Living Standard, "void elements").
VOID: Final = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
# SVG's childless shapes may close themselves (<rect/>).
SELF_CLOSING: Final = frozenset({"rect", "circle", "path", "line", "use"})
# Elements that run or fetch something.
LOADING_ELEMENTS: Final = frozenset(
    {"script", "link", "iframe", "img", "object", "embed", "audio", "video", "source", "image",
     "frame", "base", "form", "input"}
)  # fmt: skip
# Attributes that fetch, run or send something.
LOADING_ATTRIBUTES: Final = re.compile(r"^(?:src|srcset|data|poster|action|formaction|on\w+)$")
# The sites a handout may link to (design 6.10).
ALLOWED_LINK: Final = re.compile(
    r"^https://(?:www\.)?(?:988lifeline\.org|samhsa\.gov|clinicaltrials\.gov)(?:/\S*)?$", re.I
)
# "2 of 12", "8 de 12": the counts a handout states.
COUNTS: Final = re.compile(r"\b(\d+) (?:of|de) (\d+)\b")


@dataclass
class Svg:
    """One inline SVG: its role, title and description, and its shapes' classes."""

    role: str | None
    title: str = ""
    desc: str = ""
    shapes: list[str] = field(default_factory=list)


@dataclass
class Table:
    """One table: its caption, and the scope of each of its header cells."""

    caption: str = ""
    scopes: list[str | None] = field(default_factory=list)


@dataclass
class Page:
    """What one HTML document holds."""

    errors: list[str] = field(default_factory=list)
    lang: str | None = None
    title: str = ""
    headings: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    svgs: list[Svg] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    loading: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    footer: str = ""
    style: str = ""

    def texts(self, tag: str) -> list[str]:
        return [text for name, text in self.headings if name == tag]


def read_html(data: bytes) -> Page:
    reader = _Reader()
    reader.feed(data.decode("utf-8"))
    reader.close()
    page = reader.page
    if reader.stack:
        page.errors.append(f"not closed at the end: {[name for name, _ in reader.stack]}")
    page.text = " ".join("".join(reader.text).split())
    page.footer = " ".join("".join(reader.footer).split())
    for block in reader.styles:
        page.style += block
    return page


def counts(text: str) -> set[tuple[str, str]]:
    """The "N of M" / "N de M" pairs of a text, its spaces made plain."""
    return set(COUNTS.findall(" ".join(text.split())))


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        # The open elements and, for each, the text gathered inside it since it opened.
        self.stack: list[tuple[str, list[str]]] = []
        self.text: list[str] = []
        self.footer: list[str] = []
        self.styles: list[str] = []

    def _inside(self, tag: str) -> bool:
        return any(name == tag for name, _ in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        values = dict(attrs)
        if tag in LOADING_ELEMENTS:
            self.page.loading.append(f"<{tag}>")
        for name, value in attrs:
            if LOADING_ATTRIBUTES.match(name):
                self.page.loading.append(f"{tag} {name}={value!r}")
            if name == "style" and value and ("url(" in value or "@import" in value):
                self.page.loading.append(f"{tag} style={value!r}")
            if name in {"href", "xlink:href"}:
                self.page.links.append(value or "")
        if tag == "html":
            self.page.lang = values.get("lang")
        if tag == "svg":
            self.page.svgs.append(Svg(values.get("role")))
        if tag in {"rect", "circle"} and self._inside("svg"):
            self.page.svgs[-1].shapes.append(values.get("class") or "")
        if tag == "table":
            self.page.tables.append(Table())
        if tag == "th" and self.page.tables:
            self.page.tables[-1].scopes.append(values.get("scope"))
        if tag in VOID:
            return
        if closed:
            if tag not in SELF_CLOSING:
                self.page.errors.append(f"<{tag}/> is not an element that may close itself")
            return
        self.stack.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.page.errors.append(f"</{tag}> closes a void element")
            return
        if not self.stack or self.stack[-1][0] != tag:
            open_names = [name for name, _ in self.stack]
            self.page.errors.append(f"</{tag}> does not close the last open element {open_names}")
            return
        _, gathered = self.stack.pop()
        text = " ".join("".join(gathered).split())
        page = self.page
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            page.headings.append((tag, text))
        elif tag == "title" and self._inside("svg"):
            page.svgs[-1].title = text
        elif tag == "title":
            page.title = text
        elif tag == "desc" and self._inside("svg"):
            page.svgs[-1].desc = text
        elif tag == "caption" and page.tables:
            page.tables[-1].caption = text

    def handle_data(self, data: str) -> None:
        for _, gathered in self.stack:
            gathered.append(data)
        if self._inside("style"):
            self.styles.append(data)
            return
        if self._inside("title") and not self._inside("svg"):
            return
        if self._inside("body"):
            # The text a reader gets, figures' titles and descriptions among it.
            self.text.append(data + " ")
        if self._inside("footer"):
            self.footer.append(data + " ")
