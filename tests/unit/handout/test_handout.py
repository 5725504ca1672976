"""The patient handout: IPDAS items, tailoring, numbers, fonts, layout limits, readability."""

from __future__ import annotations

import ast
import datetime as dt
import enum
import inspect
import io
import re
from pathlib import Path
from typing import Any, Final

import pypdf
import pytest

from decision_aid.catalogue import Status
from decision_aid.consult import Consult, Coverage, Language, Priority
from decision_aid.handout import ClinicDetails, Paper
from decision_aid.handout import tailoring as tailoring_module
from decision_aid.handout._pdf import BODY_SIZE, words_date
from decision_aid.handout.pictures import HARM_FIGURES, ICON_CELL
from decision_aid.handout.tailoring import StatusLine, Tailoring, tailor, untried_standard_options
from decision_aid.rules import assess
from tests.helpers import content, safe_consult
from tests.unit.handout.handout_helpers import (
    all_text,
    example_names,
    footer_text,
    pages_text,
    plain,
    render,
    render_example,
    running_text,
    texts,
    words,
)

LANGUAGES = list(Language)
PAPERS = list(Paper)


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
    pages = pages_text(pdf)
    text = " ".join(pages)
    t = texts(lang)
    pack = content().pack
    # Q2 and the one main message (CDC CCI 1-4), on page 1.
    assert words(t.decision) in pages[0]
    assert words(t.main_message) in pages[0]
    # Q1: what the condition is, before the options.
    assert words(t.condition) in pages[0]
    # Q3-Q5 and C1: three options side by side, each row one of the patient's questions,
    # and a research study in its own box.
    options = t.options
    for option in (options.current, options.standard, options.ketamine):
        assert option.name in text
    for question in options.questions.model_dump().values():
        assert question in text
    assert words(t.research.title) in text
    # Q6: what an infusion is like.
    assert t.infusion.title in text
    # P1-P8: real counts, when, who, how sure.
    for picture in t.results.pictures:
        assert words(picture.about) in text
        for figure_id, time in picture.times.items():
            # A picture of one time point says when in its label instead.
            assert time in text or len(picture.times) == 1
            for arm in content().evidence.figures[figure_id].arms:
                counted = t.results.counted.format(events=arm.events, total=arm.total)
                assert counted in text, (figure_id, counted)
    assert words(t.results.comparison) in text
    # C5: uncertainty in words, and the evidence ladder for everyone.
    assert words(t.results.uncertainty) in text
    for row in (t.ladder.rows.fibromyalgia, t.ladder.rows.crps, t.ladder.rows.trd):
        assert words(row.condition) in text
    # C3: content version and date, in words, in the footer of every page.
    for number, page in enumerate(pages, start=1):
        assert footer_text(lang) in page
        assert t.page_of.format(page=number, pages=len(pages)) in page
    # C4, C6 and D1: next review in words, policy, who made, paid for and checked it.
    assert words_date(pack.next_review, t) in text
    for field in ("review_policy", "conflicts"):
        assert words(getattr(t.pack_texts, field)) in text, field
    for author in t.pack_texts.authors:
        assert (
            words(t.about.author.format(name=author.name, qualification=author.qualification))
            in text
        )
    for said, reviewer in zip(t.pack_texts.reviewers, pack.reviewers, strict=True):
        date = words_date(reviewer.date, t)
        assert (
            words(
                t.about.reviewer.format(role=said.role, qualification=said.qualification, date=date)
            )
            in text
        )
    assert words(t.about.no_patients) in text
    # G1, V1-V3, L2: questions to ask, what matters, next steps, teach-back.
    for question in t.questions.items:
        assert question in text
    for priority in t.matters.priorities.values():
        assert words(priority.label) in text
    for step in t.next_steps.steps:
        assert words(step) in text
    assert words(t.teach_back.text) in text
    # Safety for everyone: the checklist and the support lines.
    for item in t.safety.items:
        assert words(item) in text
    assert words(t.support.crisis) in text
    assert words(t.support.helpline) in text
    # Not a directive (FDA CDS guidance): the handout says it is not a medical order.
    assert words(t.about.not_advice) in text


