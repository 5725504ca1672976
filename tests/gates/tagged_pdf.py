"""Reading a handout PDF's tags as assistive technology does: its structure tree, the marked
content of its pages, and the catalog entries of PDF/UA-1 (docs/design.md section 6.10).

Works on the PDF bytes only (pikepdf, pdfinfo, pdfua), never on the handout's own modules,
so that the gates hold whatever renders the handout.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pikepdf

# The operators that paint (PDF 32000-1, tables 51, 59, 87, 92 and 106): text shown, paths
# filled or stroked, XObjects, shadings and inline images.
PAINTING: Final = frozenset(
    {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "Do", "sh", "BI"}
)


@dataclass
class StructElement:
    """One element of the structure tree: its type (without the slash), attributes and
    kids, and the marked content it owns as (page index, MCID)."""

    role: str
    alt: str | None
    scope: str | None
    kids: list[StructElement] = field(default_factory=list)
    marked: list[tuple[int, int]] = field(default_factory=list)

    def walk(self) -> list[StructElement]:
        found = [self]
        for kid in self.kids:
            found += kid.walk()
        return found

    def with_role(self, role: str) -> list[StructElement]:
        return [element for element in self.walk() if element.role == role]


@dataclass(frozen=True)
class Tags:
    """What the tags of one PDF say."""

    root: StructElement | None  # the structure tree's top element, None when untagged
    lang: str | None  # the catalog's /Lang
    marked: bool  # /MarkInfo /Marked true
    display_title: bool  # /ViewerPreferences /DisplayDocTitle true
    xmp: str  # the XMP packet, "" if none
    # For each page, its painting operators outside any marked content, and the page numbers
    # painted outside an artifact.
    unmarked: tuple[tuple[str, ...], ...]
    # For each page, the MCIDs its content marks.
    mcids: tuple[frozenset[int], ...]


def read_tags(pdf: bytes) -> Tags:
    document = pikepdf.open(io.BytesIO(pdf))
    pages = [page.obj.objgen for page in document.pages]
    root = document.Root
    tree = root.get("/StructTreeRoot")
    top = None
    if tree is not None:
        kids = tree.get("/K")
        first = kids[0] if isinstance(kids, pikepdf.Array) else kids
        assert isinstance(first, pikepdf.Dictionary)
        top = _element(first, pages, None)
    unmarked, mcids = [], []
    for page in document.pages:
        outside, marks = _scan(page)
        unmarked.append(tuple(outside))
        mcids.append(frozenset(marks))
    metadata = root.get("/Metadata")
    preferences = root.get("/ViewerPreferences")
    mark_info = root.get("/MarkInfo")
    return Tags(
        root=top,
        lang=str(root.Lang) if "/Lang" in root else None,
        marked=_true(mark_info, "/Marked"),
        display_title=_true(preferences, "/DisplayDocTitle"),
        xmp=metadata.read_bytes().decode("utf-8") if metadata is not None else "",
        unmarked=tuple(unmarked),
        mcids=tuple(mcids),
    )


def _true(dictionary: object, key: str) -> bool:
    """Whether a dictionary of the catalog holds key as true (pikepdf gives a bool)."""
    if not isinstance(dictionary, pikepdf.Dictionary) or key not in dictionary:
        return False
    value: object = dictionary[key]
    return value is True


def _element(
    node: pikepdf.Dictionary, pages: list[tuple[int, int]], page: int | None
) -> StructElement:
    if "/Pg" in node:
        page = pages.index(node.Pg.objgen)
    attributes = node.get("/A")
    scope = None
    if isinstance(attributes, pikepdf.Dictionary) and "/Scope" in attributes:
        scope = str(attributes.Scope)[1:]
    alt = str(node.Alt) if "/Alt" in node else None
    element = StructElement(str(node.S)[1:], alt, scope)
    kids = node.get("/K")
    listed: list[object] = (
        list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    )
    for kid in listed:
        if isinstance(kid, int):
            assert page is not None, "marked content of an element with no /Pg"
            element.marked.append((page, int(kid)))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            element.marked.append((pages.index(kid.Pg.objgen), int(kid.MCID)))
        elif isinstance(kid, pikepdf.Dictionary):
            element.kids.append(_element(kid, pages, page))
    return element


def _scan(page: pikepdf.Page) -> tuple[list[str], set[int]]:
    """The painting operators outside marked content, and the MCIDs the page marks."""
    outside: list[str] = []
    mcids: set[int] = set()
    depth = 0
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            if not depth:
                outside.append("BI")
            continue
        operands, operator = instruction.operands, str(instruction.operator)
        if operator in {"BDC", "BMC"}:
            depth += 1
            properties = operands[1] if operator == "BDC" else None
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                mcids.add(int(properties.MCID))
        elif operator == "EMC":
            depth -= 1
        elif operator in PAINTING and not depth:
            outside.append(operator)
    return outside, mcids


def without_artifacts(pdf: bytes) -> bytes:
    """The PDF with every artifact sequence taken out of its pages: what a screen reader
    reads (the footer and page numbers should be gone, the content left)."""
    document = pikepdf.open(io.BytesIO(pdf))
    for page in document.pages:
        kept: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
        # One entry per open marked-content sequence: whether it is an artifact.
        stack: list[bool] = []
        for instruction in pikepdf.parse_content_stream(page):
            inside_artifact = any(stack)
            if isinstance(instruction, pikepdf.ContentStreamInstruction):
                operator = str(instruction.operator)
                if operator in {"BDC", "BMC"}:
                    stack.append(str(instruction.operands[0]) == "/Artifact")
                elif operator == "EMC":
                    stack.pop()
            # An artifact's own BMC and EMC go with it.
            if not inside_artifact and not any(stack):
                kept.append(instruction)
        page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(kept))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdfinfo_tagged(pdf: bytes) -> str:
    """What poppler's pdfinfo says on its "Tagged:" line."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "handout.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, timeout=60, check=True
        )
    lines = [line for line in result.stdout.splitlines() if line.startswith("Tagged:")]
    return lines[0].split(":", 1)[1].strip() if lines else ""


