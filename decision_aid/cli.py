"""The ``decision-aid`` command (docs/design.md section 9).

With no arguments it opens the window; its subcommands serve scripts and a clinic's IT. Bad
input ends with exit status 2 and one line naming the file and the field, never a traceback.
The subcommands that do not open a window never import Qt, and only ``handout`` imports
reportlab, so each one starts quickly.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final, NoReturn

from decision_aid.consult import ConsultError, Paper
from decision_aid.content import (
    Content,
    ContentError,
    builtin_pack,
    describe_languages,
    load_content,
    pack_directory,
)
from decision_aid.file_arguments import (
    HANDOUT_FORMATS,
    FormatMismatch,
    handout_format,
    other_consult_files,
    split_consult_file,
)
from decision_aid.files import (
    OutputError,
    check_output,
    read_consult_file_upgrading,
    write_atomic,
)
from decision_aid.plan_command import add_plan_parser
from decision_aid.streams import reserve_closed_streams, silence_stdout, tolerant_output

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from decision_aid.consult import Consult, Language, Upgrade
    from decision_aid.rules import Assessment

PROGRAM: Final = "decision-aid"
EXIT_BAD_INPUT: Final = 2
EXIT_BROKEN_INSTALL: Final = 3
# The reader of the output went away before the end (a closed pipe): as most Unix tools do.
EXIT_OUTPUT_CLOSED: Final = 1


class CommandError(Exception):
    """A user-facing failure: printed as one line, then the program exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


def _load_content(arguments: argparse.Namespace) -> Content:
    """The pack named by --content, else $DECISION_AID_CONTENT, else the built-in one."""
    try:
        return load_content(pack_directory(option=arguments.content))
    except ContentError as error:
        raise CommandError(f"content pack: {error}", EXIT_BROKEN_INSTALL) from None


def _read_consult(path: str) -> Consult:
    return _read_consult_upgrading(path)[0]


def _read_consult_upgrading(path: str) -> tuple[Consult, Upgrade | None]:
    try:
        return read_consult_file_upgrading(Path(path))
    except ConsultError as error:
        raise CommandError(str(error)) from None


# ---------------------------------------------------------------------------------------------
# decision-aid assess


def _assess_command(arguments: argparse.Namespace) -> int:
    from decision_aid.rules import assess

    consult, upgrade = _read_consult_upgrading(arguments.file)
    content = _load_content(arguments)
    assessment = assess(consult, content)
    if arguments.json:
        data = assessment.as_json()
        data["schema_upgrade"] = (
            {
                "from_version": upgrade.from_version,
                "answer_again": list(upgrade.answer_again),
                # The older file's value of each answer read anew, as the file had it.
                "was": upgrade.was,
                "new_choices": list(upgrade.new_choices),
            }
            if upgrade
            else None
        )
        print(terminal_safe(json.dumps(data, indent=2, ensure_ascii=False), json_form=True))
    else:
        print(terminal_safe(format_assessment(assessment, content, upgrade)))
    return 0


def terminal_safe(text: str, *, json_form: bool = False) -> str:
    """Text as it may reach a terminal: control characters (a terminal's escape codes among
    them) but the line end and tab, and Unicode format characters (bidi controls, zero-width
    characters), shown as visible escapes (``\\x1b``, ``\\u200b``) instead of acting on the
    terminal. A pack with such a character is refused when it is loaded; this is the second
    guard (docs/design.md section 11).

    Args:
        text: what is about to be printed.
        json_form: the text is JSON (such characters only occur inside its strings): use the
            ``\\u`` escapes JSON reads back as the same character.
    """
    import unicodedata

    if text.replace("\n", "").replace("\t", "").isprintable():
        return text  # the usual case, at C speed: no control or format character at all

    def shown(character: str) -> str:
        if character in "\n\t" or unicodedata.category(character) not in _ACTING:
            return character
        if json_form:
            return json.dumps(character)[1:-1]
        # As Python writes it in a string literal: \\x1b, \\u200b, \\U000f0000.
        return repr(character)[1:-1]

    return "".join(shown(character) for character in text)


