"""The Spanish handout says what the English one says (docs/design.md 6.6): the comparator
named as a placebo, never "otro medicamento"; every sentence of the English in the texts the
review found short; the source list and the footer in Spanish."""

from __future__ import annotations

import re
from typing import Final

import pytest

from decision_aid.consult import Language, Paper
from tests.helpers import content
from tests.unit.handout.handout_helpers import all_text, example_names, render_example, texts

# The texts where version 2 of the Spanish copy left sentences out or said more
# (docs/design.md 6.6), by key path.
NAMED_KEYS: Final = (
    "main_message",
    "condition",
    "options.ketamine.helps",
    "options.ketamine.side_effects",
    "research.text",
    "results.comparison",
    "results.uncertainty",
    "infusion.items",
    "support.crisis",
    "next_steps.steps",
)


def _at(data: object, path: str) -> object:
    for part in path.split("."):
        assert isinstance(data, dict)
        data = data[part]
    return data


def sentences(text: str) -> int:
    """How many sentences a text holds: each ends at . ? or ! (a "¿" opens one, so it is not
    counted twice), with the citation marks and **bold** taken out."""
    plain = re.sub(r"\[\[[^\]]*\]\]", "", text).replace("**", "")
    # "EE. UU." and "(a)" are not sentence ends; a number such as 1,400 has no point.
    plain = plain.replace("EE. UU.", "EEUU")
    return len(re.findall(r"[.?!]+(?=\s|$|\")", plain.strip()))


@pytest.mark.parametrize("path", NAMED_KEYS)
def test_the_spanish_texts_have_every_sentence_of_the_english(path: str) -> None:
    english = _at(texts(Language.EN).model_dump(), path)
    spanish = _at(texts(Language.ES).model_dump(), path)
    pairs = (
        list(zip(english, spanish, strict=True))
        if isinstance(english, list | tuple) and isinstance(spanish, list | tuple)
        else [(english, spanish)]
    )
    for one, other in pairs:
        assert isinstance(one, str)
        assert isinstance(other, str)
        # Spanish may say a thing in two sentences, never leave one out.
        assert sentences(other) >= sentences(one), (path, one, other)


def test_the_sentence_count_reads_questions_and_abbreviations() -> None:
    assert sentences("¿Aún no está seguro(a)? Está bien.") == 2
    assert sentences("Not sure yet? That is fine.") == 2
    assert sentences("Etiquetas fuera de EE. UU. [[x]]") == 0
    assert sentences('Pregunte: "¿Pagan? ¿Cuánto?" Anote la fecha.') == 3


@pytest.mark.parametrize("name", example_names())
def test_no_spanish_handout_calls_the_placebo_another_medicine(name: str) -> None:
    text = " ".join(all_text(render_example(name, Language.ES, Paper.LETTER)).split())
    assert not re.search(r"otro\s+medicamento", text, re.I), name
    assert not re.search(r"medicamento\s+de\s+prueba", text, re.I), name


def test_the_placebo_is_named_in_the_main_message_the_grid_and_the_study_box() -> None:
    t = texts(Language.ES)
    for where in (t.main_message, t.options.ketamine.helps, t.research.text):
        assert "placebo" in where.lower(), where
    assert t.results.pictures[0].arms[1] == "placebo"
    assert "midazolam" in t.results.comparison
    # English: "a dummy drug (placebo)" where it is first named.
    assert "dummy drug (placebo)" in texts(Language.EN).main_message


def test_infusion_and_prior_authorisation_are_said_plainly_in_spanish() -> None:
    t = texts(Language.ES)
    # "infusión" is a herbal tea in everyday Mexican Spanish: glossed where first used.
    assert "como un suero" in t.condition
    assert "autorización previa" in t.cost.script.text
    assert "permiso" not in t.cost.script.text
    assert t.options.current.name == "Seguir con su tratamiento actual"
    assert t.options.standard.name == "Agregar un tratamiento habitual"
    assert "llevarlo(a)" in " ".join(t.infusion.items)


def test_the_spanish_source_list_and_footer_are_in_spanish() -> None:
    pdf = render_example("crps-may-discuss-es.consult.json", Language.ES, Paper.LETTER)
    text = " ".join(all_text(pdf).split())
    assert texts(Language.ES).pack_texts.name in text
    assert content().pack.name not in text
    for english in ("label", "price reports", "Payer", "recruiting", "(systematic review)"):
        assert english not in text, english
