"""The tagged PDF (PDF/UA-1 structure) of every handout: docs/design.md section 6.10 and gate
5 of section 6.11, issue 24 item 2.

Checked on the PDF the public API returns, for every example of the run's set (three
locally, all in CI: tests/gates/gate_sets.py) in both languages, on both papers, in normal and
large print: poppler says Tagged: yes; a walk of the structure tree finds one H1, section
headings, tables whose header cells carry a Scope (the options grid among them), five
Figures whose Alt text holds the numbers their arrays draw, the catalog's language; no
painting operator lies outside marked content and the footer is an artifact; the offline
checker pdfua passes; two renders are byte-identical.
"""

from __future__ import annotations

from typing import Final

import pytest

from decision_aid.consult import Language
from decision_aid.handout import Paper
from tests.gates.handout_pdf import page_count, page_texts
from tests.gates.tagged_pdf import (
    Tags,
    pdfinfo_tagged,
    pdfua_findings,
    read_tags,
    without_artifacts,
)
from tests.helpers import content, example_paths
from tests.renders import example_handout, render_example_handout

EXAMPLES: Final = [path.name.removesuffix(".consult.json") for path in example_paths()]
LANGUAGES: Final = list(Language)
PAPERS: Final = list(Paper)
SIZES: Final = [False, True]
SIZE_IDS: Final = ["normal", "large-print"]
# The icon arrays of the handout: one per group of each pictured figure (design 6.10).
FIGURES: Final = 5

_TAGS: dict[tuple[str, Language, Paper, bool], Tags] = {}


def render(name: str, lang: Language, paper: Paper, large_print: bool) -> bytes:
    """One render per case for the whole run, shared with the other gates (tests/renders.py)."""
    return example_handout(name, lang, paper, large_print=large_print)


def tags(name: str, lang: Language, paper: Paper, large_print: bool) -> Tags:
    key = (name, lang, paper, large_print)
    if key not in _TAGS:
        _TAGS[key] = read_tags(render(*key))
    return _TAGS[key]


def expected_counts(lang: Language) -> list[str]:
    """What each icon array draws, in words, in page order: "2 of 12 people"."""
    results = content().handout[lang].results
    figures = content().evidence.figures
    counted = []
    for picture in results.pictures:
        for figure_id in picture.times:
            for arm in figures[figure_id].arms:
                counted.append(results.counted.format(events=arm.events, total=arm.total))
    return counted


def cases() -> list[object]:
    return [
        pytest.param(name, lang, paper, large, id=f"{name}-{lang.value}-{paper.value}-{size}")
        for name in EXAMPLES
        for lang in LANGUAGES
        for paper in PAPERS
        for large, size in zip(SIZES, SIZE_IDS, strict=True)
    ]


