"""Gates of the patient page "Your plan" (docs/design.md section 13.5, with gates 1, 2, 5, 6
and 7 of section 6.11), checked on the bytes the public API returns.

One page (two in large print) on Letter and A4 in both languages, for the longest plans
(every measure, the judgement after 20 infusions, liver tests, the pack overdue); body text
at 12 pt or 16 pt and a footer of 8.5 pt or 14 pt; readability; the tagged PDF (one H1, the
sections as H2, tables of visits with column headers, the language, nothing painted outside
marked content, the footer an artifact, pdfua); the HTML with the PDF's headings and numbers;
no date of any kind; two renders byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from typing import TYPE_CHECKING, Final

import pikepdf
import pytest
import textstat

from decision_aid.consult import Language
from decision_aid.handout import Paper, render_plan, render_plan_html
from decision_aid.handout.plan import PlanSheet
from tests.gates.handout_pdf import page_size, page_texts, read_pages
from tests.gates.html_handout import read_html
from tests.gates.spanish_readability import count
from tests.gates.tagged_pdf import (
    StructElement,
    element_texts,
    pdfinfo_tagged,
    pdfua_findings,
    read_tags,
    without_artifacts,
)
from tests.helpers import content

if TYPE_CHECKING:
    from pathlib import Path

LANGUAGES: Final = list(Language)
PAPERS: Final = list(Paper)
# Before the built-in pack's next review; and long after it (the pack overdue).
TODAY: Final = dt.date(2026, 12, 1)
LATER: Final = dt.date(2031, 1, 1)
# The paper sizes in points (Letter 8.5 x 11 in, A4 210 x 297 mm).
SIZES: Final = {Paper.LETTER: (612.0, 792.0), Paper.A4: (595.3, 841.9)}

# The longest page: every measure, judged after the most infusions a plan allows, with liver
# tests; and a short one.
LONGEST: Final = PlanSheet(
    measures=("pain_30", "pgic_much", "fiqr_drop"),
    judge_after_infusions=20,
    pain_now=10,
    fiqr_now_tenths=995,
    fiqr_drop_percent=5,
    liver_tests_every=1,
)
# The most visits one table holds (7 infusions and the judgement), with its roomier rows.
ONE_TABLE: Final = PlanSheet(
    measures=("pain_50", "pgic_much", "fiqr_drop"),
    judge_after_infusions=7,
    pain_now=10,
    fiqr_now_tenths=1000,
    fiqr_drop_percent=50,
    liver_tests_every=20,
)
SHORT: Final = PlanSheet(measures=("pain_50",), judge_after_infusions=1, pain_now=1)
TYPICAL: Final = PlanSheet(
    measures=("pain_30", "fiqr_drop"),
    judge_after_infusions=4,
    pain_now=7,
    fiqr_now_tenths=620,
    fiqr_drop_percent=20,
    liver_tests_every=3,
)
SHEETS: Final = {"longest": LONGEST, "one-table": ONE_TABLE, "short": SHORT, "typical": TYPICAL}

BODY: Final = {False: 12.0, True: 16.0}
FOOTER: Final = {False: 8.5, True: 14.0}
# The content stamp (a hash) may stay at 7.5 pt (docs/design.md 6.1).
STAMP_SIZE: Final = 7.5
EDGE: Final = 0.35 * 72

_RENDERS: dict[tuple[str, Language, Paper, bool, dt.date, str], bytes] = {}


def render(
    name: str,
    lang: Language,
    paper: Paper = Paper.LETTER,
    *,
    large_print: bool = False,
    today: dt.date = TODAY,
    kind: str = "pdf",
) -> bytes:
    key = (name, lang, paper, large_print, today, kind)
    if key not in _RENDERS:
        make = render_plan_html if kind == "html" else render_plan
        _RENDERS[key] = make(SHEETS[name], content(), lang, paper, today, large_print=large_print)
    return _RENDERS[key]


def cases() -> list[object]:
    return [
        pytest.param(name, lang, paper, large, today, id=f"{name}-{lang}-{paper}-{size}{late}")
        for name in SHEETS
        for lang in LANGUAGES
        for paper in PAPERS
        for large, size in ((False, "normal"), (True, "large"))
        for today, late in ((TODAY, ""), (LATER, "-overdue"))
    ]


# -- Pages and sizes --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "lang", "paper", "large_print", "today"), cases())
def test_one_page_or_two_in_large_print_on_the_paper_asked_for(
    name: str, lang: Language, paper: Paper, large_print: bool, today: dt.date
) -> None:
    pdf = render(name, lang, paper, large_print=large_print, today=today)
    pages = page_texts(pdf)
    assert len(pages) == (2 if large_print else 1)
    of = "de" if lang is Language.ES else "of"
    assert f" 1 {of} {len(pages)}" in pages[0]
    for number in range(len(pages)):
        width, height = page_size(pdf, number)
        assert (round(width, 1), round(height, 1)) == SIZES[paper]


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
def test_body_text_footer_and_edges_keep_their_sizes(lang: Language, large_print: bool) -> None:
    pdf = render("longest", lang, Paper.A4, large_print=large_print, today=LATER)
    footer_words = re.compile(r"version|versión|Page|Página|datos|facts|" + content().stamp)
    for page in read_pages(pdf):
        sizes = {round(line.size, 1) for line in page.lines if not footer_words.search(line.text)}
        # The body at its size; the title and headings larger; nothing smaller.
        assert min(sizes) == BODY[large_print], sizes
        for line in page.lines:
            assert line.y >= EDGE, line.text
            if footer_words.search(line.text):
                small = {round(run.size, 1) for run in line.runs if run.text.strip()}
                assert small <= {FOOTER[large_print], STAMP_SIZE} | {BODY[large_print]}, line
                assert FOOTER[large_print] in small or small == {STAMP_SIZE}, line


# -- What the page says ------------------------------------------------------------------------


def body(pdf: bytes) -> list[tuple[str, str]]:
    """(role, text) of each tagged piece, the footer (an artifact) left out."""
    return element_texts(pdf)


def plain_text(pdf: bytes) -> str:
    return " ".join(text for _, text in body(pdf))


@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
def test_the_parts_of_the_page_come_in_the_designs_order(lang: Language) -> None:
    words = content().handout[lang]
    plan = words.plan
    text = plain_text(render("typical", lang))
    order = [
        plan.title,
        plan.trial,
        plan.check.title,
        plan.check.pain.format(now=7),
        plan.check.hope_at_most.format(target=4),
        plan.check.fiqr.format(now=62),
        plan.check.hope_at_most.format(target=49),
        plan.decide.title,
        plan.decide.text.format(count=4),
        plan.every_visit.title,
        plan.every_visit.liver.format(every=3),
        plan.stop.title,
        plan.stop.any_time,
        plan.visits.title,
        plan.visits.date,
        words.support.title,
    ]
    places = [text.find(" ".join(part.split())) for part in order]
    assert -1 not in places, [part for part, place in zip(order, places, strict=True) if place < 0]
    assert places == sorted(places)
    # The PGIC line only when the plan chose it.
    assert plan.check.pgic not in text
    assert plan.check.pgic in plain_text(render("longest", lang))


@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
@pytest.mark.parametrize("name", list(SHEETS))
def test_every_copy_has_the_same_lists_the_support_lines_and_a_row_per_infusion(
    name: str, lang: Language
) -> None:
    words = content().handout[lang]
    plan = words.plan
    pdf = render(name, lang)
    text = plain_text(pdf)
    for item in (*plan.every_visit.items, *plan.stop.items):
        assert item in text
    assert "988" in text
    assert "1-800-662-4357" in text
    # The liver line only when the plan schedules the tests: before each infusion here.
    every = SHEETS[name].liver_tests_every
    assert (plan.every_visit.liver_each in text) == (every == 1)
    for interval in range(2, 21):
        assert (plan.every_visit.liver.format(every=interval) in text) == (every == interval)
    # A row per infusion up to the judgement, then the judgement visit, its cells empty.
    cells = [piece for role, piece in body(pdf) if role == "TD"]
    count = SHEETS[name].judge_after_infusions
    assert cells == [*(str(number) for number in range(1, count + 1)), plan.visits.decide]


@pytest.mark.parametrize(
    ("sheet", "pain", "fiqr"),
    [
        # 10 x 4 <= 7 x 7, 10 x 5 is not: 4 is the largest whole number meeting pain_30.
        (PlanSheet(measures=("pain_30",), judge_after_infusions=3, pain_now=7), "4", None),
        (PlanSheet(measures=("pain_30",), judge_after_infusions=3, pain_now=10), "7", None),
        (PlanSheet(measures=("pain_50",), judge_after_infusions=3, pain_now=7), "3", None),
        # 60.0 less 20% is 48.0 exactly; 61.5 less 20% is 49.2: 49.
        (
            PlanSheet(("fiqr_drop",), 3, fiqr_now_tenths=600, fiqr_drop_percent=20),
            None,
            "48",
        ),
        (
            PlanSheet(("fiqr_drop",), 3, fiqr_now_tenths=615, fiqr_drop_percent=20),
            None,
            "49",
        ),
    ],
)
def test_targets_are_printed_as_the_largest_whole_number_meeting_the_measure(
    sheet: PlanSheet, pain: str | None, fiqr: str | None
) -> None:
    check = content().handout[Language.EN].plan.check
    text = plain_text(render_plan(sheet, content(), Language.EN, today=TODAY))
    target = pain or fiqr
    assert check.hope_at_most.format(target=target) in text
    if fiqr is not None:
        assert check.fiqr.format(now=sheet.fiqr_now) in text
    assert check.hope_zero not in text


def test_a_target_of_zero_is_said_as_zero() -> None:
    check = content().handout[Language.EN].plan.check
    text = plain_text(render("short", Language.EN))
    assert check.pain.format(now=1) in text
    assert check.hope_zero in text
    assert check.hope_at_most.format(target=0) not in text


# -- No date of any kind -----------------------------------------------------------------------

# A date in digits (2026-12-01, 12/1/2026, 1.12.26), or a month's name in either language.
DATE_IN_DIGITS: Final = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}/\d{1,2}/\d{1,2}\b"
)


def month_names() -> re.Pattern[str]:
    names = [month for lang in LANGUAGES for month in content().handout[lang].months]
    return re.compile(r"\b(?:" + "|".join(names) + r")\b", re.I)


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
def test_no_date_is_printed_not_even_the_packs(lang: Language, large_print: bool) -> None:
    """The page prints no date (docs/design.md 13.5): not the pack's publication or review
    date that the handout's footer and overdue notice name, in the PDF or the HTML."""
    pdf = render("longest", lang, large_print=large_print, today=LATER)
    html = read_html(render("longest", lang, large_print=large_print, today=LATER, kind="html"))
    for text in (*page_texts(pdf), html.text, html.footer, html.title):
        assert not DATE_IN_DIGITS.search(text), text
        assert not month_names().search(text), text
        assert str(content().pack.next_review.year) + "." not in text.replace(
            content().pack.version, ""
        )
    # Nor does the file: no creation or modification date in its information or its XMP.
    document = pikepdf.open(io.BytesIO(pdf))
    assert "/CreationDate" not in document.docinfo
    assert "/ModDate" not in document.docinfo
    assert "Date>" not in read_tags(pdf).xmp
    assert not re.search(rb"D:\d{8}", pdf)
    # The overdue notice is there, without its date.
    notice = content().handout[lang].plan.overdue
    assert notice in page_texts(pdf)[0]
    assert notice in html.footer


