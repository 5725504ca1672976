"""The tagging of the handout's drawing (decision_aid/handout/tags.py, structure.py): generic
by flowable type and style role, a split paragraph one element (docs/design.md 6.10)."""

from __future__ import annotations

import datetime as dt

from decision_aid.consult import Language, Paper
from decision_aid.handout.page import Footer, lay_out
from decision_aid.handout.style import Styles, fonts
from decision_aid.handout.tags import Paragraph
from tests.gates.tagged_pdf import read_tags
from tests.helpers import content


def _laid_out(story: list[Paragraph]) -> bytes:
    regular, bold = fonts(content())
    footer = Footer("left", "stamp", "Page {page} of {pages}", "", regular, bold, 612)
    pdf, _, _ = lay_out(
        story,
        Paper.LETTER,
        footer,
        body_size=12,
        title="T",
        author="A",
        subject="S",
        lang=Language.EN,
        published=dt.date(2026, 1, 1),
    )
    return pdf


def test_a_paragraph_split_across_pages_stays_one_element() -> None:
    regular, bold = fonts(content())
    styles = Styles(regular, bold)
    long = " ".join(["Many words fill this paragraph across the page."] * 400)
    story = [
        Paragraph("The title", styles.title),
        Paragraph(long, styles.body),
        Paragraph("An item", styles.bullet, bulletText="•"),
        Paragraph("Another item", styles.bullet, bulletText="•"),
        Paragraph("A sentence styled as a heading", styles.subheading, role="P"),
    ]
    found = read_tags(_laid_out(story))
    assert found.root is not None
    kinds = [kid.role for kid in found.root.kids]
    # The list items gathered in one list; role= overrides the style's H3.
    assert kinds == ["H1", "P", "L", "P"]
    paragraph = found.root.kids[1]
    pages = {page for page, _ in paragraph.marked}
    assert len(pages) >= 2, "the long paragraph should have gone on overleaf"
    assert len(paragraph.marked) == len(pages)
    assert [item.role for item in found.root.kids[2].kids] == ["LI", "LI"]


def test_tagging_is_deterministic_and_adds_no_date_of_today() -> None:
    regular, bold = fonts(content())
    styles = Styles(regular, bold)
    first, second = (_laid_out([Paragraph("The title", styles.title)]) for _ in range(2))
    assert first == second
    assert b"D:20260101000000Z" in first or b"2026-01-01T00:00:00Z" in first
    assert dt.date.today().strftime("%Y%m%d").encode() not in first