# What can act on a terminal instead of being shown: controls, format characters, line and
# paragraph separators, surrogates and private-use characters.
_ACTING: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})


def format_assessment(
    assessment: Assessment, content: Content, upgrade: Upgrade | None = None
) -> str:
    """The assessment as plain text for a terminal: status, urgent items, findings, gaps; for
    a file of an older schema version, first the questions it needs answered again."""
    from decision_aid.bounds import bounds_line
    from decision_aid.older_form import upgrade_lines

    rulebook, questions = content.rulebook, content.questions
    lines = []
    if upgrade:
        first, *rest = upgrade_lines(upgrade, questions, paths=True)
        lines += [first, *(f"  {line}" for line in rest), ""]
    lines += [
        f"Status: {rulebook.statuses[assessment.status]}",
        f"  {rulebook.status_explanations[assessment.status]}",
    ]
    if (bounds := bounds_line(assessment)) is not None:
        lines.append(f"  {bounds}")
    if assessment.urgent:
        lines.append("")
        lines.append("URGENT - act today:")
        lines.extend(f"  ! {finding.text}" for finding in assessment.urgent)
    lines.append("")
    lines.append("Findings:")
    for finding in assessment.findings:
        lines.append(f"  [{rulebook.levels[finding.level]}] {finding.title} ({finding.rule})")
        lines.append(f"      {finding.text}")
        if finding.fired_by:
            because = "; ".join(
                f"{questions.label(path)} = {questions.answer_text(path, value)}"
                for path, value in finding.fired_by.items()
            )
            lines.append(f"      Because: {because}")
        sources = ", ".join(content.evidence.sources[key].short for key in finding.citations)
        lines.append(f"      Sources: {sources}")
    if assessment.missing:
        lines.append("")
        lines.append("Still unknown (required):")
        lines.extend(f"  - {questions.label(path)} ({path})" for path in assessment.missing)
    lines.append("")
    lines.append(f"Content: {content.pack.name}, version {content.pack.version}")
    return "\n".join(lines)


def _course_command(arguments: argparse.Namespace) -> int:
    # Imported here: the course code is loaded only by the command that needs it.
    from decision_aid.course import assess_course, format_course

    consult = _read_consult(arguments.file)
    content = _load_content(arguments)
    assessment = assess_course(consult, content)
    if arguments.json:
        # With no plan, exactly {"status": null} (docs/design.md section 13.8).
        data = {"status": None} if assessment is None else assessment.as_json()
        indent = None if assessment is None else 2
        print(terminal_safe(json.dumps(data, indent=indent, ensure_ascii=False), json_form=True))
    else:
        print(terminal_safe(format_course(assessment, content)))
    return 0


# ---------------------------------------------------------------------------------------------
# decision-aid handout

# The paper sizes by name, from the consult's values, so that building the parser does not
# import the handout package.
PAPERS: Final = tuple(paper.value for paper in Paper)


def _handout_command(arguments: argparse.Namespace) -> int:
    from decision_aid.handout import render_handout, render_handout_html
    from decision_aid.rules import assess

    output = _output_path(arguments.output, arguments.file)
    try:
        html = handout_format(arguments.output, arguments.format) == "html"
    except FormatMismatch as error:
        raise CommandError(str(error)) from None
    render = render_handout_html if html else render_handout
    consult = _read_consult(arguments.file)
    content = _load_content(arguments)
    language = _handout_language(arguments, consult, content)
    try:
        document = render(
            consult,
            assess(consult, content),
            content,
            language,
            Paper(arguments.paper),
            large_print=arguments.large_print,
        )
    except ContentError as error:
        raise CommandError(f"content pack: {error}", EXIT_BROKEN_INSTALL) from None
    except Exception as error:
        from decision_aid.install_check import layout_problem

        problem = layout_problem(error, language)
        if problem is None:
            raise
        raise CommandError(f"content pack: {problem}", EXIT_BROKEN_INSTALL) from None
    _write(output, document)
    return 0


