"""What every part of the content pack shares: the pack's file names, the base model, the text
types and the error raised for a pack that cannot be used.

Kept apart so that ``handout_text`` (the handout's words) builds on the same base as the other
content models without importing the reader of the pack.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Final

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


# ---------------------------------------------------------------------------------------------
# A validated model kept as JSON data, and built again without running any code of the data's


def rebuild[M: BaseModel](model: type[M], data: Any) -> M:
    """A model built again from the JSON data of its own ``model_dump(mode="json")``, without
    validating it again: the content cache's way back (``content.cache``).

    Only the classes the model's own field annotations name are built (nested models with
    ``model_construct``, enums, dates); the data chooses none, so loading it runs no code of
    its own, unlike a pickle. Data that does not fit the annotations raises.

    Raises:
        ValueError, TypeError, KeyError: the data is not of this model.
    """
    if not isinstance(data, dict):
        raise TypeError(f"{model.__name__}: expected an object")
    fields = model.model_fields
    if set(data) - set(fields):
        raise KeyError(f"{model.__name__}: unknown fields")
    values = {name: _rebuilt(fields[name].annotation, value) for name, value in data.items()}
    return model.model_construct(**values)


def _rebuilt(annotation: Any, data: Any) -> Any:
    import datetime as dt
    import enum
    import types
    import typing

    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _rebuilt(arguments[0], data)
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in arguments:
            return None
        kinds = [kind for kind in arguments if kind is not type(None)]
        if len(kinds) != 1:
            raise TypeError(f"an ambiguous union: {annotation}")
        return _rebuilt(kinds[0], data)
    if origin is typing.Literal:
        if data not in arguments:
            raise ValueError(f"{data!r} is not one of {arguments}")
        return data
    if origin is tuple:
        if not isinstance(data, list):
            raise TypeError("expected a list")
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(_rebuilt(arguments[0], item) for item in data)
        if len(arguments) != len(data):
            raise ValueError("a tuple of another length")
        return tuple(_rebuilt(kind, item) for kind, item in zip(arguments, data, strict=True))
    if origin is dict:
        if not isinstance(data, dict):
            raise TypeError("expected an object")
        key_type, value_type = arguments
        return {_rebuilt(key_type, key): _rebuilt(value_type, item) for key, item in data.items()}
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return rebuild(annotation, data)
        if issubclass(annotation, enum.Enum):
            return annotation(data)
        if annotation is dt.date:
            if not isinstance(data, str):
                raise TypeError("expected a date")
            return dt.date.fromisoformat(data)
        if annotation is float and isinstance(data, int | float) and not isinstance(data, bool):
            return float(data)
        if annotation in (str, int, bool, type(None)) and type(data) is annotation:
            return data
        rebuilder = getattr(annotation, "rebuilt_from_data", None)
        if rebuilder is not None:
            return rebuilder(data)
    raise TypeError(f"cannot rebuild {annotation!r} from {type(data).__name__}")
