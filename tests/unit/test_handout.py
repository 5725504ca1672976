"""The patient handout: IPDAS items, tailoring, numbers, fonts, layout limits, readability."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pypdf
import pytest
import textstat

from decision_aid.consult import Consult, Language
from decision_aid.files import read_consult_file
from decision_aid.handout import ClinicDetails, Paper
from decision_aid.handout._pdf import BODY_SIZE
from decision_aid.handout.tailoring import Section, tailored_sections, untried_standard_options
from decision_aid.rules import assess
from tests.helpers import content, example_paths, safe_consult
from tests.unit.handout_helpers import (
    CITATION,
    all_text,
    body_text,
    example_names,
    footer_text,
    pages_text,
    plain,
    render,
    render_example,
    texts,
    words,
)

LANGUAGES = list(Language)
PAPERS = list(Paper)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", example_names())
def test_every_example_fits_three_to_four_pages(example: str, lang: Language, paper: Paper) -> None:
    pdf = render_example(example, lang, paper)
    assert 3 <= len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 4


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", example_names())
def test_a_clinics_details_and_an_overdue_notice_still_fit_four_letter_pages(
    example: str, lang: Language
) -> None:
    """The longest page 1 a clinic prints, on the shorter paper."""
    consult = next(read_consult_file(path) for path in example_paths() if path.name == example)
    clinic = ClinicDetails(
        "Northside Community Pain and Rheumatology Clinic of the Greater Valley Region",
        "Dr. Alexandra Montgomery-Fitzgerald, MD, PhD",
        "Call (555) 555-0199 weekdays 8 am to 6 pm, or write to painclinic@example.org",
    )
    late = content().pack.next_review + dt.timedelta(days=1)
    pdf = render(consult, lang, Paper.LETTER, clinic, today=late)
    assert 3 <= len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 4


@pytest.mark.parametrize("paper", PAPERS)
def test_page_size_matches_the_paper(paper: Paper) -> None:
    pdf = render_example("may-discuss.consult.json", Language.EN, paper)
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    expected = {Paper.LETTER: (612, 792), Paper.A4: (595, 842)}[paper]
    assert (round(float(box.width)), round(float(box.height))) == expected


def test_two_renders_are_byte_identical() -> None:
    consult = safe_consult(comorbidities={"crps": "diagnosed"})
    assert render(consult) == render(consult)
    assert render(consult, Language.ES, Paper.A4) == render(consult, Language.ES, Paper.A4)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_font_is_an_embedded_truetype_font(lang: Language) -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_example("may-discuss.consult.json", lang, Paper.A4)))
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for name, font in resources["/Font"].items():
            fonts[name] = font.get_object()
    assert fonts
    for font in fonts.values():
        # reportlab embeds a TrueType subset as a Type 0 or a TrueType font with a descriptor.
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        assert "/FontFile2" in target["/FontDescriptor"].get_object(), font["/BaseFont"]


# -- IPDAS qualifying, certification and probability items ------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ipdas_items_are_on_the_page(lang: Language) -> None:
    pdf = render_example("standard-care-first.consult.json", lang, Paper.LETTER)
    pages = [plain(page) for page in pages_text(pdf)]
    text = " ".join(pages)
    t = texts(lang)
    pack = content().pack
    # Q2: the decision, in one sentence, on page 1.
    assert words(t.decision) in pages[0]
    # The "experimental, off-label, usually not covered" box on page 1.
    for item in t.experimental.items:
        assert words(item) in pages[0]
    # Q1 and the natural course.
    assert t.condition.title in text
    for paragraph in t.condition.paragraphs:
        assert words(paragraph) in text
    # Q3-Q5 and C1: four options, each with the same five rows.
    options = t.options
    for option in (options.current, options.standard, options.ketamine, options.trial):
        assert option.name in text
    for label in options.rows.model_dump().values():
        assert label in text
    # Q6: what an infusion is like.
    assert t.infusion.title in text
    # P1-P8: "X out of 100", time period, who was studied, balanced framing.
    for figure_id, figure_words in t.results.figures.items():
        figure = content().evidence.figures[figure_id]
        assert words(figure_words.timepoint) in text
        assert words(figure_words.study_size) in text
        for arm in figure.arms:
            n = arm.per_100()
            assert t.results.had.format(n=n, outcome=figure_words.outcome) in text
            assert t.results.had_not.format(n=100 - n) in text
    # C5: uncertainty in words.
    assert words(t.results.uncertainty) in text
    # C3: content version and publication date in the footer of every page.
    for number, page in enumerate(pages, start=1):
        assert footer_text(lang) in page
        assert t.page_of.format(page=number, pages=len(pages)) in page
    # C4 and C6: review policy, next review, funding, conflicts, who made it.
    assert pack.next_review.isoformat() in text
    assert words(t.pack_texts.review_policy) in text
    assert words(t.pack_texts.funding) in text
    assert words(t.pack_texts.conflicts) in text
    assert words(t.pack_texts.made_by) in text
    # G1, V1-V3, L2: questions to ask, what matters, teach-back.
    for question in t.questions.items:
        assert question in text
    for label in t.matters.priorities.values():
        assert label in text
    assert words(t.teach_back.text) in text
    # Not a directive (FDA CDS guidance): the handout says it is not a medical order.
    assert words(t.about.not_advice) in text


def test_icon_arrays_are_drawn_at_one_scale() -> None:
    pdf = render_example("may-discuss.consult.json", Language.EN, Paper.LETTER)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    streams = "".join(_stream(page) for page in reader.pages)
    squares = re.findall(r"re\b", streams)
    arms = sum(len(figure.arms) for figure in _shown_figures())
    assert len(squares) >= 100 * arms
    # Every icon is the same size: one width/height pair for all the squares drawn.
    sizes = set(re.findall(r"[-\d.]+ [-\d.]+ (6 6) re", streams))
    assert sizes == {"6 6"}


def _stream(page: pypdf.PageObject) -> str:
    contents = page.get_contents()
    assert contents is not None
    return str(contents.get_data().decode("latin-1"))


def _shown_figures() -> list[Any]:
    return [content().evidence.figures[key] for key in texts(Language.EN).results.figures]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", example_names())
def test_required_figures_are_shown(example: str, lang: Language) -> None:
    """Pain relief at 15 minutes and at week 8, as "X out of 100" with when and who, on every
    handout whatever the consult."""
    text = plain(all_text(render_example(example, lang, Paper.LETTER)))
    results = texts(lang).results
    for figure_id in ("fm_relief_15min", "fm_relief_week8"):
        shown = results.figures[figure_id]
        assert words(shown.timepoint) in text, figure_id
        assert words(shown.study_size) in text, figure_id
        for arm in content().evidence.figures[figure_id].arms:
            assert results.had.format(n=arm.per_100(), outcome=shown.outcome) in text, figure_id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_number_shown_for_a_figure_comes_from_the_library(lang: Language) -> None:
    text = all_text(render_example("may-discuss.consult.json", lang, Paper.LETTER))
    results = texts(lang).results
    per_100 = re.escape(results.per_100.format(n="@")).replace("@", r"(\d+)")
    shown = [int(n) for n in re.findall(per_100, text)]
    expected: list[int] = []
    for figure_id in results.figures:
        for arm in content().evidence.figures[figure_id].arms:
            expected += [arm.per_100(), 100 - arm.per_100()]
    assert shown == expected


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)*", text))


def test_every_number_in_the_handout_texts_is_in_the_evidence_library() -> None:
    library = content().evidence.model_dump_json()
    allowed = _numbers(library) | {"100"}  # the denominator of "out of 100"
    for lang in LANGUAGES:
        for path, string in _strings(texts(lang).model_dump()):
            if path.startswith(".pack_texts"):
                continue  # pack.yaml's own words, checked against it at load
            cleaned = re.sub(r"\{[^}]*\}", "", re.sub(r"\[\[[^\]]*\]\]", "", string))
            assert _numbers(cleaned) <= allowed, (lang, path, _numbers(cleaned) - allowed)


def _strings(data: object, path: str = "") -> list[tuple[str, str]]:
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, dict):
        return [pair for key, value in data.items() for pair in _strings(value, f"{path}.{key}")]
    if isinstance(data, list | tuple):
        return [pair for item in data for pair in _strings(item, path)]
    return []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", example_names())
def test_every_cited_number_is_in_the_references(example: str, lang: Language) -> None:
    text = all_text(render_example(example, lang, Paper.LETTER))
    title = texts(lang).references_title
    body, _, references = text.rpartition(title)
    references = references.strip()
    cited = {int(n) for mark in CITATION.findall(body) for n in mark.split(", ")}
    # An entry starts after the end of the one before ("." or ")"); "2021. DOI" does not.
    listed = [int(n) for n in re.findall(r"(?:^|[.)] )(\d+)\. (?=[A-Z])", references)]
    assert listed == list(range(1, len(listed) + 1))
    assert cited == set(listed)


def test_references_print_pmid_or_doi_when_the_source_has_one() -> None:
    text = all_text(render_example("may-discuss.consult.json", Language.EN, Paper.LETTER))
    references = text.rpartition(texts(Language.EN).references_title)[2].replace(" ", "")
    printed = 0
    for source in content().evidence.sources.values():
        citation = "".join(source.citation.split())
        if citation[:40] in references:
            printed += 1
            if source.identifier:
                assert source.identifier.replace(" ", "") in references, source.short
    assert printed >= 10


# -- tailoring ---------------------------------------------------------------------------


TAILORING_CASES: dict[str, tuple[dict[str, Any], set[Section]]] = {
    "none": ({}, set()),
    "crps": ({"comorbidities": {"crps": "diagnosed"}}, {Section.CRPS}),
    "crps_suspected": ({"comorbidities": {"crps": "suspected"}}, set()),
    "depression": ({"comorbidities": {"depression": "current"}}, {Section.DEPRESSION}),
    "trd": ({"comorbidities": {"depression": "treatment_resistant"}}, {Section.TRD}),
    "remission": (
        {"substance_use": {"status": "in_remission", "substances": ["alcohol"]}},
        {Section.SUBSTANCE},
    ),
    "substances_listed": (
        {"substance_use": {"status": "none", "substances": ["cannabis"]}},
        {Section.SUBSTANCE},
    ),
    "active": (
        {"substance_use": {"status": "active", "substances": []}},
        {Section.SUBSTANCE, Section.NOT_ADVISED},
    ),
    "pregnant": ({"patient": {"pregnancy": "pregnant"}}, {Section.NOT_ADVISED}),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", list(TAILORING_CASES))
def test_tailored_sections_appear_exactly_when_they_apply(case: str, lang: Language) -> None:
    changes, expected = TAILORING_CASES[case]
    consult = safe_consult(**changes)
    assert set(tailored_sections(consult, assess(consult, content()))) == expected
    text = all_text(render(consult, lang))
    tailored = texts(lang).tailored
    for section in Section:
        title = getattr(tailored, section.value).title
        assert (title in text) == (section in expected), (section, title)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_advised_names_each_stop_reason_in_plain_words(lang: Language) -> None:
    consult = safe_consult(
        patient={"age_years": 17, "pregnancy": "pregnant"}, safety={"liver": "severe"}
    )
    text = all_text(render(consult, lang))
    reasons = texts(lang).tailored.not_advised.reasons
    for rule in ("stop.age", "stop.pregnancy", "stop.liver_severe"):
        assert words(reasons[rule]) in text
    assert words(reasons["stop.cardiovascular"]) not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_priorities_are_ticked_from_the_consult(lang: Language) -> None:
    consult = safe_consult(priorities=["cost", "lasting_relief"])
    text = all_text(render(consult, lang))
    for priority, label in texts(lang).matters.priorities.items():
        box = "\u2611" if priority in ("cost", "lasting_relief") else "\u2610"
        assert f"{box} {label}" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_untried_standard_options_are_named(lang: Language) -> None:
    consult = safe_consult(prior_treatments=[{"therapy": "duloxetine", "outcome": "no_benefit"}])
    assert untried_standard_options(consult) == (
        "exercise",
        "gabapentinoid",
        "tricyclic-type",
        "cbt",
        "multidisciplinary_rehab",
    )
    text = all_text(render(consult, lang))
    names = texts(lang).options.standard_names
    for key in untried_standard_options(consult):
        assert names[key] in text
    assert names["SNRI"] not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_coverage_answer_picks_the_insurance_text(lang: Language) -> None:
    for coverage in ("medicare", "uninsured"):
        consult = safe_consult(insurance={"coverage": coverage})
        text = all_text(render(consult, lang))
        assert words(texts(lang).cost.coverage[coverage]) in text  # type: ignore[index]
    consult = safe_consult(insurance={"covers_ketamine_for_pain": "yes_prior_auth"})
    assert words(texts(lang).cost.prior_auth) in all_text(render(consult, lang))


# -- privacy, clinic lines, review date ----------------------------------------------------


def test_no_patient_identifying_answers_are_printed() -> None:
    consult = safe_consult(
        patient={"age_years": 73, "pregnancy": "not_applicable"},
        comorbidities={"phq9_total": 23, "phq9_item9": 2, "depression": "current"},
        fibromyalgia={"pain_nrs": 9, "wpi": 18, "sss": 11, "symptom_months": 131},
    )
    pdf = render(consult)
    text = all_text(pdf)
    for value in ("73", "23", "131", "PHQ"):
        assert not re.search(rf"\b{value}\b", text), value
    info = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert "73" not in " ".join(str(value) for value in info.values())


def test_clinic_details_are_printed_and_blank_lines_are_left_otherwise() -> None:
    clinic = ClinicDetails(name="Riverside Pain Clinic", clinician="Dr A. Example", contact="555")
    page_one = pages_text(render(safe_consult(), clinic=clinic))[0]
    assert "Riverside Pain Clinic" in page_one
    assert "Dr A. Example" in page_one
    labels = texts(Language.EN).fill_in
    blank = pages_text(render(safe_consult()))[0]
    assert f"{labels.clinic}: {labels.clinician}:" in blank


@pytest.mark.parametrize("lang", LANGUAGES)
def test_overdue_content_says_so_on_every_page(lang: Language) -> None:
    late = content().pack.next_review + dt.timedelta(days=1)
    pages = pages_text(render(safe_consult(), lang, today=late))
    notice = texts(lang).overdue.short
    assert all(notice in page for page in pages)
    assert content().pack.next_review.isoformat() in pages[0]
    on_time = pages_text(render(safe_consult(), lang, today=content().pack.next_review))
    assert not any(notice in page for page in on_time)


def test_today_defaults_to_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from decision_aid import clock
    from decision_aid.handout import render_handout

    late = content().pack.next_review + dt.timedelta(days=30)
    monkeypatch.setattr(clock, "today", lambda: late)
    consult = safe_consult()
    pdf = render_handout(consult, assess(consult, content()), content(), Language.EN)
    assert texts(Language.EN).overdue.short in all_text(pdf)


# -- type size and readability -----------------------------------------------------------


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_body_text_is_rendered_at_twelve_point_or_larger(lang: Language, paper: Paper) -> None:
    """The sizes in the rendered PDF: most of the text is body text, at BODY_SIZE (12 pt or
    more), and each paragraph of "the condition" section is set at that size or larger."""
    runs = _sized_runs(render_example("may-discuss.consult.json", lang, paper))
    characters: dict[float, int] = {}
    for text, size in runs:
        characters[size] = characters.get(size, 0) + len(text)
    assert max(characters, key=characters.__getitem__) == BODY_SIZE >= 12
    condition = " ".join(words(paragraph) for paragraph in texts(lang).condition.paragraphs)
    sizes = [size for text, size in runs if plain(text) and plain(text) in condition]
    assert sizes
    assert min(sizes) >= 12


def _sized_runs(pdf: bytes) -> list[tuple[str, float]]:
    """Every run of text in the PDF, in reading order, with its font size."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            runs.append((text.strip(), float(size)))

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "example", ["not-advised-active-substance-use.consult.json", "may-discuss.consult.json"]
)
def test_text_under_twelve_point_is_only_the_references_and_the_footer(
    example: str, lang: Language
) -> None:
    runs = _sized_runs(render_example(example, lang, Paper.LETTER))
    words_of = texts(lang)
    references = next(
        index for index, (text, _) in enumerate(runs) if text == words_of.references_title
    )
    footer_start = words_of.footer.split("{")[0].strip()
    page_word = words_of.page_of.split("{")[0].strip()
    small = [
        text
        for index, (text, size) in enumerate(runs)
        if size < 12
        and index <= references
        and not text.startswith(footer_start)
        and not text.startswith(page_word)
    ]
    assert small == []
    # "About this handout", who made it, its funding and conflicts, in body text.
    about = next(index for index, (text, _) in enumerate(runs) if text == words_of.about.title)
    assert about < references
    assert all(size >= 12 for _, size in runs[about:references])


