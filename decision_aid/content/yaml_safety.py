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
    """Reads a file's YAML events before it is loaded, refusing anchors, aliases and excess.

    An alias makes a node appear again wherever it is named, so a file of a few KB can stand
    for billions of entries ("billion laughs"); a pack needs none, so any anchor or alias is
    refused here, before anything is built.

    Raises:
        ContentError: an anchor or alias, more than MAX_YAML_EVENTS events or nesting deeper
            than MAX_YAML_DEPTH, naming the line.
    """
    import yaml

    depth = 0
    for count, event in enumerate(events, start=1):
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ContentError(name, f"YAML anchors and aliases are not allowed (line {line})")
        if count > MAX_YAML_EVENTS:
            raise ContentError(
                name, f"too large: more than {MAX_YAML_EVENTS:,} YAML events (line {line})"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise ContentError(
                    name, f"nested more than {MAX_YAML_DEPTH} levels deep (line {line})"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