def test_icon_arrays_draw_the_real_groups_at_one_scale() -> None:
    """One icon per person of each group (12, 12, 218), squares for relief, circles for
    harms, every square the same size."""
    pdf = render_example("may-discuss.consult.json", Language.EN, Paper.LETTER)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    streams = "".join(_stream(page) for page in reader.pages)
    sizes = re.findall(r"[-\d.]+ [-\d.]+ ([\d.]+ [\d.]+) re", streams)
    icon = f"{ICON_CELL:g} {ICON_CELL:g}"
    relief = 0
    for picture in texts(Language.EN).results.pictures:
        for figure_id in picture.times:
            if figure_id not in HARM_FIGURES:
                relief += sum(arm.total or 0 for arm in content().evidence.figures[figure_id].arms)
    assert sizes.count(icon) == relief
    # A circle is drawn as four curves: 218 of them for the harms picture.
    assert streams.count(" c\n") >= 4 * 218


def _stream(page: pypdf.PageObject) -> str:
    contents = page.get_contents()
    assert contents is not None
    return str(contents.get_data().decode("latin-1"))


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)*", text))


def test_every_number_in_the_handout_texts_is_in_the_evidence_library() -> None:
    library = content().evidence.model_dump_json()
    # The support lines' numbers are in their sources' records as words and digits.
    allowed = _numbers(library)
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


def test_the_source_list_prints_pmid_or_doi_when_the_source_has_one() -> None:
    text = all_text(render_example("may-discuss.consult.json", Language.EN, Paper.LETTER))
    references = text.rpartition(texts(Language.EN).references_title)[2].replace(" ", "")
    with_identifier = [
        source for source in content().evidence.sources.values() if source.identifier
    ]
    printed = [s for s in with_identifier if "".join(s.short.split()) in references]
    assert len(printed) >= 8
    for source in printed:
        assert (source.identifier or "").replace(" ", "") in references, source.short