def _report(record_property: Any, name: str, value: float) -> None:
    record_property(name, value)
    print(f"{name} = {value:.2f}")  # noqa: T201 - shown with pytest -s; the brief asks for it


@pytest.mark.parametrize("example", example_names())
def test_english_reads_at_grade_eight_or_lower(example: str, record_property: Any) -> None:
    text = body_text(render_example(example, Language.EN, Paper.LETTER), Language.EN)
    textstat.set_lang("en")
    grade = textstat.flesch_kincaid_grade(text)
    _report(record_property, "flesch_kincaid_grade", grade)
    assert grade <= 8


@pytest.mark.parametrize("example", example_names())
def test_spanish_is_fairly_easy_to_read(example: str, record_property: Any) -> None:
    text = body_text(render_example(example, Language.ES, Paper.LETTER), Language.ES)
    textstat.set_lang("es")
    try:
        score = textstat.fernandez_huerta(text)
    finally:
        textstat.set_lang("en")
    _report(record_property, "fernandez_huerta", score)
    assert score >= 70


def test_spanish_handout_is_in_spanish() -> None:
    text = all_text(render_example("crps-may-discuss-es.consult.json", Language.ES, Paper.A4))
    assert "de cada 100" in text
    assert "out of 100" not in text
    for english in ("Good points", "Bad points", "Questions to ask", "What matters"):
        assert english not in text


def test_consult_language_is_not_forced_by_the_renderer() -> None:
    consult = Consult.model_validate({"patient": {"handout_language": "es"}})
    text = all_text(render(consult, Language.EN))
    assert texts(Language.EN).decision in text
