"""The tagged PDF (PDF/UA-1): the structure the drawing recorded (:mod:`.tags`) written into
reportlab's finished PDF with pikepdf (docs/design.md section 6.10).

It adds the structure tree (Document and its elements, each with its marked content and
page), the ParentTree and each page's ``/StructParents`` and ``/Tabs /S``, ``/MarkInfo``, the
catalog's ``/Lang``, ``/ViewerPreferences /DisplayDocTitle``, the title and the XMP metadata
that claims PDF/UA-1 (``pdfuaid:part``). pikepdf is imported here, when a handout is made,
never at start-up; the XMP packet is written as text, so lxml is never loaded. The bytes are
deterministic: no new date (the dates are the pack's published date, or none at all for a
page that prints no date) and an /ID made from the content.
"""

from __future__ import annotations

import io
from html import escape
from typing import TYPE_CHECKING

from decision_aid.handout.tags import Element, MarkedContent

if TYPE_CHECKING:
    import datetime

    import pikepdf

    from decision_aid.handout.tags import Tagger

__all__ = ["tag_pdf"]


def tag_pdf(
    pdf: bytes,
    tagger: Tagger,
    *,
    title: str,
    lang: str,
    author: str,
    subject: str,
    published: datetime.date | None,
) -> bytes:
    """The PDF with the structure tree of tagger and the catalog entries of PDF/UA-1; its
    creation and modification dates are published, or absent when published is None (the
    plan page holds no date of any kind, docs/design.md 13.5)."""
    import pikepdf

    document = pikepdf.open(io.BytesIO(pdf))
    root = document.Root
    pages = [page.obj for page in document.pages]
    tree = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    writer = _Writer(document, pages)
    top = writer.element(tagger.root, tree)
    tree.K = pikepdf.Array([top])
    # The ParentTree: for each page (its /StructParents), its MCIDs' elements by MCID.
    numbers = pikepdf.Array()
    for index, page in enumerate(pages):
        elements = tagger.page_elements[index] if index < len(tagger.page_elements) else []
        numbers.append(index)
        numbers.append(
            document.make_indirect(pikepdf.Array([writer.written[id(e)] for e in elements]))
        )
        page.StructParents = index
        page.Tabs = pikepdf.Name.S
    tree.ParentTree = document.make_indirect(pikepdf.Dictionary(Nums=numbers))
    tree.ParentTreeNextKey = len(pages)
    root.StructTreeRoot = tree
    root.MarkInfo = pikepdf.Dictionary(Marked=True)
    root.Lang = pikepdf.String(lang)
    root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    info = document.docinfo
    info.Title = pikepdf.String(title)
    if published is None:
        for key in ("/CreationDate", "/ModDate"):
            if key in info:
                del info[key]
    else:
        date = f"D:{published:%Y%m%d}000000Z"
        info.CreationDate = pikepdf.String(date)
        info.ModDate = pikepdf.String(date)
    producer = str(info.get("/Producer", ""))
    root.Metadata = document.make_stream(
        _xmp(
            title=title,
            lang=lang,
            author=author,
            subject=subject,
            producer=producer,
            published=published,
        )
    )
    root.Metadata.Type = pikepdf.Name.Metadata
    root.Metadata.Subtype = pikepdf.Name.XML
    out = io.BytesIO()
    # deterministic_id: the /ID is a hash of the content, not of the time; the XMP is left
    # as written (pikepdf would otherwise rewrite it with the time, through lxml).
    document.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


class _Writer:
    """Writes the elements of the recorded tree as structure element dictionaries."""

    def __init__(self, document: pikepdf.Pdf, pages: list[pikepdf.Dictionary]) -> None:
        self.document = document
        self.pages = pages
        # id(Element) -> its dictionary, for the ParentTree
        self.written: dict[int, pikepdf.Dictionary] = {}

    def element(self, element: Element, parent: pikepdf.Dictionary) -> pikepdf.Dictionary:
        import pikepdf

        node = self.document.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + element.role), P=parent
            )
        )
        self.written[id(element)] = node
        first_page = next(
            (kid.page for kid in _marked_content(element) if kid.page < len(self.pages)), None
        )
        if first_page is not None:
            node.Pg = self.pages[first_page]
        kids = pikepdf.Array()
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(self.element(kid, node))
            elif kid.page == first_page:
                kids.append(kid.mcid)
            else:
                # A paragraph broken across pages: its later parts name their page.
                kids.append(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.MCR, Pg=self.pages[kid.page], MCID=kid.mcid
                    )
                )
        # One kid stands alone, as most writers put it (and pdfua 0.1.3 reads a heading's
        # content only then: an array makes its heading rule fail to run).
        node.K = kids[0] if len(kids) == 1 else kids
        if element.alt is not None:
            node.Alt = pikepdf.String(element.alt)
        if element.scope is not None or element.column_span > 1:
            table = pikepdf.Dictionary(O=pikepdf.Name.Table)
            if element.scope is not None:
                table.Scope = pikepdf.Name("/" + element.scope)
            if element.column_span > 1:
                table.ColSpan = element.column_span
            node.A = table
        return node


def _marked_content(element: Element) -> list[MarkedContent]:
    return [kid for kid in element.kids if isinstance(kid, MarkedContent)]


def _xmp(
    *,
    title: str,
    lang: str,
    author: str,
    subject: str,
    producer: str,
    published: datetime.date | None,
) -> bytes:
    """The XMP packet: the title, language, author and subject, the dates, and the PDF/UA-1
    identification; written as text (no XML library) with its values escaped."""
    dates = (
        ""
        if published is None
        else f"""   <xmp:CreateDate>{published:%Y-%m-%d}T00:00:00Z</xmp:CreateDate>
   <xmp:ModifyDate>{published:%Y-%m-%d}T00:00:00Z</xmp:ModifyDate>
"""
    )
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>
   <dc:format>application/pdf</dc:format>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <xmp:CreatorTool>decision-aid</xmp:CreatorTool>
{dates}   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")
