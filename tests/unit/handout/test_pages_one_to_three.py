"""Pages 1 to 3 of the handout, version 3 (docs/design.md section 6, "Pages 1 to 3"): the
Option Grid in equal detail, "Standard options in numbers", the research-study box, paying
for care by coverage and ability to pay, and the terms defined where first used."""

from __future__ import annotations

import re
from typing import Any, Final

import pytest

from decision_aid.consult import Consult, Language
from decision_aid.handout.choices import NUMBERS_ORDER, cost_parts, numbers_rows, option_columns
from decision_aid.handout.tailoring import tailor
from decision_aid.rules import assess
from tests.helpers import content, safe_consult
from tests.unit.handout.handout_helpers import (
    plain,
    render,
    running_text,
    texts,
    words,
)

LANGUAGES: Final = list(Language)

STANDARD: Final = ("exercise", "duloxetine", "pregabalin", "amitriptyline", "cbt")
ALL_TRIED: Final = [
    {"therapy": therapy, "outcome": "no_benefit"}
    for therapy in (*STANDARD, "multidisciplinary_rehab")
]

# Design 6.5: on an uninsured copy, none of these anywhere.
BANNED: Final = (
    "health plan",
    "insurance card",
    "your plan",
    "plan de salud",
    "tarjeta del seguro",
)

# Design 6.6: each term and its definition as printed, by language. The definition follows
# the term where it is first used (the placebo's precedes it: "a dummy drug (placebo)").
TERMS: Final = {
    Language.EN: {
        "weak blood vessel": "bulging artery (aneurysm), or a past bleed in the brain",
        "sleep apnea": "your breathing stops and starts while you sleep",
        "porphyria": "a rare blood illness from birth; some drugs trigger it",
        "pressure inside the eye": "(some glaucoma) or the skull",
        "psychosis": "losing touch with what is real, such as hearing voices",
        "bipolar disorder": "times of very high mood or energy, and low mood",
        "FDA": "the US office that approves drugs",
    },
    Language.ES: {
        "vaso sanguíneo débil": "arteria abultada (aneurisma) o un sangrado previo en el cerebro",
        "apnea del sueño": "la respiración se detiene y vuelve mientras duerme",
        "porfiria": "rara enfermedad heredada de la sangre; algunos medicamentos la empeoran",
        "presión elevada dentro del ojo": "(algunos glaucomas) o del cráneo",
        "psicosis": "perder el contacto con la realidad, como oír voces",
        "trastorno bipolar": "épocas de ánimo o energía muy altos, o muy bajos",
        "FDA": "la agencia de EE. UU. que aprueba los medicamentos",
    },
}
PLACEBO: Final = {
    Language.EN: "a dummy drug (placebo)",
    Language.ES: "un placebo (un medicamento de comparación)",
}
# "IV" and "infusion" are in the title: their definitions come on page 1, before the grid.
INFUSION: Final = {
    Language.EN: '"IV" means through a vein. The drug drips slowly through a thin tube.',
    Language.ES: "Infusión por la vena: el medicamento entra poco a poco, como un suero.",
}
ABN: Final = {
    Language.EN: "ABN (Advance Beneficiary Notice: a Medicare form that says you may have to pay)",
    Language.ES: "ABN (aviso previo: un formulario de Medicare que avisa que quizá usted pague)",
}


def _text(consult: Consult, lang: Language) -> str:
    # Without the footers: a paragraph may go on overleaf.
    return plain(running_text(render(consult, lang), lang))


def _tailoring(lang: Language, **sections: Any) -> Any:
    consult = safe_consult(**sections)
    return tailor(consult, assess(consult, content()), lang)


def _words(text: str) -> int:
    return len(re.sub(r"\s*\[\[[^\]]*\]\]", "", text).split())


# -- the Option Grid (design 6.3) ---------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "sections",
    [
        {},
        {"prior_treatments": []},
        {"prior_treatments": ALL_TRIED},
        {"insurance": {"coverage": "uninsured", "can_self_pay": "no"}},
    ],
    ids=["some-tried", "none-tried", "all-tried", "uninsured"],
)
def test_every_grid_cell_is_15_words_or_fewer_and_none_only_says_ask(
    lang: Language, sections: dict[str, Any]
) -> None:
    questions = texts(lang).options.questions.model_dump()
    for column in option_columns(texts(lang), _tailoring(lang, **sections)):
        for field in ("what", *questions):
            cell = getattr(column, field)
            assert _words(cell) <= 15, (column.name, field, cell)
            # A pointer to ask is not an answer (handout-standards 9.1, IPDAS C1).
            assert not re.match(r"(Ask|Pregunte)\b", cell), (column.name, field, cell)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_everything_tried_copy_says_so_and_never_advises_the_standard_options_first(
    lang: Language,
) -> None:
    text = _text(safe_consult(prior_treatments=ALL_TRIED), lang)
    assert not re.search(r"Guidelines advise these first|los aconsejan primero", text)
    options, numbers = texts(lang).options, texts(lang).numbers
    # Every answer of the standard column says it was tried (what it is names them); page 2
    # says it in one sentence.
    assert text.count(words(options.standard_tried)) == len(options.questions.model_dump()) - 1
    assert words(options.standard_none) in text
    assert words(numbers.all_tried) in text
    assert words(numbers.columns.found) not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_standard_options_in_numbers_are_printed_for_what_is_untried_in_guideline_order(
    lang: Language,
) -> None:
    rows = texts(lang).numbers.rows
    untried = _text(safe_consult(prior_treatments=[]), lang)
    places = [untried.index(words(rows[key].found)) for key in NUMBERS_ORDER]
    assert places == sorted(places)
    assert words(texts(lang).numbers.all_tried) not in untried
    # Exercise, duloxetine and pregabalin tried: their rows go, amitriptyline's stays.
    some = _text(safe_consult(), lang)
    for key in ("exercise", "SNRI", "gabapentinoid"):
        assert words(rows[key].found) not in some, key
    for key in ("tricyclic-type", "cbt", "multidisciplinary_rehab"):
        assert words(rows[key].found) in some, key


