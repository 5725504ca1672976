"""Gates of page 4 and of the sizes of design 6.1 (docs/design.md section 6, design 6.7,
6.8, 6.9 and 6.11 items 1 and 4), checked on the public API and the PDF it returns only.

Deliberation on every copy (the four SURE questions with empty boxes, a knowledge check
whose answers are drawn upside down and tagged under an H3), each recorded priority marked
in words as well as bold, funding said positively, and the sizes read from the PDF: text
sizes from the text operators, icon sizes from the drawing operators.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Final

import pypdf
import pytest

from decision_aid.consult import Consult, Language
from decision_aid.handout import ClinicDetails, Paper, render_handout
from decision_aid.rules import assess
from tests.gates.drawn import figure_shapes, upside_down_texts
from tests.gates.handout_pdf import read_pages
from tests.gates.tagged_pdf import element_texts, read_tags
from tests.gates.test_handout_gates import scores
from tests.helpers import content, example_data, example_paths
from tests.renders import example_handout

EXAMPLES: Final = [path.name.removesuffix(".consult.json") for path in example_paths()]
LANGUAGES: Final = list(Language)
SIZES: Final = [False, True]
SIZE_IDS: Final = ["normal", "large-print"]
TODAY: Final = dt.date(2026, 12, 1)
# After the pack's next review: the overdue notice is in the footer too.
OVERDUE: Final = dt.date(2028, 1, 1)

# The four SURE questions in design 6.7's words (legare2010), and what follows them.
SURE: Final = {
    Language.EN: (
        "Do you feel sure about the best choice for you?",
        "Do you know the benefits and risks of each option?",
        "Are you clear about which benefits and risks matter most to you?",
        "Do you have enough support and advice to make a choice?",
        "If you answered no to any question, talk it over with your care team before you decide.",
    ),
    Language.ES: (
        "¿Se siente seguro(a) de cuál es la mejor opción para usted?",
        "¿Conoce los beneficios y los riesgos de cada opción?",
        "¿Tiene claro qué beneficios y riesgos le importan más?",
        "¿Tiene suficiente apoyo y consejo para decidir?",
        "Si respondió que no a alguna pregunta, hable con su equipo de salud antes de decidir.",
    ),
}
ANSWERS: Final = {Language.EN: "Answers", Language.ES: "Respuestas"}
SAID: Final = {Language.EN: "(you said this matters)", Language.ES: "(usted dijo que le importa)"}
# Who paid, said positively (design 6.8; handout-standards 9.1, IPDAS C6).
NO_ONE_PAID: Final = {
    Language.EN: "No one paid for this handout.",
    Language.ES: "Nadie pagó este folleto.",
}
# The least sizes of design 6.1, in points: (normal print, large print).
ABOUT: Final = (12.0, 14.0)
FOOTER: Final = (8.5, 14.0)
SMALLEST: Final = (7.5, 10.0)  # the "Sources" lines and the source list
ICON: Final = (8.0 - 0.01, 5 / 25.4 * 72 - 0.01)  # 8 pt, 5 mm
# The footer lies in the lowest this many points of a page: below any body line.
FOOTER_BAND: Final = (50.0, 80.0)


def worst_case(**answers: Any) -> Consult:
    """design 6.1's worst case: every standard option untried, CRPS, Medicare with prior
    authorisation, cannot pay, every priority recorded (answers set by top-level key)."""
    data = example_data("crps-may-discuss-es")
    data["prior_treatments"] = []
    data["insurance"] = {
        "coverage": "medicare",
        "covers_ketamine_for_pain": "yes_prior_auth",
        "can_self_pay": "no",
    }
    data["priorities"] = [
        "quick_relief",
        "lasting_relief",
        "avoid_side_effects",
        "cost",
        "time_and_travel",
        "proven_treatments",
    ]
    data.update(answers)
    return Consult.model_validate(data)


# 80-character clinic details (design 6.1).
CLINIC: Final = ClinicDetails("C" * 80, "D" * 80, "E" * 80)

_RENDERS: dict[tuple[str, Language, bool], bytes] = {}


def render(
    consult: Consult,
    lang: Language,
    *,
    large_print: bool = False,
    today: dt.date = TODAY,
    clinic: ClinicDetails | None = None,
) -> bytes:
    return render_handout(
        consult,
        assess(consult, content()),
        content(),
        lang,
        Paper.LETTER,
        clinic,
        today,
        large_print=large_print,
    )


def worst(lang: Language, large_print: bool) -> bytes:
    """The worst case, overdue, with 80-character clinic details: one render per run."""
    key = ("worst", lang, large_print)
    if key not in _RENDERS:
        _RENDERS[key] = render(
            worst_case(), lang, large_print=large_print, today=OVERDUE, clinic=CLINIC
        )
    return _RENDERS[key]


def example(name: str, lang: Language) -> bytes:
    """The example's letter handout, rendered once a run for every gate (tests/renders.py)."""
    return example_handout(name, lang)