def _handout_language(
    arguments: argparse.Namespace, consult: Consult, content: Content
) -> Language:
    """The ``--lang`` language, else the consult's, if the pack offers it.

    Raises:
        CommandError: the pack has no handout in that language (a pack may offer only some
            of the program's languages; docs/design.md section 3).
    """
    offered = content.languages
    if arguments.lang:
        for language in offered:
            if language.value == arguments.lang:
                return language
        raise CommandError(
            f"--lang {arguments.lang}: the content pack has no handout in this language "
            f"(it offers {describe_languages(offered)})"
        )
    language = consult.patient.handout_language
    if language not in offered:
        raise CommandError(
            f"{arguments.file}: patient.handout_language is {language.value}, and the content "
            f"pack has no handout in this language (it offers {describe_languages(offered)}; "
            "give --lang)"
        )
    return language


# ---------------------------------------------------------------------------------------------
# decision-aid note, decision-aid fhir


def _note_command(arguments: argparse.Namespace) -> int:
    from decision_aid.note import clinician_note
    from decision_aid.rules import assess

    consult = _read_consult(arguments.file)
    content = _load_content(arguments)
    print(terminal_safe(clinician_note(consult, assess(consult, content), content)))
    return 0


def _fhir_command(arguments: argparse.Namespace) -> int:
    from decision_aid import fhir

    if arguments.questionnaire == bool(arguments.file):
        raise CommandError("fhir: give either FILE or --questionnaire (see --help)")
    output = _output_path(arguments.output, arguments.file)
    content = _load_content(arguments)
    if arguments.questionnaire:
        # --course: the visit Questionnaire that a Bundle's visit responses answer.
        made = fhir.visit_questionnaire if arguments.course else fhir.questionnaire
        resource = made(content)
    else:
        consult = _read_consult(arguments.file)
        if arguments.course:
            resource = fhir.course_bundle(consult, content)
        else:
            resource = fhir.questionnaire_response(consult, content)
            if consult.course:
                visits = len(consult.course)
                sys.stderr.write(
                    f"{PROGRAM}: fhir: the course ({visits} visit{'s' * (visits != 1)}) was "
                    "left out; give --course to write a Bundle with it\n"
                )
    _write(output, fhir.to_json(resource).encode())
    return 0


def _output_path(output: str, source: str | None) -> Path:
    """The ``-o`` file, checked before any work is done (docs/design.md section 11).

    Raises:
        CommandError: ``-`` (standard output), the input file itself (under any name, a link
            or a hard link), or a path that is a folder, a FIFO or a device.
    """
    if output == "-":
        raise CommandError("-o -: give a file name; writing to standard output is not supported")
    path = Path(output)
    try:
        same = source is not None and os.path.samefile(source, path)
    except OSError:
        same = False  # one of them does not exist (yet): not the same file
    if same:
        raise CommandError(f"{path}: is the input file; give another name for the output")
    try:
        check_output(path)
    except OutputError as error:
        raise CommandError(str(error)) from None
    return path


def _write(path: Path, data: bytes) -> None:
    # -o names the output outright, and a file there is replaced (docs/design.md section 9):
    # the user asked for it by name, as with cp or a compiler's -o.
    try:
        write_atomic(path, data, replace=True)
    except OutputError as error:
        raise CommandError(str(error)) from None


# ---------------------------------------------------------------------------------------------
# decision-aid --check-install


def _check_install(arguments: argparse.Namespace) -> int:
    """Prints the install check's lines; a failed check is a broken install (exit 3)."""
    from decision_aid.install_check import check_install

    ready = check_install(arguments.content, lambda line: print(terminal_safe(line)))
    return 0 if ready else EXIT_BROKEN_INSTALL


# ---------------------------------------------------------------------------------------------
# The parser and the entry point