# -- Readability (docs/design.md 6.11 gate 2) --------------------------------------------------


@pytest.mark.parametrize("name", list(SHEETS))
def test_english_reads_at_grade_6(name: str) -> None:
    # Each heading, item and cell ends a sentence, as the Spanish count has it; the cells
    # that hold only a visit's number are not sentences.
    pieces = [piece for _, piece in body(render(name, Language.EN)) if re.search("[a-z]", piece)]
    text = " ".join(piece.rstrip(".:") + "." for piece in pieces)
    assert textstat.flesch_kincaid_grade(text) <= 6.0, textstat.flesch_kincaid_grade(text)
    assert textstat.smog_index(text) <= 8.0, textstat.smog_index(text)


@pytest.mark.parametrize("name", list(SHEETS))
def test_spanish_reads_easily(name: str) -> None:
    counts = count(piece for _, piece in body(render(name, Language.ES)))
    assert counts.szigriszt_pazos >= 70.0, counts


# -- The tagged PDF (gate 5) ------------------------------------------------------------------


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("paper", PAPERS, ids=str)
@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
def test_the_tags_hold_the_title_the_sections_and_the_tables_of_visits(
    lang: Language, paper: Paper, large_print: bool
) -> None:
    pdf = render("longest", lang, paper, large_print=large_print, today=LATER)
    assert pdfinfo_tagged(pdf) == "yes"
    tags = read_tags(pdf)
    root = tags.root
    assert root is not None
    assert root.role == "Document"
    words = content().handout[lang]
    plan = words.plan
    texts = body(pdf)
    assert [text for role, text in texts if role == "H1"] == [plan.title]
    assert [text for role, text in texts if role == "H2"] == [
        plan.check.title,
        plan.decide.title,
        plan.every_visit.title,
        plan.stop.title,
        plan.visits.title,
        words.support.title,
    ]
    tables = root.with_role("Table")
    assert tables
    for table in tables:
        headers = table.with_role("TH")
        assert len(headers) == 3
        assert {header.scope for header in headers} == {"Column"}
    assert len(root.with_role("L")) == 3
    assert tags.lang == lang.value
    assert tags.marked
    assert tags.display_title
    assert "pdfuaid:part>1<" in tags.xmp
    assert all(not outside for outside in tags.unmarked), tags.unmarked
    # The footer is an artifact: read without artifacts, no page number is left.
    without = " ".join(page_texts(without_artifacts(pdf)))
    assert not re.search(r"\b(?:Page|Página) \d", without)
    assert plan.title in without


