"""The checks of a pack's texts that no single model makes: {placeholders} in the texts the
program fills, [[citation]] marks, and the handout files against each other, pack.yaml and the
evidence library.
"""

from __future__ import annotations

import re
import string
from typing import TYPE_CHECKING, Final

from pydantic import BaseModel

from decision_aid.content.base import (
    EVIDENCE_FILE,
    FUNDED_BY_NONE,
    PACK_FILE,
    ContentError,
    handout_file,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from decision_aid.consult import Language
    from decision_aid.content.evidence import EvidenceLibrary
    from decision_aid.content.handout_text import HandoutText, PackYamlTexts
    from decision_aid.content.pack import PackInfo

# ---------------------------------------------------------------------------------------------
# Texts the program fills

# A text that the program fills (str.format_map) may hold only bare {name} placeholders and
# {{ or }} for a brace: a format spec ({age:>300000000}), a conversion ({age!r}), an index or
# an attribute ({pack[0]}, {age.real}) could fail, or make a huge text, when a consult is
# assessed or a handout made. A text that is never filled holds no braces at all.
_PLACEHOLDER_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The values a placeholder may be given: a number that is not known is None.
_SAMPLE_VALUES: Final = (0, None, "text")


def _placeholders(template: str) -> set[str]:
    """The {names} of a text.

    Raises:
        ValueError: the text has a lone brace, or a placeholder that is not a bare {name}.
    """
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        raise ValueError("a lone { or }: write {{ or }} for a brace") from None
    names = set()
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if not _PLACEHOLDER_NAME.match(name) or spec or conversion is not None:
            shown = name + (f"!{conversion}" if conversion is not None else "")
            shown += f":{spec}" if spec else ""
            raise ValueError(
                f"placeholder {{{shown}}} is not allowed: only a bare {{name}}, with no "
                "format, conversion, index or attribute"
            )
        names.add(name)
    return names


def check_template(template: str, allowed: frozenset[str] | None, where: str) -> None:
    """Checks one text against the {names} the program fills it with.

    Args:
        template: the text.
        allowed: the names it is given, or None for a text that is printed as it is.
        where: the text's key path, which starts the message.

    Raises:
        ValueError: "<where>: <problem>", naming the placeholder at fault.
    """
    if allowed is None:
        if "{" in template or "}" in template:
            raise ValueError(f"{where}: takes no {{placeholders}} and no braces")
        return
    try:
        extra = sorted(_placeholders(template) - allowed)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    if extra:
        raise ValueError(
            f"{where}: unknown placeholder {{{extra[0]}}}; "
            f"allowed: {', '.join(sorted(allowed)) or '(none)'}"
        )
    # What the program will do with it, once for every kind of value it may pass.
    for sample in _SAMPLE_VALUES:
        try:
            template.format_map(dict.fromkeys(allowed, sample))
        except Exception as error:  # any failure is the text's
            raise ValueError(f"{where}: cannot be filled ({error})") from None


# ---------------------------------------------------------------------------------------------
# Citation marks

# [[key]] or [[key1, key2]] in a handout text cites sources of the evidence library.
CITATION_MARK: Final = re.compile(r"\[\[([^\]]*)\]\]")


def citation_marks(text: str) -> tuple[str, ...]:
    """The citation keys of every [[...]] mark in a text, in order, with repeats."""
    return tuple(
        key.strip() for mark in CITATION_MARK.findall(text) for key in mark.split(",") if key
    )


def _check_citation_marks(text: str, where: str) -> None:
    """Refuses an empty mark ([[]]), an empty key ([[key,]]) and a [[ or ]] left unpaired.

    Spaces around a key are allowed ([[ key ]], [[one, two]]): the handout strips them.

    Raises:
        ValueError: "<where>: <problem>".
    """
    for mark in CITATION_MARK.findall(text):
        if any(not key.strip() for key in mark.split(",")):
            raise ValueError(f"{where}: citation mark [[{mark}]] has an empty key")
    rest = CITATION_MARK.sub("", text)
    if "[[" in rest or "]]" in rest:
        raise ValueError(f"{where}: a [[ or ]] that is not part of a [[key]] citation mark")
    # A value filled in next to a bracket could make a mark of its own: "[{label}]".
    fields = list(string.Formatter().parse(text))
    for (literal, name, _, _), (following, _, _, _) in zip(
        fields, [*fields[1:], ("", None, None, None)], strict=True
    ):
        if name is not None and (literal[-1:] in ("[", "]") or following[:1] in ("[", "]")):
            raise ValueError(f"{where}: a [ or ] right next to the placeholder {{{name}}}")


# ---------------------------------------------------------------------------------------------
# The handout files


def _strings_at(data: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text of a handout file's data, with its key path ("results.had")."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings_at(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple):
        for index, item in enumerate(data):
            yield from _strings_at(item, f"{path}[{index}]")


def strings_of(data: object, path: str = "") -> list[str]:
    """Every text of a handout file's data, in order."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for key, value in data.items() for text in strings_of(value, f"{path}.{key}")]
    if isinstance(data, list | tuple):
        return [text for item in data for text in strings_of(item, path)]
    return []


def _shape_differences(first: object, second: object, path: str, against: str) -> str | None:
    """Where two languages' texts differ in shape: keys, list lengths, placeholders, citations.

    ``against`` names the file of ``first``, the language the others are held to.

    The same keys are already enforced by the model; this also keeps every language's
    {placeholders} and [[citations]] identical, so the pages show the same numbers and
    references in every language.
    """
    if isinstance(first, dict) and isinstance(second, dict):
        if list(first) != list(second):
            return f"{path or '(top)'}: keys differ from {against}"
        for key in first:
            problem = _shape_differences(
                first[key], second[key], f"{path}.{key}".lstrip("."), against
            )
            if problem:
                return problem
        return None
    if isinstance(first, list | tuple) and isinstance(second, list | tuple):
        if len(first) != len(second):
            return f"{path}: has {len(second)} entries, {against} has {len(first)}"
        for index, (one, other) in enumerate(zip(first, second, strict=True)):
            problem = _shape_differences(one, other, f"{path}[{index}]", against)
            if problem:
                return problem
        return None
    if isinstance(first, str) and isinstance(second, str):
        if _placeholders(first) != _placeholders(second):
            return f"{path}: {{placeholders}} differ from {against}"
        if sorted(set(citation_marks(first))) != sorted(set(citation_marks(second))):
            return f"{path}: [[citations]] differ from {against}"
    return None


def check_handout(
    handout: dict[Language, HandoutText], pack: PackInfo, evidence: EvidenceLibrary
) -> None:
    """Cross-checks the handout files against each other, pack.yaml and the evidence library.

    Raises:
        ContentError: naming the handout file at fault.
    """
    from decision_aid.content.handout_text import TEMPLATES

    # The first language the pack offers (English, where it does) is the one the others are
    # held to, and the one whose pack_texts must say what pack.yaml says.
    reference = next(iter(handout))
    first = handout[reference]
    for language, text in handout.items():
        name = handout_file(language)
        for where, words in _strings_at(text.model_dump()):
            try:
                check_template(words, TEMPLATES.get(where), where)
                _check_citation_marks(words, where)
            except ValueError as error:
                raise ContentError(name, str(error)) from None
        for index, picture in enumerate(text.results.pictures):
            for figure_id in picture.times:
                where = f"results.pictures[{index}].times.{figure_id}"
                figure = evidence.figures.get(figure_id)
                if figure is None:
                    raise ContentError(name, f"{where} is not a figure in {EVIDENCE_FILE}")
                if len(picture.arms) != len(figure.arms):
                    raise ContentError(
                        name,
                        f"{where}: the picture names {len(picture.arms)} groups, "
                        f"the figure has {len(figure.arms)}",
                    )
                # A picture draws the real group, one icon per person: it needs the counts.
                if any(arm.events is None for arm in figure.arms):
                    raise ContentError(
                        name, f"{where}: the figure gives a percent, not counts to draw"
                    )
        cited = {key for words in strings_of(text.model_dump()) for key in citation_marks(words)}
        # A key the evidence library lacks is refused on its own, with its own words.
        unnamed = sorted((cited & set(evidence.sources)) - set(text.source_names))
        if unnamed:
            raise ContentError(name, f"source_names has no name for {', '.join(unnamed)}")
        unknown = sorted(set(text.source_names) - set(evidence.sources))
        if unknown:
            raise ContentError(
                name, f"source_names names {', '.join(unknown)}: not sources in {EVIDENCE_FILE}"
            )
        if language is not reference:
            problem = _shape_differences(
                first.model_dump(), text.model_dump(), "", handout_file(reference)
            )
            if problem:
                raise ContentError(name, problem)
    # Every language's pack_texts against pack.yaml: the first language's own words, every
    # other language's by the pack.yaml words it was translated from.
    for language, text in handout.items():
        name = handout_file(language)
        said: PackYamlTexts
        if language is reference:
            said, where = text.pack_texts, "pack_texts"
        elif text.pack_texts.translated_from is None:
            raise ContentError(
                name,
                "pack_texts.translated_from is missing: a translation of pack.yaml's texts "
                f"names the {PACK_FILE} words it translates (copy {PACK_FILE}'s "
                f"{', '.join(_PACK_YAML_FIELDS)} there), so that a change to {PACK_FILE} is "
                "caught in every language",
            )
        else:
            said, where = text.pack_texts.translated_from, "pack_texts.translated_from"
        for field_name in _PACK_YAML_FIELDS:
            if _plain(getattr(said, field_name)) == _pack_yaml_words(pack, field_name):
                continue
            if language is reference:
                raise ContentError(name, f"{where}.{field_name} must match {PACK_FILE}")
            raise ContentError(
                name,
                f"{where}.{field_name} does not match {PACK_FILE}: its {field_name} changed "
                f"since pack_texts.{field_name} was translated; translate it again and copy "
                f"{PACK_FILE}'s {field_name} to {where}.{field_name}",
            )
        if language not in pack.reading_level:
            raise ContentError(
                PACK_FILE,
                f"reading_level has no {language.value}: measure this version's "
                f"{handout_file(language)} handout and write it there",
            )
        if language is not reference and (text.pack_texts.funded_by == FUNDED_BY_NONE) != (
            pack.funded_by == FUNDED_BY_NONE
        ):
            raise ContentError(
                name, f"pack_texts.funded_by is {FUNDED_BY_NONE} exactly when {PACK_FILE}'s is"
            )


def _plain(value: object) -> object:
    """A pack text as compared: its whitespace collapsed, in lists and models too."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, BaseModel):
        return _plain(value.model_dump())
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _pack_yaml_words(pack: PackInfo, field_name: str) -> object:
    """What pack.yaml says for a field of pack_texts: a reviewer's words without the date
    and the patient mark, which are not translated."""
    if field_name == "reviewers":
        return [
            {"role": _plain(reviewer.role), "qualification": _plain(reviewer.qualification)}
            for reviewer in pack.reviewers
        ]
    return _plain(getattr(pack, field_name))


# The pack.yaml fields that every language's pack_texts says (content.handout_text.PackTexts).
_PACK_YAML_FIELDS: Final = (
    "name",
    "authors",
    "reviewers",
    "funded_by",
    "conflicts",
    "review_policy",
    "evidence_method",
    "research_date",
)
