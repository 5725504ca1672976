"""What every part of the content pack shares: the pack's file names, the base model, the text
types and the error raised for a pack that cannot be used.

Kept apart so that ``handout_text`` (the handout's words) builds on the same base as the other
content models without importing the reader of the pack.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Final, cast

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

if TYPE_CHECKING:
    from collections.abc import Callable

    from decision_aid.consult import Language

# The YAML files of a pack, each read once. A C loader, because the pure-Python one costs
# several times more at every start (docs/design.md section 10).
PACK_FILE: Final = "pack.yaml"
# pack.yaml's funded_by when no one paid: the handout then says so (docs/design.md 6.8).
FUNDED_BY_NONE: Final = "none"
EVIDENCE_FILE: Final = "evidence.yaml"
RULES_FILE: Final = "rules.yaml"
QUESTIONS_FILE: Final = "questions.yaml"
# The words of a trial plan and its course (docs/design.md section 13).
COURSE_WORDS_FILE: Final = "course_words.yaml"
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
    built: M = _converter(model)(data)
    return built


# What builds each annotation's value, made once per annotation (a pack has some thousands of
# values of a few dozen kinds).
_CONVERTERS: dict[int, tuple[Any, Callable[[Any], Any]]] = {}


def _converter(annotation: Any) -> Callable[[Any], Any]:
    known = _CONVERTERS.get(id(annotation))
    if known is not None and known[0] is annotation:
        return known[1]
    convert = _make_converter(annotation)
    _CONVERTERS[id(annotation)] = (annotation, convert)  # the annotation kept alive with it
    return convert


def _make_converter(annotation: Any) -> Callable[[Any], Any]:
    import datetime as dt
    import enum
    import types
    import typing

    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _converter(arguments[0])
    if origin in (typing.Union, types.UnionType):
        kinds = [kind for kind in arguments if kind is not type(None)]
        if len(kinds) != 1:
            raise TypeError(f"an ambiguous union: {annotation}")
        inner = _converter(kinds[0])
        optional = type(None) in arguments
        return lambda data: None if data is None and optional else inner(data)
    if origin is typing.Literal:
        allowed = frozenset(arguments)
        return lambda data: data if type(data) is str and data in allowed else _unfit(annotation)
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            item = _converter(arguments[0])
            return lambda data: tuple(item(value) for value in _a(list, data))
        raise TypeError(f"cannot rebuild {annotation!r}")
    if origin is dict:
        key, value = _converter(arguments[0]), _converter(arguments[1])
        return lambda data: {key(k): value(v) for k, v in _a(dict, data).items()}
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return _model_converter(annotation)
        if issubclass(annotation, enum.Enum):
            return annotation
        if annotation is dt.date:
            return lambda data: dt.date.fromisoformat(_a(str, data))
        if annotation is float:
            return lambda data: float(data) if type(data) in (int, float) else _unfit(annotation)
        if annotation in (str, int, bool):
            return lambda data: data if type(data) is annotation else _unfit(annotation)
        rebuilder = getattr(annotation, "rebuilt_from_data", None)
        if rebuilder is not None:
            return cast("Callable[[Any], Any]", rebuilder)
    raise TypeError(f"cannot rebuild {annotation!r}")


def _model_converter(model: type[BaseModel]) -> Callable[[Any], Any]:
    fields: dict[str, Callable[[Any], Any]] = {}

    def convert(data: Any) -> BaseModel:
        if not fields:  # filled on first use: a model may name itself
            fields.update(
                {name: _converter(f.annotation) for name, f in model.model_fields.items()}
            )
        values = {name: fields[name](value) for name, value in _a(dict, data).items()}
        return model.model_construct(**values)

    return convert


def _a[T](kind: type[T], data: Any) -> T:
    if type(data) is not kind:
        raise TypeError(f"expected {kind.__name__}, not {type(data).__name__}")
    return data


def _unfit(annotation: Any) -> Any:
    raise TypeError(f"a value that is not {annotation!r}")