@pytest.mark.parametrize("paper", PAPERS, ids=str)
@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
@pytest.mark.parametrize("name", list(SHEETS))
def test_no_list_leaves_one_item_alone_on_a_page(name: str, lang: Language, paper: Paper) -> None:
    """Large print flows over two pages: a list cut by the page leaves at least two items on
    each side (docs/design.md 6.2), and no heading ends a page."""
    pdf = render(name, lang, paper, large_print=True, today=LATER)
    root = read_tags(pdf).root
    assert root is not None
    for listed in root.with_role("L"):
        pages = [
            min(page for element in item.walk() for page, _ in element.marked)
            for item in listed.kids
        ]
        counted = {page: pages.count(page) for page in pages}
        assert len(counted) == 1 or min(counted.values()) >= 2, counted
    last_on_first_page = [role for role, _ in element_roles_by_page(root).get(0, [])[-1:]]
    assert last_on_first_page != ["H2"]


def element_roles_by_page(root: StructElement) -> dict[int, list[tuple[str, int]]]:
    """The roles of the elements that own marked content, by the page of their first mark."""
    found: dict[int, list[tuple[str, int]]] = {}
    for element in root.walk():
        if element.marked:
            page, mcid = element.marked[0]
            found.setdefault(page, []).append((element.role, mcid))
    return {page: sorted(roles, key=lambda pair: pair[1]) for page, roles in found.items()}


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
def test_pdffonts_lists_only_embedded_fonts(large_print: bool, tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(render("longest", Language.ES, large_print=large_print, today=LATER))
    listed = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, timeout=60, check=True
    ).stdout.splitlines()[2:]
    assert listed
    # The columns: name, type, encoding, emb, sub, uni, object, generation.
    assert [line.split()[-5] for line in listed] == ["yes"] * len(listed), listed