def test_the_five_icon_arrays_are_counted_from_the_content() -> None:
    assert len(expected_counts(Language.EN)) == FIGURES
    assert len(expected_counts(Language.ES)) == FIGURES


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", EXAMPLES)
def test_pdfinfo_says_tagged(name: str, lang: Language, paper: Paper, large_print: bool) -> None:
    assert pdfinfo_tagged(render(name, lang, paper, large_print)) == "yes"


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", EXAMPLES)
def test_the_structure_tree_has_the_title_sections_tables_and_figures(
    name: str, lang: Language, paper: Paper, large_print: bool
) -> None:
    found = tags(name, lang, paper, large_print)
    root = found.root
    assert root is not None, "no structure tree"
    assert root.role == "Document"
    assert len(root.with_role("H1")) == 1
    # The sections of the handout: the options, the studies, the ladder, ... About.
    assert len(root.with_role("H2")) >= 8
    for heading in root.with_role("H1") + root.with_role("H2") + root.with_role("H3"):
        assert heading.marked, f"an empty {heading.role}"
    tables = root.with_role("Table")
    # The options grid and the evidence ladder: rows of cells, header cells with a Scope.
    assert len(tables) >= 2
    for table in tables:
        rows = [kid for kid in table.kids if kid.role == "TR"]
        assert rows, "a Table without rows"
        headers = [cell for row in rows for cell in row.kids if cell.role == "TH"]
        assert headers, "a Table without header cells"
        assert all(cell.scope in {"Column", "Row"} for cell in headers)
        assert all(cell.role in {"TH", "TD"} for row in rows for cell in row.kids)
    # The options grid: its columns headed by the options, its questions heading rows.
    grid = tables[0]
    assert {cell.scope for row in grid.kids for cell in row.kids if cell.role == "TH"} == {
        "Column",
        "Row",
    }
    assert root.with_role("L")
    assert all(item.kids and item.kids[0].role == "LBody" for item in root.with_role("LI"))


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", EXAMPLES)
def test_each_icon_array_is_a_figure_whose_alt_holds_its_numbers(
    name: str, lang: Language, paper: Paper, large_print: bool
) -> None:
    root = tags(name, lang, paper, large_print).root
    assert root is not None
    figures = root.with_role("Figure")
    assert len(figures) == FIGURES
    for figure, counted in zip(figures, expected_counts(lang), strict=True):
        assert figure.alt is not None
        assert figure.alt.strip()
        assert counted in figure.alt, f"{figure.alt!r} does not say {counted!r}"
        assert figure.marked, "a Figure that marks nothing on the page"


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", EXAMPLES)
def test_the_language_title_and_pdfua_identification_are_set(
    name: str, lang: Language, paper: Paper, large_print: bool
) -> None:
    found = tags(name, lang, paper, large_print)
    assert found.lang is not None
    assert found.lang.split("-")[0] == lang.value
    assert found.marked
    assert found.display_title
    assert "<pdfuaid:part>1</pdfuaid:part>" in found.xmp
    title = content().handout[lang].title
    assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in found.xmp


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", EXAMPLES)
def test_nothing_is_painted_outside_marked_content(
    name: str, lang: Language, paper: Paper, large_print: bool
) -> None:
    found = tags(name, lang, paper, large_print)
    outside = {number: ops for number, ops in enumerate(found.unmarked, start=1) if ops}
    assert not outside, f"painting outside marked content, by page: {outside}"
    # Every MCID on a page belongs to an element of the tree, and every element's marked
    # content is on its page.
    assert found.root is not None
    owned: set[tuple[int, int]] = {mark for element in found.root.walk() for mark in element.marked}
    drawn = {(page, mcid) for page, mcids in enumerate(found.mcids) for mcid in mcids}
    assert owned == drawn


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", EXAMPLES)
def test_the_footer_and_page_numbers_are_artifacts(
    name: str, lang: Language, large_print: bool
) -> None:
    pdf = render(name, lang, Paper.LETTER, large_print)
    text = content().handout[lang]
    shown = page_texts(pdf)
    read = page_texts(without_artifacts(pdf))
    # A large-print source sheet after the handout's pages has no page number.
    pages = page_count(pdf)
    for number, (page, content_only) in enumerate(zip(shown, read, strict=True), start=1):
        if number > pages:
            assert text.sources_sheet_title in " ".join(shown[pages:])
            assert content().stamp not in content_only
            continue
        page_of = text.page_of.format(page=number, pages=pages)
        assert page_of in page
        assert page_of not in content_only
        assert content().stamp not in content_only
    # What is left is the content: the title is still read.
    assert text.title in read[0]


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", EXAMPLES)
def test_pdfua_passes(name: str, lang: Language, paper: Paper, large_print: bool) -> None:
    assert pdfua_findings(render(name, lang, paper, large_print)) == []


@pytest.mark.parametrize(("name", "lang", "paper", "large_print"), cases()[:1] + cases()[-1:])
def test_two_tagged_renders_are_byte_identical(
    name: str, lang: Language, paper: Paper, large_print: bool
) -> None:
    first = render_example_handout(name, lang, paper, large_print=large_print)
    assert render_example_handout(name, lang, paper, large_print=large_print) == first
    # The PDF the other gates read is that same PDF.
    assert render(name, lang, paper, large_print) == first
