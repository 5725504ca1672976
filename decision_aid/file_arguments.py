"""``decision-aid FILE``: which command-line argument is a consult file to open in the window
(the desktop file's ``Exec=decision-aid %f``, a file manager's double-click), and which is a
subcommand (docs/design.md section 9); and which format a handout file's name asks for."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

# The subcommands: a first argument that is none of them is a consult file to open.
COMMANDS: Final = ("assess", "handout", "note", "fhir")
# The options before the command that take a value.
VALUE_OPTIONS: Final = ("--content",)


def split_consult_file(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """``decision-aid [options] FILE``: the arguments without FILE, and FILE.

    The first argument that is not an option (nor an option's value) is a subcommand, or
    else, when it names a file that exists or ends with ``.json``, the consult file to open
    in the window (the desktop file's ``Exec=decision-aid %f``, a double-click in a file
    manager); a word that is neither is left for argparse to call an invalid command. After
    ``--`` the argument is a file name.
    """
    rest = list(argv)
    index = 0
    while index < len(rest):
        argument = rest[index]
        if argument == "--":
            if index + 1 < len(rest):
                return rest[:index] + rest[index + 2 :], rest[index + 1]
            return rest[:index], None
        if argument in VALUE_OPTIONS:
            index += 2
            continue
        if argument.startswith("-") and argument != "-":
            index += 1
            continue
        if argument in COMMANDS or not _names_a_file(argument):
            return rest, None  # a command, or a mistyped one: argparse says which exist
        return rest[:index] + rest[index + 1 :], argument
    return rest, None


def other_consult_files(argv: list[str]) -> tuple[list[str], list[str]]:
    """After ``decision-aid FILE``, more file names: the arguments without them, and them.
    An option's value (``--content FOLDER``) is the option's, not a file to open."""
    kept: list[str] = []
    others: list[str] = []
    value_next = False
    for argument in argv:
        if value_next or argument.startswith("-") or not _names_a_file(argument):
            kept.append(argument)
        else:
            others.append(argument)
        value_next = argument in VALUE_OPTIONS
    return kept, others


def _names_a_file(argument: str) -> bool:
    """A file that exists, or a name a consult file has (``*.json``): not a mistyped command."""
    return argument.lower().endswith(".json") or os.path.exists(argument)


# The handout's formats (docs/design.md section 9), the first the default, and the file
# suffixes each one's output is known by.
HANDOUT_FORMATS: Final = ("pdf", "html")
_HANDOUT_SUFFIXES: Final = {".pdf": "pdf", ".html": "html", ".htm": "html"}


class FormatMismatch(ValueError):
    """The handout format asked for is not the one the output file's name says."""


def format_of_name(name: str) -> str | None:
    """The handout format a file name's suffix says (``pdf``, ``html``), or None."""
    return _HANDOUT_SUFFIXES.get(os.path.splitext(name)[1].lower())


def handout_format(output: str, chosen: str | None) -> str:
    """The format to write ``output`` in: the one chosen, else the one its suffix names,
    else the default (PDF).

    Raises:
        FormatMismatch: the chosen format and the suffix differ: a file named .pdf holding
            HTML would open in no PDF reader, and the reverse in no browser.
    """
    named = format_of_name(output)
    if chosen is None:
        return named or HANDOUT_FORMATS[0]
    if named is not None and named != chosen:
        raise FormatMismatch(
            f"-o {output}: the name says {named.upper()} but --format is {chosen}; "
            f"name the file .{chosen} or give --format {named}"
        )
    return chosen