def texts_of(pdf: bytes, role: str) -> list[str]:
    return [text for element_role, text in element_texts(pdf) if element_role == role]


# -- deliberation on every copy ---------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_copy_asks_the_sure_questions_and_checks_what_was_understood(
    name: str, lang: Language
) -> None:
    pdf = example(name, lang)
    pieces = [text for _, text in element_texts(pdf)]
    whole = " ".join(pieces)
    for words in SURE[lang]:
        assert words in whole, words
    # Each question with two empty boxes: its own row of the table.
    for question in SURE[lang][:4]:
        row = pieces.index(question)
        assert pieces[row + 1 : row + 3] == ["\u2610", "\u2610"], pieces[row : row + 3]
    # Three true-or-false statements, and their answers drawn upside down ...
    knowledge = content().handout[lang].knowledge
    for statement in knowledge.statements:
        assert statement.split("[[")[0].strip() in whole
    (upside_down,) = upside_down_texts(pdf)
    assert upside_down.startswith(ANSWERS[lang])
    for answer in knowledge.answers:
        assert answer in upside_down
    # ... read in order, the right way up, under an H3 "Answers".
    roles = element_texts(pdf)
    heading = roles.index(("H3", ANSWERS[lang]))
    # One paragraph: three short lines of their own sent the check to the next column.
    assert roles[heading + 1] == ("P", " ".join(knowledge.answers))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_recorded_sure_answers_leaning_and_teach_back_are_never_printed(
    lang: Language,
) -> None:
    data = example_data("crps-may-discuss-es")
    other = example_data("crps-may-discuss-es")
    other["decision"]["sure"] = dict.fromkeys(other["decision"]["sure"], "yes")
    other["decision"]["leaning"] = "ketamine"
    other["decision"]["teach_back"] = "not_done"
    first, second = Consult.model_validate(data), Consult.model_validate(other)
    assert render(first, lang) == render(second, lang)


# -- what matters, linked to the options -------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_recorded_priority_is_bold_and_carries_its_words(lang: Language) -> None:
    matters = content().handout[lang].matters
    chosen = {"cost", "lasting_relief"}
    pdf = render(worst_case(priorities=sorted(chosen)), lang)
    cells = texts_of(pdf, "TD")
    for priority, row in matters.priorities.items():
        said = f"\u2610 {row.label} {SAID[lang]}"
        plain = f"\u2610 {row.label}"
        assert (said if priority in chosen else plain) in cells, (priority, cells)
        # The options that do well on it, from the fact base, in the cell beside it.
        assert any(cell.startswith(row.options.split("[[")[0].strip()[:30]) for cell in cells)
    bold = bold_runs(pdf)
    for priority, row in matters.priorities.items():
        assert (row.label in bold) == (priority in chosen), (priority, bold)
    # The sentence that explains the words is there because some were recorded ...
    whole = " ".join(text for _, text in element_texts(pdf))
    assert SAID[lang] in whole.replace("\u2610 ", "")
    assert " ".join(matters.recorded.split()) in whole
    # ... and is not when none was.
    none = " ".join(text for _, text in element_texts(render(worst_case(priorities=[]), lang)))
    assert " ".join(matters.recorded.split()) not in none
    assert SAID[lang] not in none


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_priorities_table_heads_its_columns(lang: Language) -> None:
    tags = read_tags(worst(lang, False))
    assert tags.root is not None
    matters = content().handout[lang].matters.columns
    heads = [
        text
        for role, text in element_texts(worst(lang, False))
        if role == "TH" and text in {matters.priority, matters.options}
    ]
    assert heads == [matters.priority, matters.options]
    scoped = [element for element in tags.root.with_role("TH") if element.scope == "Column"]
    assert len(scoped) >= 2


def bold_runs(pdf: bytes) -> str:
    """The text drawn in a bold font, its runs joined by spaces (a label may be drawn on
    two lines)."""
    runs: list[str] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip() and font is not None:
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            name = str(target.get("/FontDescriptor", {}).get("/FontName", font.get("/BaseFont")))
            if "Bold" in name:
                runs.append(text.strip())

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return " ".join(" ".join(runs).split())


