"""Parsing a pack file's YAML with bounds: no anchors or aliases, a limit on its size and depth.

A pack file is data from a clinic's folder; these limits keep a hostile file from costing
unbounded time, memory or stack before its schema is ever checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from decision_aid.content.base import ContentError

if TYPE_CHECKING:
    from collections.abc import Iterator


def parse_yaml(text: str, name: str) -> Any:
    """Parses the YAML text of one pack file.

    Raises:
        ContentError: the text is not valid YAML; the message names the file, line and column.
    """
    # Imported here: a pack taken from the cache is never parsed, and start-up skips PyYAML.
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_events(yaml.parse(text, Loader=loader), name)
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise ContentError(name, f"invalid YAML{where}: {problem}") from None


# The bounds of one pack file's YAML. The built-in pack's largest file (evidence.yaml) has
# about 1,900 events and nests 6 deep, so these leave a wide margin; they keep a hostile
# file (a few KB that nest thousands deep, or millions of tiny entries) from costing
# unbounded time, memory or stack.
MAX_YAML_EVENTS: Final = 200_000
MAX_YAML_DEPTH: Final = 50


def _check_events(events: Iterator[Any], name: str) -> None:
    """Reads a file's YAML events before it is loaded, refusing anchors, aliases, excess,
    repeated keys and invisible characters.

    An alias makes a node appear again wherever it is named, so a file of a few KB can stand
    for billions of entries ("billion laughs"); a pack needs none, so any anchor or alias is
    refused here, before anything is built. A key given twice in one mapping would be read as
    its last value, silently (a second ``caution.liver`` or ``next_review``); a control or
    format character could hide or reorder what a text says (:func:`hidden_character`).

    Raises:
        ContentError: an anchor or alias, more than MAX_YAML_EVENTS events, nesting deeper
            than MAX_YAML_DEPTH, a repeated key, a key that is not text, or a control or
            format character in any text, naming the line and the key path.
    """
    import yaml

    # One frame per open collection: its key path, and for a mapping the keys seen so far and
    # whether the next node is a key ([path, keys or None, expecting a key, current key]).
    frames: list[list[Any]] = []
    for count, event in enumerate(events, start=1):
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ContentError(name, f"YAML anchors and aliases are not allowed (line {line})")
        if count > MAX_YAML_EVENTS:
            raise ContentError(
                name, f"too large: more than {MAX_YAML_EVENTS:,} YAML events (line {line})"
            )
        if isinstance(event, yaml.CollectionEndEvent):
            frames.pop()
            _value_done(frames)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        parent = frames[-1] if frames else None
        if parent is not None and parent[1] is not None and parent[2]:
            # A mapping's key: plain text, once.
            if not isinstance(event, yaml.ScalarEvent):
                raise ContentError(
                    name, f"{parent[0] or '(top level)'}: a key that is not text (line {line})"
                )
            key = event.value
            where = f"{parent[0]}.{key}" if parent[0] else key
            _check_characters(key, name, f"{where} (the key)", line)
            if key in parent[1]:
                raise ContentError(
                    name,
                    f"{where}: given twice in one mapping (line {line}); YAML would keep only "
                    "the last, so say it once",
                )
            parent[1].add(key)
            parent[2], parent[3] = False, key
            continue
        path = _child_path(parent)
        if isinstance(event, yaml.ScalarEvent):
            _check_characters(event.value, name, path or "(top level)", line)
            _value_done(frames)
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(frames) + 1 > MAX_YAML_DEPTH:
                raise ContentError(
                    name, f"nested more than {MAX_YAML_DEPTH} levels deep (line {line})"
                )
            mapping = isinstance(event, yaml.MappingStartEvent)
            frames.append([path, set() if mapping else None, True, -1])


def _child_path(parent: list[Any] | None) -> str:
    """The key path of the node that comes next in ``parent``: "rules.caution.liver.title",
    "steps[2]"."""
    if parent is None:
        return ""
    if parent[1] is not None:
        return f"{parent[0]}.{parent[3]}" if parent[0] else str(parent[3])
    return f"{parent[0]}[{parent[3] + 1}]"


def _value_done(frames: list[list[Any]]) -> None:
    """After a whole node: a mapping expects its next key, a sequence counts the item."""
    if not frames:
        return
    parent = frames[-1]
    if parent[1] is not None:
        parent[2] = True
    else:
        parent[3] += 1


# Characters no text of a pack may hold: C0 and C1 controls (a terminal's escape codes among
# them) but the line end, Unicode format characters (bidi controls, zero-width spaces and
# joiners, soft hyphens, the byte-order mark), line and paragraph separators, surrogates and
# private-use characters. Each can hide or reorder what a text shows, on a screen, on paper or
# in a terminal; no pack needs one.
_HIDDEN_CATEGORIES: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})


def hidden_character(text: str) -> int | None:
    """The index of the first character of ``text`` that may not appear in a pack, or None."""
    import unicodedata

    # Fast for the usual text: str.isprintable is False for every character above (and for
    # spaces other than " ", which the loop lets through).
    if text.replace("\n", "").isprintable():
        return None
    for index, character in enumerate(text):
        if character != "\n" and unicodedata.category(character) in _HIDDEN_CATEGORIES:
            return index
    return None


def _check_characters(text: str, name: str, where: str, line: int) -> None:
    import unicodedata

    index = hidden_character(text)
    if index is None:
        return
    character = text[index]
    label = unicodedata.name(character, "") or "(a control character)"
    raise ContentError(
        name,
        f"{where}: holds U+{ord(character):04X} {label} at character {index + 1} (line "
        f"{line}): control and format characters are not allowed in a pack, as they can hide "
        "or reorder what a text shows",
    )