@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
def test_the_overdue_notice_is_content_on_the_first_page_only(lang: Language) -> None:
    notice = content().handout[lang].plan.overdue
    normal = render("longest", lang, today=LATER)
    assert (("P", notice) in body(normal)) is True
    large = render("longest", lang, large_print=True, today=LATER)
    assert body(large).count(("P", notice)) == 1
    # On the second page, the footer's notice is an artifact.
    pages = page_texts(without_artifacts(large))
    assert notice in pages[0]
    assert notice not in pages[1]


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
def test_pdfua_passes(lang: Language, large_print: bool) -> None:
    pdf = render("longest", lang, Paper.A4, large_print=large_print, today=LATER)
    assert pdfua_findings(pdf) == []


# -- The HTML (gate 6) ------------------------------------------------------------------------


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
@pytest.mark.parametrize("name", list(SHEETS))
def test_the_html_has_the_pdfs_language_headings_and_numbers(
    name: str, lang: Language, large_print: bool
) -> None:
    pdf = render(name, lang, large_print=large_print, today=LATER)
    page = read_html(render(name, lang, large_print=large_print, today=LATER, kind="html"))
    assert page.errors == []
    assert page.loading == []
    assert page.lang == read_tags(pdf).lang == lang.value
    assert page.title == content().handout[lang].plan.title
    texts = body(pdf)
    assert page.texts("h1") == [text for role, text in texts if role == "H1"]
    assert page.texts("h2") == [text for role, text in texts if role == "H2"]
    # Every number of the page, in the same words: the PDF's text, the HTML's without its
    # footer (the PDF's footer is an artifact, not in its text).
    numbers = re.compile(r"\d+(?:\.\d)?")
    main = page.text.replace(page.footer, "")
    assert sorted(numbers.findall(main)) == sorted(numbers.findall(plain_text(pdf)))
    assert {scope for table in page.tables for scope in table.scopes} == {"col"}
    assert content().stamp in page.footer


# -- Determinism (gate 7) ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_two_renders_are_byte_identical(kind: str) -> None:
    make = render_plan_html if kind == "html" else render_plan
    first = make(TYPICAL, content(), Language.ES, Paper.A4, LATER, large_print=True)
    second = make(TYPICAL, content(), Language.ES, Paper.A4, LATER, large_print=True)
    assert first == second