# -- About this handout ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_who_paid_is_said_positively(lang: Language) -> None:
    whole = " ".join(text for _, text in element_texts(worst(lang, False)))
    assert NO_ONE_PAID[lang] in whole
    pack = content().pack
    assert pack.funded_by == "none"
    names = ", ".join(author.name for author in content().handout[lang].pack_texts.authors)
    assert names in whole.split(NO_ONE_PAID[lang], 1)[1]
    # Qualifications of those who wrote and checked it, the date it was checked, and that
    # no patient has checked it yet (design 6.8).
    for author in content().handout[lang].pack_texts.authors:
        assert author.qualification in whole
    for reviewer in content().handout[lang].pack_texts.reviewers:
        assert reviewer.qualification in whole
    assert content().handout[lang].about.no_patients in whole


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_reading_level_printed_is_the_one_measured_for_this_version(lang: Language) -> None:
    # IPDAS L1: the level About prints is this version's, as the readability gates measure
    # it on the may-discuss example (pack.yaml says so).
    level = content().pack.reading_level[lang]
    measured = scores("may-discuss", lang)[level.measure]
    assert level.score == pytest.approx(measured, abs=0.5), (level, measured)
    about = content().handout[lang].about.reading_level.format(score=f"{level.score:g}")
    whole = " ".join(text for _, text in element_texts(worst(lang, False)))
    assert " ".join(about.replace("**", "").split()) in whole


# -- sizes read from the PDF (design 6.1) --------------------------------------------------


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_about_is_printed_at_body_size(lang: Language, large_print: bool) -> None:
    text = content().handout[lang]
    least = ABOUT[large_print]
    sizes: list[tuple[float, str]] = []
    reading = False
    for page in read_pages(worst(lang, large_print)):
        for line in sorted(page.lines, key=lambda line: line.runs[0].index):
            if line.text == text.about.title:
                reading = True
            elif line.text in (text.references_title, text.sources_sheet_title):
                reading = False
            if reading and line.y > FOOTER_BAND[large_print]:
                sizes += [(run.size, run.text) for run in line.runs]
    assert sizes, "no About block found"
    small = [(size, words) for size, words in sizes if size < least - 0.01]
    assert not small, small[:5]


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_footer_and_small_print_are_at_least_the_least_sizes(
    lang: Language, large_print: bool
) -> None:
    stamp = content().stamp
    footer: list[tuple[float, str]] = []
    smallest: list[tuple[float, str]] = []
    for page in read_pages(worst(lang, large_print)):
        for run in page.runs:
            if run.text.strip() == stamp:
                # The short content stamp may stay at 7.5 pt (design 6.1).
                continue
            if run.y < FOOTER_BAND[large_print]:
                footer.append((run.size, run.text))
            smallest.append((run.size, run.text))
    assert footer, "no footer found"
    assert min(size for size, _ in footer) >= FOOTER[large_print] - 0.01, min(footer)
    # The "Sources" lines and the source list are the smallest print there is.
    assert min(size for size, _ in smallest) >= SMALLEST[large_print] - 0.01, min(smallest)


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_icon_shapes_are_drawn_at_least_8_pt_or_5_mm(lang: Language, large_print: bool) -> None:
    figures = figure_shapes(worst(lang, large_print))
    assert len(figures) == 5
    for shapes in figures:
        assert shapes
        # The edge is stroked around the shape: the path itself is the icon's size.
        assert min(min(shape.width, shape.height) for shape in shapes) >= ICON[large_print]


@pytest.mark.parametrize("large_print", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_arrays_side_by_side_start_on_one_line_under_one_line_labels(
    lang: Language, large_print: bool
) -> None:
    pdf = worst(lang, large_print)
    figures = [shapes for shapes in figure_shapes(pdf) if shapes]
    for one, other in zip(figures, figures[1:], strict=False):
        side_by_side = one[0].page == other[0].page and (
            min(s.bottom for s in one) < max(s.top for s in other)
            and min(s.bottom for s in other) < max(s.top for s in one)
        )
        if side_by_side:
            assert max(s.top for s in one) == pytest.approx(max(s.top for s in other), abs=0.5)
    # Each label ("Placebo: 2 de 12 personas") on one line of its own.
    results = content().handout[lang].results
    lines = [line.text for page in read_pages(pdf) for line in page.lines]
    for picture in results.pictures:
        for figure_id in picture.times:
            arms = content().evidence.figures[figure_id].arms
            for arm, name in zip(arms, picture.arms, strict=True):
                counted = results.counted.format(events=arm.events, total=arm.total)
                label = f"{name[:1].upper()}{name[1:]}: {counted}"
                assert label in lines, (label, [line for line in lines if counted in line])
