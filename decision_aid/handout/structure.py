"""The tagged PDF (PDF/UA-1): the structure the drawing recorded (:mod:`.tags`) written into
reportlab's own document as it is saved (docs/design.md section 6.10).

It adds the structure tree (Document and its elements, each with its marked content and
page), the ParentTree and each page's ``/StructParents`` and ``/Tabs /S``, ``/MarkInfo``, the
catalog's ``/Lang``, ``/ViewerPreferences /DisplayDocTitle``, the title, the dates and the XMP
metadata that claims PDF/UA-1 (``pdfuaid:part``); a page that prints no date (the patient's
plan, docs/design.md 13.5) carries none in its metadata either.

Written with reportlab's PDF objects while the canvas saves, not by reopening the finished
file: the objects are few and simple, and reopening it with pikepdf cost more (its import
alone, about 35 ms) than laying out a page, which kept the handout process above its budget of
1.5 times the reference (docs/design.md section 10). The bytes are deterministic: no new date
(the dates are the pack's published date) and reportlab's invariant /ID.
"""

from __future__ import annotations

import datetime  # noqa: TC003 (a dataclass field's type, read at run time)
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, Final

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFObjectReference,
    PDFStream,
    PDFString,
)
from reportlab.pdfbase.pdfdoc import format as pdf_bytes

from decision_aid.handout.tags import Element, MarkedContent

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from decision_aid.handout.tags import Tagger

__all__ = ["DocumentFacts", "write_structure"]

# The page entries a tagged page adds to those reportlab writes.
_PAGE_ENTRIES: Final = ("StructParents", "Tabs")
# A PDF boolean, as reportlab writes one.
_TRUE: Final = "true"


@dataclass(frozen=True)
class DocumentFacts:
    """What the catalog, the document information and the XMP say of the whole document."""

    title: str
    lang: str
    author: str
    subject: str
    # None: the document holds no date at all, not even in its metadata.
    published: datetime.date | None


def write_structure(canvas: Canvas, tagger: Tagger, facts: DocumentFacts) -> None:
    """Adds the structure tree of tagger and the catalog entries of PDF/UA-1 to the canvas's
    document: call it after the last page is shown and before the canvas saves."""
    document: Any = canvas._doc
    pages: list[Any] = list(document.Pages.pages)
    # reportlab registered each page under a name; a reference by that name is the page.
    page_refs = [PDFObjectReference(page.__InternalName__) for page in pages]
    tree = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    tree_ref = document.Reference(tree)
    writer = _Writer(document, page_refs)
    tree["K"] = PDFArray([writer.element(tagger.root, tree_ref)])
    # The ParentTree: for each page (its /StructParents), its MCIDs' elements by MCID.
    numbers: list[Any] = []
    for index, page in enumerate(pages):
        elements = tagger.page_elements[index] if index < len(tagger.page_elements) else []
        numbers.append(index)
        numbers.append(document.Reference(PDFArray([writer.written[id(e)] for e in elements])))
        page.StructParents = index
        page.Tabs = PDFName("S")
        # reportlab writes the page entries its class lists; these two join them.
        page.__NoDefault__ = [*type(page).__NoDefault__, *_PAGE_ENTRIES]
    tree["ParentTree"] = document.Reference(PDFDictionary({"Nums": PDFArray(numbers)}))
    tree["ParentTreeNextKey"] = len(pages)
    catalog = document.Catalog
    catalog.StructTreeRoot = tree
    catalog.MarkInfo = PDFDictionary({"Marked": _TRUE})
    catalog.Lang = PDFString(facts.lang)
    catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": _TRUE})
    info = document.info
    info.title = facts.title
    if facts.published is None:
        info.__class__ = _UndatedInfo
    else:
        date = f"D:{facts.published:%Y%m%d}000000Z"
        info._dateFormatter = lambda *_: date
    catalog.Metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        _xmp(facts, producer=str(info.producer)),
        # Uncompressed: the XMP packet is meant to be readable as it stands in the file.
        filters=[],
    )


class _Writer:
    """Writes the elements of the recorded tree as structure element dictionaries."""

    def __init__(self, document: Any, pages: list[PDFObjectReference]) -> None:
        self.document = document
        self.pages = pages
        # id(Element) -> the reference of its dictionary, for the ParentTree
        self.written: dict[int, PDFObjectReference] = {}

    def element(self, element: Element, parent: PDFObjectReference) -> PDFObjectReference:
        node = PDFDictionary(
            {"Type": PDFName("StructElem"), "S": PDFName(element.role), "P": parent}
        )
        reference: PDFObjectReference = self.document.Reference(node)
        self.written[id(element)] = reference
        first_page = next(
            (kid.page for kid in _marked_content(element) if kid.page < len(self.pages)), None
        )
        if first_page is not None:
            node["Pg"] = self.pages[first_page]
        kids: list[Any] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(self.element(kid, reference))
            elif kid.page == first_page:
                kids.append(kid.mcid)
            else:
                # A paragraph broken across pages: its later parts name their page.
                kids.append(
                    PDFDictionary(
                        {"Type": PDFName("MCR"), "Pg": self.pages[kid.page], "MCID": kid.mcid}
                    )
                )
        # One kid stands alone, as most writers put it (and pdfua 0.1.3 reads a heading's
        # content only then: an array makes its heading rule fail to run).
        node["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
        if element.alt is not None:
            node["Alt"] = PDFString(element.alt)
        if element.scope is not None or element.column_span > 1:
            table = PDFDictionary({"O": PDFName("Table")})
            if element.scope is not None:
                table["Scope"] = PDFName(element.scope)
            if element.column_span > 1:
                table["ColSpan"] = element.column_span
            node["A"] = table
        return reference


class _UndatedInfo(PDFInfo):  # type: ignore[misc]
    """reportlab's document information without its creation and modification dates."""

    def format(self, document: Any) -> bytes:
        entries = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "Producer": PDFString(self.producer),
            "Creator": PDFString(self.creator),
            "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords),
            "Trapped": PDFName(self.trapped),
        }
        formatted: bytes = pdf_bytes(PDFDictionary(entries), document)
        return formatted


def _marked_content(element: Element) -> list[MarkedContent]:
    return [kid for kid in element.kids if isinstance(kid, MarkedContent)]


def _xmp(facts: DocumentFacts, *, producer: str) -> bytes:
    """The XMP packet: the title, language, author and subject, the dates, and the PDF/UA-1
    identification; written as text (no XML library) with its values escaped."""
    dates = (
        ""
        if facts.published is None
        else f"""   <xmp:CreateDate>{facts.published:%Y-%m-%d}T00:00:00Z</xmp:CreateDate>
   <xmp:ModifyDate>{facts.published:%Y-%m-%d}T00:00:00Z</xmp:ModifyDate>
"""
    )
    title, author, subject, lang = (
        escape(text) for text in (facts.title, facts.author, facts.subject, facts.lang)
    )
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <dc:format>application/pdf</dc:format>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <xmp:CreatorTool>decision-aid</xmp:CreatorTool>
{dates}   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")
