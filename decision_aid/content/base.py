"""What every part of the content pack shares: the pack's file names, the base model, the text
types and the error raised for a pack that cannot be used.

Kept apart so that ``handout_text`` (the handout's words) builds on the same base as the other
content models without importing the reader of the pack.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Final

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

if TYPE_CHECKING:
    from decision_aid.consult import Language

# The YAML files of a pack, each read once. A C loader, because the pure-Python one costs
# several times more at every start (docs/design.md section 10).
PACK_FILE: Final = "pack.yaml"
EVIDENCE_FILE: Final = "evidence.yaml"
RULES_FILE: Final = "rules.yaml"
QUESTIONS_FILE: Final = "questions.yaml"
# The handout's words, one file per language, with the same keys in each.
HANDOUT_FOLDER: Final = "handout"


_CITATION_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

# Letters and symbols that show nothing: the Hangul fillers and the blank braille pattern.
_BLANK_LETTERS: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_visible_character(text: str) -> bool:
    """Whether a text shows anything: a letter, digit, punctuation mark or symbol that is not
    blank (spaces, controls, format characters and combining marks alone show nothing)."""
    import unicodedata

    return any(
        unicodedata.category(character)[0] in "LNPS" and character not in _BLANK_LETTERS
        for character in text
    )


def _visible(text: str) -> str:
    if not has_visible_character(text):
        raise ValueError("has no visible character")
    return text


def look_alike_form(label: str) -> str:
    """A label as a reader tells it from others: compatibility forms folded (NFKC: a
    full-width "Ｎｏｎｅ" is "None"), case folded and runs of spaces made one."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", label).casefold().split())


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A text that must show something, such as a citation: never only blank characters.
VisibleText = Annotated[Text, AfterValidator(_visible)]
CitationKey = Annotated[str, StringConstraints(pattern=_CITATION_KEY.pattern)]


class ContentError(Exception):
    """A content pack that cannot be used: names the file and what is wrong in it."""

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


class FrozenModel(BaseModel):
    """The base of every content model of the pack, the handout's words among them."""

    # defer_build: a nested model gets no validator of its own; only the five file-level
    # models are built, once, when their file is validated.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def handout_file(language: Language) -> str:
    """The pack-relative name of one language's handout texts, as error messages name it."""
    return f"{HANDOUT_FOLDER}/{language.value}.yaml"
