"""The HTML writer on stories made here (docs/design.md "The handout as HTML"): the story's
roles decide the HTML, layout writes nothing, list items of one style make one list, and a
paragraph's markup comes out as HTML that holds nothing the program did not choose. The
handout's own HTML is gated in tests/gates/test_html_handout.py."""

from __future__ import annotations

import pytest
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from decision_aid.consult import Language, Paper
from decision_aid.handout.html_text import inline_html
from decision_aid.handout.html_writer import HtmlPage, story_html
from decision_aid.handout.style import Styles, fonts
from decision_aid.handout.tags import LIST_ITEM, Paragraph
from tests.gates.html_handout import read_html
from tests.helpers import content


def _styles() -> Styles:
    regular, bold = fonts(content())
    return Styles(regular, bold)


def _write(story: list[Flowable], styles: Styles) -> str:
    page = HtmlPage(
        title="T",
        lang=Language.EN,
        paper=Paper.LETTER,
        large_print=False,
        footer=("version 1",),
        body=styles.body,
        bold_font=styles.title.fontName,
    )
    return story_html(story, page).decode("utf-8")


def _main(html: str) -> str:
    return html.split("<main>\n", 1)[1].split("</main>", 1)[0]


def test_roles_make_the_elements_and_layout_makes_none() -> None:
    styles = _styles()
    story: list[Flowable] = [
        Paragraph("The title", styles.title),
        Spacer(1, 10),
        KeepTogether([Paragraph("A section", styles.heading), Paragraph("Text.", styles.body)]),
        CondPageBreak(100),
        Paragraph("one", styles.bullet, bulletText="•"),
        Spacer(1, 3),
        Paragraph("two", styles.bullet, bulletText="•"),
        Paragraph("first", styles.numbered, bulletText="1."),
        Paragraph("second", styles.numbered, bulletText="2."),
        PageBreak(),
        Paragraph("In heading type, read as text", styles.subheading, role="P"),
        Paragraph("1. A source", styles.small, role=LIST_ITEM),
        Paragraph("2. Another", styles.small, role=LIST_ITEM),
    ]
    html = _write(story, styles)
    assert read_html(html.encode()).errors == []
    assert _main(html) == (
        '<h1 class="s-title">The title</h1>\n'
        '<h2 class="s-heading">A section</h2>\n'
        "<p>Text.</p>\n"
        # Bullets in body type: no class of their own.
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n"
        '<p class="s-subheading">In heading type, read as text</p>\n'
        '<ol class="s-small">\n<li>A source</li>\n<li>Another</li>\n</ol>\n'
    )
    assert "<footer>\n<p>version 1</p>\n</footer>" in html


def test_a_flowable_the_writer_does_not_know_is_refused_not_left_out() -> None:
    class Drawing(Flowable):  # type: ignore[misc]
        pass

    with pytest.raises(TypeError, match="Drawing"):
        _write([Drawing()], _styles())


def test_paragraph_markup_becomes_html_with_nothing_the_program_did_not_choose() -> None:
    text = inline_html(
        '<b>Bold &amp; more</b> <i>it</i><br/>line <font name="DejaVu" size="7" '
        'color="#595959">Sources:\u00a01</font> <img src="x.png"/>'
        '<a href="https://example.com/x">away</a> <span lang="en">AYUDA</span>'
    )
    assert text.html == (
        "<b>Bold &amp; more</b> <i>it</i><br>line "
        '<span class="aside">Sources:\u00a01</span> away <span lang="en">AYUDA</span>'
    )
    # The plain text leaves the aside out: what a table's caption repeats of a heading.
    assert text.plain == "Bold & more it line away AYUDA"


def test_the_support_and_research_sites_are_plain_links() -> None:
    text = inline_html("Search ClinicalTrials.gov or call 988; see 988lifeline.org. a.samhsa.gov")
    assert text.html == (
        'Search <a href="https://clinicaltrials.gov">ClinicalTrials.gov</a> or call 988; see '
        '<a href="https://988lifeline.org">988lifeline.org</a>. a.samhsa.gov'
    )
    kept = inline_html('<a href="https://www.samhsa.gov/find-help">SAMHSA</a>')
    assert kept.html == '<a href="https://www.samhsa.gov/find-help">SAMHSA</a>'


def test_numbered_entries_are_numbered_once_from_their_first_number() -> None:
    styles = _styles()
    story: list[Flowable] = [
        Paragraph("3. Third", styles.small, role=LIST_ITEM),
        Paragraph("4. Fourth", styles.small, role=LIST_ITEM),
        Paragraph("Plain entry", styles.sources, role=LIST_ITEM),
    ]
    assert _main(_write(story, styles)) == (
        '<ol class="s-small" start="3">\n<li>Third</li>\n<li>Fourth</li>\n</ol>\n'
        # Entries with no number and no bullet: a list without marks.
        '<ul class="s-sources plain">\n<li>Plain entry</li>\n</ul>\n'
    )