class _Parser(argparse.ArgumentParser):
    """A usage error is one line, like any other bad input; the usage is on --help."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(PROGRAM).strip()
        _fail(f"{command + ': ' if command else ''}{message} (see --help)", EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROGRAM,
        description=(
            "Clinician decision aid for consults about IV ketamine infusions for "
            "fibromyalgia. With no command, opens the window; with a FILE "
            "(a *.consult.json file), opens that consult in it."
        ),
        usage=f"{PROGRAM} [options] [FILE | COMMAND ...]",
    )
    parser.add_argument(
        "--content",
        metavar="DIR",
        help="a clinic's content pack folder (default: $DECISION_AID_CONTENT, else built-in)",
    )
    parser.add_argument(
        "--exit-after-startup",
        action="store_true",
        help="open the window and quit as soon as it is ready (for timing and install scripts)",
    )
    parser.add_argument(
        "--check-install",
        action="store_true",
        help="check the content, the handout, the exports and the window, then exit",
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="print the program's version and the built-in content pack's version",
    )
    # --content is accepted before or after the command; SUPPRESS keeps a value given before.
    pack_option = _Parser(add_help=False)
    pack_option.add_argument("--content", metavar="DIR", default=argparse.SUPPRESS, help="as above")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog=PROGRAM)

    assess_parser = commands.add_parser(
        "assess", parents=[pack_option], help="print the assessment of a consult file"
    )
    assess_parser.add_argument("file", metavar="FILE", help="a *.consult.json file")
    assess_parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of text"
    )
    assess_parser.set_defaults(handler=_assess_command)

    course_parser = commands.add_parser(
        "course", parents=[pack_option], help="print the assessment of a consult's trial course"
    )
    course_parser.add_argument("file", metavar="FILE", help="a *.consult.json file")
    course_parser.add_argument("--json", action="store_true", help="print one JSON object")
    course_parser.set_defaults(handler=_course_command)

    handout_parser = commands.add_parser(
        "handout",
        parents=[pack_option],
        help="write the patient handout of a consult file as a PDF or one HTML file",
    )
    handout_parser.add_argument("file", metavar="FILE", help="a *.consult.json file")
    handout_parser.add_argument(
        "-o", "--output", metavar="OUT", required=True, help="the file to write (.pdf or .html)"
    )
    handout_parser.add_argument(
        "--format",
        choices=HANDOUT_FORMATS,
        default=None,
        help=(
            "pdf (the tagged PDF) or html (one file, nothing to download); "
            "default: as the -o file's suffix says, else pdf"
        ),
    )
    # Not argparse choices: the languages are the content pack's, which is not loaded yet.
    handout_parser.add_argument(
        "--lang",
        metavar="CODE",
        help=(
            "the handout's language, one the content pack offers, such as en "
            "(default: the consult's patient.handout_language)"
        ),
    )
    handout_parser.add_argument(
        "--paper", choices=PAPERS, default=PAPERS[0], help="paper size (default: letter)"
    )
    handout_parser.add_argument(
        "--large-print",
        action="store_true",
        help="16 pt body text, up to 6 pages, for readers with low vision",
    )
    handout_parser.set_defaults(handler=_handout_command)

    add_plan_parser(commands, pack_option)

    note_parser = commands.add_parser(
        "note",
        parents=[pack_option],
        help="print the clinician note of a consult file, for the health record",
    )
    note_parser.add_argument("file", metavar="FILE", help="a *.consult.json file")
    note_parser.set_defaults(handler=_note_command)

    fhir_parser = commands.add_parser(
        "fhir",
        parents=[pack_option],
        help="write a consult as a FHIR R4B QuestionnaireResponse, or the Questionnaire",
    )
    fhir_parser.add_argument("file", metavar="FILE", nargs="?", help="a *.consult.json file")
    fhir_parser.add_argument(
        "--questionnaire",
        action="store_true",
        help="write the Questionnaire that the responses answer, instead of a response",
    )
    fhir_parser.add_argument(
        "--course",
        action="store_true",
        help="with FILE: a Bundle of the consult and one response per visit of its course; "
        "with --questionnaire: the visit Questionnaire",
    )
    fhir_parser.add_argument(
        "-o", "--output", metavar="OUT.json", required=True, help="the JSON file to write"
    )
    fhir_parser.set_defaults(handler=_fhir_command)
    return parser


# The subcommands that print to standard output (the others write a file, or open the window).
_PRINTING: Final = (_assess_command, _course_command, _note_command)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command; returns the exit status (0 success, 2 bad input, 3 broken install)."""
    output_closed = reserve_closed_streams()
    tolerant_output()
    parser = build_parser()
    argv, consult_file = split_consult_file(sys.argv[1:] if argv is None else argv)
    if consult_file is not None:
        argv, others = other_consult_files(argv)
        if others:
            # One window opens one consult: the first; the others are named, not dropped
            # silently (a file manager's %f starts one process per file anyway).
            sys.stderr.write(
                f"{PROGRAM}: opening {terminal_safe(consult_file)} only; open the others one "
                f"at a time: {terminal_safe(', '.join(others))}\n"
            )
    arguments = parser.parse_args(argv)
    arguments.consult_file = consult_file
    if consult_file is not None and (
        getattr(arguments, "handler", None) or arguments.version or arguments.check_install
    ):
        _fail(f"{consult_file}: a file opens in the window only (see --help)", EXIT_BAD_INPUT)
    handler: Callable[[argparse.Namespace], int] | None = getattr(arguments, "handler", None)
    prints = arguments.version or arguments.check_install or handler in _PRINTING
    if output_closed and prints:
        _fail("the output could not be written (standard output is closed)", EXIT_BAD_INPUT)
    try:
        if arguments.version:
            return _print_version()
        if arguments.check_install:
            return _check_install(arguments)
        if handler is None:
            return _open_window(arguments)
        status = handler(arguments)
        if sys.stdout is not None:  # None: started with it closed, and nothing printed
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return status
    except CommandError as error:
        _fail(str(error), error.code)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader closed early (``decision-aid note X | head -1``): nothing more to say.
        silence_stdout()
        return EXIT_OUTPUT_CLOSED
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
            raise
        silence_stdout()
        _fail(f"the output could not be written ({error.strerror or error})", EXIT_BAD_INPUT)


