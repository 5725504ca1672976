"""The handout's languages and papers, and their names: the one place that knows them
(docs/design.md section 3, "Languages and papers").

The program's languages are the values a consult file may hold (``consult.Language``). A
pack offers a non-empty subset of them: it names each in ``questions.yaml``, as an option of
the handout-language question, and gives each its ``handout/<code>.yaml``; the loader holds
the two to each other. The window, the commands and the note take the offered languages and
their names from :attr:`decision_aid.content.Content.languages`, never from a table of their
own, so a language the program gains breaks no pack that does not offer it.

The papers are the program's own (the handout lays out each); their names are here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from decision_aid.consult import Language, Paper

if TYPE_CHECKING:
    from collections.abc import Mapping

    from decision_aid.content.questions import QuestionBook

# The question whose options are the languages a pack offers, and their names.
LANGUAGE_QUESTION: Final = "patient.handout_language"

PAPER_NAMES: Final[Mapping[Paper, str]] = {Paper.LETTER: "Letter", Paper.A4: "A4"}


def offered_languages(questions: QuestionBook) -> dict[Language, str]:
    """The languages a pack offers a handout in, in the program's order, with its names.

    Args:
        questions: the pack's validated questions (their handout-language options).
    """
    names = questions.by_field[LANGUAGE_QUESTION].options
    return {language: names[language.value] for language in Language if language.value in names}


def describe_languages(languages: Mapping[Language, str]) -> str:
    """The codes of ``languages`` as a command takes them: "en, es"."""
    return ", ".join(language.value for language in languages)