def pdfua_findings(pdf: bytes) -> list[str]:
    """What the offline PDF/UA-1 checker pdfua finds, and the rules it could not run."""
    from pdfua import validate

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "handout.pdf"
        path.write_bytes(pdf)
        report = validate(str(path))
    found = [
        f"{finding.rule_id} {finding.severity.name}: {finding.message}"
        for finding in report.findings
    ]
    found += [
        f"{outcome.rule_id} not run: {outcome.skipped_reason}"
        for outcome in report.outcomes
        if outcome.skipped_reason
    ]
    return found


# Operators that start a new line of text (or a new text object): the text after them is a
# new line of the same element, read with a space before it.
_NEW_LINE: Final = frozenset({"BT", "T*", "Td", "TD", "Tm", "'", '"'})
_SHOWS: Final = frozenset({"Tj", "TJ", "'", '"'})


def element_texts(pdf: bytes) -> list[tuple[str, str]]:
    """(role, text) of every structure element that owns marked content, in the structure
    tree's order (the reading order): each heading, paragraph, list body, table cell and
    figure as one piece of text, lines joined by a space, a piece split across columns or
    pages joined again. Artifacts (footer, page numbers, rules) are in no element."""
    tags = read_tags(pdf)
    if tags.root is None:
        return []
    document = pikepdf.open(io.BytesIO(pdf))
    marked: dict[tuple[int, int], str] = {}
    for number, page in enumerate(document.pages):
        for mcid, text in _marked_texts(page).items():
            marked[(number, mcid)] = text
    return [
        (element.role, " ".join(" ".join(marked.get(key, "") for key in element.marked).split()))
        for element in tags.root.walk()
        if element.marked
    ]


def _marked_texts(page: pikepdf.Page) -> dict[int, str]:
    """The text each MCID of a page shows, decoded through its fonts' ToUnicode maps."""
    fonts = page.obj.Resources.get("/Font", pikepdf.Dictionary())
    maps: dict[str, dict[int, str]] = {}
    texts: dict[int, list[str]] = {}
    # The MCID of each open marked-content sequence (None for one without).
    stack: list[int | None] = []
    font = ""
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operands, operator = instruction.operands, str(instruction.operator)
        if operator in {"BDC", "BMC"}:
            properties = operands[1] if operator == "BDC" else None
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                stack.append(int(properties.MCID))
            else:
                stack.append(None)
            continue
        if operator == "EMC":
            stack.pop()
            continue
        if operator == "Tf":
            font = str(operands[0])
            if font not in maps:
                maps[font] = _unicode_map(fonts.get(font))
            continue
        current = next((mcid for mcid in reversed(stack) if mcid is not None), None)
        if current is None:
            continue
        pieces = texts.setdefault(current, [])
        if operator in _NEW_LINE:
            pieces.append(" ")
        if operator in _SHOWS:
            shown = operands[-1]
            strings = shown if isinstance(shown, pikepdf.Array) else [shown]
            for string in strings:
                if isinstance(string, pikepdf.String):
                    table = maps.get(font, {})
                    pieces.append("".join(table.get(code, chr(code)) for code in bytes(string)))
    return {mcid: "".join(pieces) for mcid, pieces in texts.items()}


_BFCHAR: Final = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE: Final = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _unicode_map(font: object) -> dict[int, str]:
    """A simple font's codes and the characters its ToUnicode map gives them."""
    if not isinstance(font, pikepdf.Dictionary) or "/ToUnicode" not in font:
        return {}
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in _BFRANGE.findall(block):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                mapping[int(low, 16) + offset] = chr(int(start, 16) + offset)
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, unicode in _BFCHAR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(unicode).decode("utf-16-be", "replace")
    return mapping