def _print_version() -> int:
    from importlib.metadata import PackageNotFoundError, version

    try:
        program = version("decision-aid")
    except PackageNotFoundError:
        program = "(not installed)"
    try:
        content = load_content(builtin_pack())
    except ContentError as error:
        raise CommandError(f"built-in content pack: {error}", EXIT_BROKEN_INSTALL) from None
    pack = content.pack
    print(f"{PROGRAM} {program}; built-in content: {pack.name} {pack.version} ({content.stamp})")
    return 0


def _open_window(arguments: argparse.Namespace) -> int:
    """Starts the app; Qt is imported here, never by the other commands."""
    from decision_aid.display import display_problem

    # Checked before Qt starts: Qt aborts the process with a core dump when the display
    # cannot be reached.
    problem = display_problem()
    if problem:
        raise CommandError(problem, EXIT_BROKEN_INSTALL)
    try:
        from decision_aid.ui.app import run
    except ImportError as error:
        # Typically a system library Qt needs is missing (QT_DEBUG_PLUGINS=1 names it).
        raise CommandError(f"the window cannot start: {error}", EXIT_BROKEN_INSTALL) from None
    return run(
        arguments.content,
        exit_after_startup=arguments.exit_after_startup,
        consult_file=arguments.consult_file,
    )


def _fail(message: str, code: int) -> NoReturn:
    print(terminal_safe(f"{PROGRAM}: error: {message}"), file=sys.stderr)
    raise SystemExit(code)


if __name__ == "__main__":
    sys.exit(main())