# -- tailoring, and what is never printed ------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_crps_section_appears_only_for_diagnosed_crps(lang: Language) -> None:
    title = texts(lang).crps.title
    assert title in all_text(render(safe_consult(comorbidities={"crps": "diagnosed"}), lang))
    assert title not in all_text(render(safe_consult(comorbidities={"crps": "suspected"}), lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_advised_and_incomplete_print_one_neutral_line(lang: Language) -> None:
    status = texts(lang).status
    not_advised = safe_consult(
        patient={"age_years": 17, "pregnancy": "pregnant"}, safety={"liver": "severe"}
    )
    text = all_text(render(not_advised, lang))
    assert words(status.not_advised) in text
    assert words(status.incomplete) not in text
    incomplete = safe_consult(safety={"liver": "unknown"})
    assert assess(incomplete, content()).status is Status.INCOMPLETE
    text = all_text(render(incomplete, lang))
    assert words(status.incomplete) in text
    assert words(status.not_advised) not in text
    plain_text = all_text(render(safe_consult(), lang))
    assert words(status.incomplete) not in plain_text
    assert words(status.not_advised) not in plain_text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_advised_says_nothing_about_calling_to_book(lang: Language) -> None:
    script = texts(lang).cost.script.title
    assert script in all_text(render(safe_consult(), lang))
    stopped = safe_consult(safety={"liver": "severe"})
    assert script not in all_text(render(stopped, lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_priorities_the_clinician_recorded_are_printed_in_bold_beside_empty_boxes(
    lang: Language,
) -> None:
    chosen = ["cost", "lasting_relief"]
    consult = safe_consult(priorities=chosen)
    pdf = render(consult, lang)
    text = all_text(pdf)
    matters = texts(lang).matters
    for row in matters.priorities.values():
        # Every box is left empty for the patient's own tick.
        assert f"\u2610 {row.label}" in text
    assert "\u2611" not in text
    # A label may be drawn on two lines of its cell: the bold runs are read joined.
    bold = " ".join(
        label for label, font in _font_runs(pdf) if "Bold" in font or font.endswith("b")
    )
    for priority, row in matters.priorities.items():
        assert (row.label in " ".join(bold.split())) == (priority in chosen), priority


def _font_runs(pdf: bytes) -> list[tuple[str, str]]:
    """Every run of text with the name of its font's file, read from the PDF."""
    runs: list[tuple[str, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip() and font is not None:
            descriptor = font.get("/DescendantFonts")
            target = descriptor[0].get_object() if descriptor else font
            name = str(target.get("/FontDescriptor", {}).get("/FontName", font.get("/BaseFont")))
            runs.append((text.strip(), name))

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return runs


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
    options = texts(lang).options
    names = ", ".join(options.standard_names[key] for key in untried_standard_options(consult))
    # The grid's standard column names what is left, duloxetine not among it (the lower-cost
    # routes name it as a generic pill for everyone), and its numbers row is gone.
    assert words(options.standard.what.format(names=names)) in text
    assert words(texts(lang).numbers.rows["SNRI"].found) not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_coverage_answer_picks_the_insurance_text(lang: Language) -> None:
    cost = texts(lang).cost

    def running(pdf: bytes) -> str:
        # Without the footers: a paragraph may go on overleaf.
        return running_text(pdf, lang)

    for coverage in ("medicare", "uninsured"):
        consult = safe_consult(insurance={"coverage": coverage})
        text = running(render(consult, lang))
        assert words(cost.coverage[coverage]) in text  # type: ignore[index]
    consult = safe_consult(insurance={"covers_ketamine_for_pain": "yes_prior_auth"})
    assert words(cost.prior_auth) in running(render(consult, lang))
    # Lower-cost options first for someone who cannot pay.
    cannot_pay = running(render(safe_consult(insurance={"can_self_pay": "no"}), lang))
    assert cannot_pay.index(words(cost.low_cost)) < cannot_pay.index(words(cost.price))
    assert words(cost.low_cost) not in running(render(safe_consult(), lang))
    # Not asked: the handout does not read as if paying were settled.
    not_asked = running(render(safe_consult(insurance={"can_self_pay": "unknown"}), lang))
    assert not_asked.index(words(cost.low_cost)) < not_asked.index(words(cost.price))


def test_the_tailoring_holds_the_status_as_one_line_and_the_answers_safe_to_print() -> None:
    consult = safe_consult(
        prior_treatments=[{"therapy": "duloxetine", "outcome": "no_benefit"}],
        comorbidities={"crps": "diagnosed"},
        insurance={
            "coverage": "medicare",
            "covers_ketamine_for_pain": "yes_prior_auth",
            "can_self_pay": "no",
        },
        priorities=["time_and_travel", "quick_relief"],
    )
    assert tailor(consult, assess(consult, content()), Language.ES) == Tailoring(
        language=Language.ES,
        status_line=None,
        booking_allowed=True,
        untried_options=untried_standard_options(consult),
        shows_crps=True,
        coverage=Coverage.MEDICARE,
        prior_auth=True,
        cost_is_hard=True,
        # In the handout's order, not the order the clinician ticked them.
        priorities=(Priority.QUICK_RELIEF, Priority.TIME_AND_TRAVEL),
    )
    stopped = safe_consult(safety={"liver": "severe"})
    stopped_tailoring = tailor(stopped, assess(stopped, content()), Language.EN)
    assert stopped_tailoring.status_line is StatusLine.NOT_ADVISED
    assert not stopped_tailoring.booking_allowed
    unknown = safe_consult(safety={"liver": "unknown"})
    unknown_tailoring = tailor(unknown, assess(unknown, content()), Language.EN)
    assert unknown_tailoring.status_line is StatusLine.INCOMPLETE
    assert unknown_tailoring.booking_allowed


def test_twins_with_one_tailoring_get_byte_identical_handouts() -> None:
    """The renderer sees the tailoring and nothing else of the consult: two consults that
    differ in sensitive answers and priorities' order, with one tailoring, one PDF."""
    one = safe_consult(priorities=["cost", "quick_relief"])
    other = safe_consult(
        priorities=["quick_relief", "cost"],
        safety={"psychosis": "past_episode", "sleep_apnea": "present", "medications": ["opioid"]},
        substance_use={"status": "in_remission", "substances": ["alcohol"]},
        comorbidities={"depression": "current", "phq9_total": 14, "phq9_item9": 1},
        decision={"suicide_risk": "moderate"},
        ketamine_exposure={"status": "esketamine_now", "harms": ["severe_psychiatric_reaction"]},
    )
    tailorings = {tailor(c, assess(c, content()), Language.EN) for c in (one, other)}
    assert len(tailorings) == 1
    assert render(one) == render(other)


# The handout's modules that are given a Tailoring: every one but the package's entry (which
# makes the tailoring from the consult) and tailoring.py itself. A new module is included.
HANDOUT_PACKAGE: Final = Path(tailoring_module.__file__).parent
TAILORED_MODULES: Final = sorted(
    path
    for path in HANDOUT_PACKAGE.glob("*.py")
    # tailoring and plan are the two reducers: they read the consult (its plan) and hand the
    # pages a value that holds only what may be printed.
    if path.name not in {"__init__.py", "tailoring.py", "plan.py"}
)
# What a module would need to read a consult: its name, its assessment's, or their readers.
CONSULT_NAMES: Final = frozenset({"consult", "assessment", "Consult", "Assessment"})
CONSULT_READERS: Final = ("decision_aid.rules", "decision_aid.files", "decision_aid.cli")


def consult_references(source: str) -> list[str]:
    """Where a handout module could reach a consult or its assessment, even only for the type
    checker: a consult model imported (an enum of its answers is a value, not a consult), a
    module that reads or assesses consults imported, a function of ``tailoring`` other than
    its types (they take a consult), or a name, argument or attribute called consult or
    assessment."""
    import decision_aid.consult

    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [
                f"line {line}: import {alias.name}"
                for alias in node.names
                if alias.name.startswith(("decision_aid.consult", *CONSULT_READERS))
            ]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if node.module.startswith(CONSULT_READERS):
                    found.append(f"line {line}: from {node.module} import {alias.name}")
                elif node.module.startswith("decision_aid.consult"):
                    value = getattr(decision_aid.consult, alias.name, None)
                    if not (isinstance(value, type) and issubclass(value, enum.Enum)):
                        found.append(f"line {line}: from {node.module} import {alias.name}")
                elif node.module == "decision_aid.handout.tailoring" and not inspect.isclass(
                    getattr(tailoring_module, alias.name, None)
                ):
                    found.append(f"line {line}: from {node.module} import {alias.name}")
                elif node.module == "decision_aid.handout.plan" and alias.name == "plan_sheet":
                    # The plan page's reducer takes the consult's plan.
                    found.append(f"line {line}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Name) and node.id in CONSULT_NAMES:
            found.append(f"line {line}: name {node.id}")
        elif isinstance(node, ast.arg) and node.arg in CONSULT_NAMES:
            found.append(f"line {line}: argument {node.arg}")
        elif isinstance(node, ast.Attribute) and node.attr in CONSULT_NAMES:
            found.append(f"line {line}: attribute .{node.attr}")
    return found


@pytest.mark.parametrize("module", TAILORED_MODULES, ids=lambda path: path.name)
def test_no_module_that_builds_the_handout_can_reach_a_consult(module: Path) -> None:
    """Privacy by construction (docs/design.md section 6): the story and the pages are given
    a Tailoring, never the consult nor its assessment, so a new section cannot print an
    answer that the tailoring does not hold."""
    assert consult_references(module.read_text(encoding="utf-8")) == []


def test_the_consult_reference_check_finds_each_way_in() -> None:
    """The check above can fail: each way a section could reach a consult is found."""
    source = """
from decision_aid.consult import Consult, Language, Paper
from decision_aid.consult.model import Insurance
from decision_aid.rules import Assessment
from decision_aid.handout.tailoring import Tailoring, cost_is_hard
import decision_aid.files
from decision_aid.handout.plan import PlanSheet, plan_sheet
from decision_aid.consult import Plan

def cost(self, consult) -> None:
    self.consult.insurance
    print(assessment)
"""
    assert consult_references(source) == [
        "line 2: from decision_aid.consult import Consult",
        "line 3: from decision_aid.consult.model import Insurance",
        "line 4: from decision_aid.rules import Assessment",
        "line 5: from decision_aid.handout.tailoring import cost_is_hard",
        "line 6: import decision_aid.files",
        "line 7: from decision_aid.handout.plan import plan_sheet",
        "line 8: from decision_aid.consult import Plan",
        "line 10: argument consult",
        "line 11: attribute .consult",
        "line 12: name assessment",
    ]


# -- privacy, clinic lines, review date ----------------------------------------------------


def test_no_patient_identifying_answers_are_printed() -> None:
    consult = safe_consult(
        patient={"age_years": 73, "pregnancy": "not_applicable"},
        comorbidities={"phq9_total": 23, "phq9_item9": 2, "depression": "current"},
        fibromyalgia={"pain_nrs": 9, "wpi": 18, "sss": 11, "symptom_months": 131},
    )
    pdf = render(consult)
    # The body, without the source numbers, which are not answers.
    text = all_text(pdf).rpartition(texts(Language.EN).references_title)[0]
    text = re.sub(r"Sources:[\d,\s\u00a0]+", " ", text)
    for value in ("73", "23", "131", "PHQ"):
        assert not re.search(rf"\b{value}\b", text), value
    info = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert "73" not in " ".join(str(value) for value in info.values())


def test_clinic_details_are_printed_and_blank_lines_are_left_otherwise() -> None:
    clinic = ClinicDetails(name="Riverside Pain Clinic", clinician="Dr A. Example", contact="555")
    page_one = all_text(render(safe_consult(), clinic=clinic))
    assert "Riverside Pain Clinic" in page_one
    assert "Dr A. Example" in page_one
    labels = texts(Language.EN).fill_in
    assert f"{labels.clinic}: {labels.clinician}:" in " ".join(pages_text(render(safe_consult())))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_overdue_content_says_so_on_every_page(lang: Language) -> None:
    late = content().pack.next_review + dt.timedelta(days=1)
    pages = pages_text(render(safe_consult(), lang, today=late))
    t = texts(lang)
    notice = t.overdue.short.format(date=words_date(content().pack.next_review, t))
    assert all(notice in page for page in pages)
    assert t.overdue.long.format(date=words_date(content().pack.next_review, t)) in pages[0]
    on_time = pages_text(render(safe_consult(), lang, today=content().pack.next_review))
    assert not any(notice in page for page in on_time)


def test_today_defaults_to_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from decision_aid import clock
    from decision_aid.handout import render_handout

    late = content().pack.next_review + dt.timedelta(days=30)
    monkeypatch.setattr(clock, "today", lambda: late)
    consult = safe_consult()
    pdf = render_handout(consult, assess(consult, content()), content(), Language.EN)
    t = texts(Language.EN)
    assert t.overdue.short.format(date=words_date(content().pack.next_review, t)) in all_text(pdf)


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
    condition = words(texts(lang).condition)
    sizes = [size for text, size in runs if text in condition]
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
def test_text_under_twelve_point_is_only_small_print(example: str, lang: Language) -> None:
    """Below 12 pt: the "Sources" words, "About this handout" and its source list, and the
    footer. Everything a patient reads to decide is body text."""
    runs = _sized_runs(render_example(example, lang, Paper.LETTER))
    words_of = texts(lang)
    about = next(index for index, (text, _) in enumerate(runs) if text == words_of.about.title)
    footer_start = words_of.footer.split("{")[0].strip()
    page_word = words_of.page_of.split("{")[0].strip()
    stamp = content().stamp
    small = [
        text
        for index, (text, size) in enumerate(runs)
        if size < 12
        and index < about
        and not text.startswith((footer_start, page_word, stamp, words_of.sources))
        and not re.fullmatch(r"[\d, ]+", text)
        and not text.startswith(words_of.overdue.short.split("{")[0].strip())
    ]
    assert small == []


def test_spanish_handout_is_in_spanish() -> None:
    text = all_text(render_example("crps-may-discuss-es.consult.json", Language.ES, Paper.A4))
    assert "2 de 12 personas" in text
    for english in ("Keep your current care", "What matters", "Questions you could", " of 12 "):
        assert english not in text


def test_consult_language_is_not_forced_by_the_renderer() -> None:
    consult = Consult.model_validate({"patient": {"handout_language": "es"}})
    text = all_text(render(consult, Language.EN))
    assert texts(Language.EN).decision in text


def test_fitted_columns_hold_their_longest_word_and_are_never_taller_than_the_start() -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from decision_aid.handout.grid import fitted_widths, plain_table
    from decision_aid.handout.style import Styles, fonts

    regular, bold = fonts(content())
    styles = Styles(regular, bold)
    style = ParagraphStyle("cell", parent=styles.cell)
    texts = [
        ["Fibromyalgia", "Weak.", "From minutes to hours after each of the infusions.", "No."],
        ["Depression", "Stronger.", "Not well known; for some people a few weeks.", "Yes."],
    ]
    rows = [[Paragraph(text, style) for text in row] for row in texts]
    width, start = 320.0, (0.25, 0.25, 0.25, 0.25)
    widths = fitted_widths(rows, width, start)
    assert sum(widths) == pytest.approx(width)
    for column, column_width in enumerate(widths):
        assert column_width >= max(row[column].minWidth() for row in rows) + 8
    fitted = plain_table(rows, widths, styles).wrap(width, 10_000)[1]
    even = plain_table(rows, [width * share for share in start], styles).wrap(width, 10_000)[1]
    # The long third column gets the room the short ones do not need.
    assert fitted < even
    assert widths[2] > max(widths[0], widths[1], widths[3])
    # The same cells give the same widths: two renders stay byte-identical.
    assert fitted_widths(rows, width, start) == widths


def test_columns_too_narrow_for_their_longest_words_are_refused_naming_a_word() -> None:
    from reportlab.platypus import Paragraph

    from decision_aid.handout.grid import ColumnsDoNotFit, fitted_widths
    from decision_aid.handout.style import Styles, fonts

    regular, bold = fonts(content())
    styles = Styles(regular, bold)
    word = "Electroconvulsive-and-transcranial-magnetic-stimulation"
    rows = [[Paragraph(word, styles.cell) for _ in range(3)]]
    with pytest.raises(ColumnsDoNotFit) as raised:
        fitted_widths(rows, 400.0, (0.3, 0.4, 0.3))
    assert raised.value.longest == word
    assert word in str(raised.value)


@pytest.mark.parametrize("name", example_names())
def test_no_spanish_handout_calls_the_placebo_another_medicine(name: str) -> None:
    # "No ayudó más que otro medicamento" reads as "it worked as well as other medicines", the
    # opposite of the main message (issue 24): the comparator is a placebo, named as one.
    text = plain(all_text(render_example(name, Language.ES, Paper.LETTER))).lower()
    assert "otro medicamento" not in text
    assert "placebo" in text
