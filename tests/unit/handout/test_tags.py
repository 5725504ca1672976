"""The tagging of the handout's drawing (decision_aid/handout/tags.py, structure.py): generic
by flowable type and style role, a split paragraph one element (docs/design.md 6.10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

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


def _lines(part: Any) -> list[str]:
    return [
        " ".join(line[1]) if isinstance(line, tuple) else "".join(w.text for w in line.words)
        for line in part.blPara.lines
    ]


def last_line(part: Any) -> str:
    return _lines(part)[-1].rstrip()


def words_of(part: Any) -> list[str]:
    return " ".join(_lines(part)).split()


def test_a_paragraph_never_splits_after_a_line_ending_in_a_colon() -> None:
    """Design 6.2: a column never ends on a line ending in ":" ("...a weak blood vessel:")."""
    from reportlab.platypus import Paragraph as ReportlabParagraph

    regular, bold = fonts(content())
    styles = Styles(regular, bold)
    text = (
        "Tell us if you have heart disease, high blood pressure or a weak blood vessel: "
        + "a bulging artery, or an earlier bleed in the brain. " * 3
    )
    leading = styles.body.leading
    # Widths and heights at which reportlab alone would end a column on the colon ...
    probes = [
        (width, lines * leading + 1)
        for width in range(120, 320, 4)
        for lines in range(2, 6)
        if len(parts := ReportlabParagraph(text, styles.body).split(width, lines * leading + 1))
        == 2
        and last_line(parts[0]).endswith(":")
    ]
    assert probes, "the probe never put the colon at a line's end"
    for width, height in probes:
        item = Paragraph(text, styles.body)
        parts = item.split(width, height)
        # ... the handout's paragraph goes on with the colon's line, or moves whole.
        assert parts == [] or not last_line(parts[0]).endswith(":")
        assert [word for part in parts for word in words_of(part)] in ([], text.split())