def test_the_numbers_rows_follow_the_guideline_not_the_consult() -> None:
    tailoring = _tailoring(Language.EN, prior_treatments=[])
    assert tailoring.untried_options[1] == "SNRI"  # the consult's order
    rows = numbers_rows(texts(Language.EN), tailoring)
    assert [row.option for row in rows] == [
        texts(Language.EN).numbers.rows[key].option for key in NUMBERS_ORDER
    ]
    assert rows[1].option.startswith("Amitriptyline")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_ketamine_column_qualifies_its_harms(lang: Language) -> None:
    cell = texts(lang).options.ketamine.side_effects
    assert re.search(r"With repeated or long use|Con uso repetido", cell), cell


# -- paying for care (design 6.5) ---------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("pay", ["yes", "no", "unknown"])
@pytest.mark.parametrize("tried", ["some", "none"])
def test_an_uninsured_copy_names_no_health_plan_and_puts_lower_cost_routes_first(
    lang: Language, pay: str, tried: str
) -> None:
    treatments: dict[str, Any] = {} if tried == "some" else {"prior_treatments": []}
    consult = safe_consult(insurance={"coverage": "uninsured", "can_self_pay": pay}, **treatments)
    text = _text(consult, lang)
    lowered = text.lower()
    for banned in BANNED:
        assert banned not in lowered, banned
    cost = texts(lang).cost
    assert words(cost.script.title) not in text
    assert text.index(words(cost.low_cost)) < text.index(words(cost.price))
    assert words(texts(lang).options.uninsured_cost.ketamine) in text
    if tried == "none":
        assert words(texts(lang).options.uninsured_cost.standard) in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_insured_patient_who_cannot_pay_gets_lower_cost_routes_first_then_the_call(
    lang: Language,
) -> None:
    cost = texts(lang).cost
    text = _text(safe_consult(insurance={"can_self_pay": "no"}), lang)
    low, price = text.index(words(cost.low_cost)), text.index(words(cost.price))
    assert low < price < text.index(words(cost.script.title))
    # Able to pay and insured: no lower-cost routes, and the call paragraph.
    parts = cost_parts(cost, _tailoring(lang))
    assert parts.lower_cost_first is None
    assert parts.call == (cost.script.title, cost.script.text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_medicare_defines_the_abn_where_it_is_used(lang: Language) -> None:
    text = _text(safe_consult(insurance={"coverage": "medicare"}), lang)
    assert ABN[lang] in text
    assert "ABN" not in _text(safe_consult(), lang)


def test_a_not_advised_copy_has_no_call_paragraph() -> None:
    tailoring = _tailoring(Language.EN, safety={"psychosis": "active"})
    assert not tailoring.booking_allowed
    assert cost_parts(texts(Language.EN).cost, tailoring).call is None


# -- the research-study box (design 6.4) --------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_research_box_says_how_to_look_what_a_placebo_group_is_and_who_pays(
    lang: Language,
) -> None:
    research = texts(lang).research
    # Without the footers: the box may go on overleaf.
    text = plain(running_text(render(safe_consult(), lang), lang))
    box = " ".join(words(paragraph) for paragraph in research.paragraphs)
    assert box in text
    assert "ClinicalTrials.gov" in box
    # The words to type are English in both languages: the site is in English.
    assert '"fibromyalgia"' in box
    assert '"ketamine"' in box
    assert "placebo" in box
    assert re.search(r"coin toss|lanzar una moneda", box)
    if lang is Language.ES:
        assert "en inglés" in box


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placebo_is_named_in_the_main_message_the_grid_and_the_study_box(lang: Language) -> None:
    t = texts(lang)
    text = _text(safe_consult(), lang)
    for where in (t.main_message, t.options.ketamine.helps, " ".join(t.research.paragraphs)):
        assert "placebo" in where.lower(), where
    for where in (t.main_message, t.options.ketamine.helps, *t.research.paragraphs):
        assert words(where) in text, where
    assert PLACEBO[lang] in text


# -- words defined where first used (design 6.6) ------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "sections",
    [{}, {"safety": {"psychosis": "active"}}, {"insurance": {"coverage": "uninsured"}}],
    ids=["may-discuss", "not-advised", "uninsured"],
)
def test_every_term_is_defined_where_it_is_first_used_on_every_copy(
    lang: Language, sections: dict[str, Any]
) -> None:
    text = _text(safe_consult(**sections), lang)
    for term, definition in TERMS[lang].items():
        assert _words(definition) <= 10, definition
        first = re.search(rf"\b{re.escape(term)}\b", text)
        assert first is not None, term
        after = text[first.end() : first.end() + len(definition) + 40]
        assert definition in after, (term, after)
    placebo = text.index(PLACEBO[lang])
    assert placebo <= text.lower().index("placebo")
    assert text.index(INFUSION[lang]) < text.index(texts(lang).options.title)


def test_the_checklist_definitions_are_the_same_on_every_copy() -> None:
    # Privacy on paper (design 6.9): defining psychosis on one copy only would tell.
    for lang in LANGUAGES:
        items = texts(lang).safety.items
        for sections in ({}, {"safety": {"psychosis": "active"}}):
            text = _text(safe_consult(**sections), lang)
            for item in items:
                assert words(item) in text
