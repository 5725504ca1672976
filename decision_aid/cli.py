"""The ``decision-aid`` command (design.md section 9).

With no arguments it opens the window; its subcommands serve scripts and a clinic's IT. Bad
input ends with exit status 2 and one line naming the file and the field, never a traceback.
The subcommands that do not open a window never import Qt, and only ``handout`` imports
reportlab, so each one starts quickly.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final, NoReturn

from decision_aid.consult import ConsultError, Language
from decision_aid.content import Content, ContentError, load_content
from decision_aid.files import OutputError, read_consult_file, write_atomic

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from decision_aid.consult import Consult
    from decision_aid.content import QuestionBook
    from decision_aid.rules import Assessment

PROGRAM: Final = "decision-aid"
EXIT_BAD_INPUT: Final = 2
EXIT_BROKEN_INSTALL: Final = 3


class CommandError(Exception):
    """A user-facing failure: printed as one line, then the program exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


def _load_content() -> Content:
    try:
        return load_content()
    except ContentError as error:
        raise CommandError(f"content pack: {error}", EXIT_BROKEN_INSTALL) from None


def _read_consult(path: str) -> Consult:
    try:
        return read_consult_file(Path(path))
    except ConsultError as error:
        raise CommandError(str(error)) from None


# ---------------------------------------------------------------------------------------------
# decision-aid assess


def _assess_command(arguments: argparse.Namespace) -> int:
    from decision_aid.rules import assess

    consult = _read_consult(arguments.file)
    content = _load_content()
    assessment = assess(consult, content)
    if arguments.json:
        print(json.dumps(assessment.as_json(), indent=2, ensure_ascii=False))
    else:
        print(format_assessment(assessment, content))
    return 0


def format_assessment(assessment: Assessment, content: Content) -> str:
    """The assessment as plain text for a terminal: status, urgent items, findings, gaps."""
    rulebook, questions = content.rulebook, content.questions
    lines = [
        f"Status: {rulebook.statuses[assessment.status]}",
        f"  {rulebook.status_explanations[assessment.status]}",
    ]
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
                f"{questions.label(path)} = {_answer_text(questions, path, value)}"
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


def _answer_text(questions: QuestionBook, path: str, value: object) -> str:
    if isinstance(value, list):
        return ", ".join(questions.option_label(path, str(item)) for item in value) or "none"
    if value is None:
        return "not given"
    return questions.option_label(path, str(value))


# ---------------------------------------------------------------------------------------------
# decision-aid handout

# The paper sizes by name; the same values as decision_aid.handout.Paper, repeated here so
# that building the parser does not import the handout package.
PAPERS: Final = ("letter", "a4")


def _handout_command(arguments: argparse.Namespace) -> int:
    from decision_aid.handout import Paper, render_handout
    from decision_aid.rules import assess

    consult = _read_consult(arguments.file)
    content = _load_content()
    language = Language(arguments.lang) if arguments.lang else consult.patient.handout_language
    try:
        pdf = render_handout(
            consult, assess(consult, content), content, language, Paper(arguments.paper)
        )
    except ContentError as error:
        raise CommandError(f"content pack: {error}", EXIT_BROKEN_INSTALL) from None
    try:
        write_atomic(Path(arguments.output), pdf)
    except OutputError as error:
        raise CommandError(str(error)) from None
    return 0


# ---------------------------------------------------------------------------------------------
# The parser and the entry point


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description=(
            "Clinician decision aid for consults about IV ketamine infusions for "
            "fibromyalgia. With no command, opens the window."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    assess_parser = commands.add_parser("assess", help="print the assessment of a consult file")
    assess_parser.add_argument("file", metavar="FILE", help="a *.consult.json file")
    assess_parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of text"
    )
    assess_parser.set_defaults(handler=_assess_command)

    handout_parser = commands.add_parser(
        "handout", help="write the patient handout of a consult file as a PDF"
    )
    handout_parser.add_argument("file", metavar="FILE", help="a *.consult.json file")
    handout_parser.add_argument(
        "-o", "--output", metavar="OUT.pdf", required=True, help="the PDF file to write"
    )
    handout_parser.add_argument(
        "--lang",
        choices=[language.value for language in Language],
        help="the handout's language (default: the consult's patient.handout_language)",
    )
    handout_parser.add_argument(
        "--paper", choices=PAPERS, default=PAPERS[0], help="paper size (default: letter)"
    )
    handout_parser.set_defaults(handler=_handout_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command; returns the exit status (0 success, 2 bad input, 3 broken install)."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(arguments, "handler", None)
    try:
        if handler is None:
            raise CommandError("the window is not built yet; use a subcommand (see --help)", 1)
        return handler(arguments)
    except CommandError as error:
        _fail(str(error), error.code)
    except KeyboardInterrupt:
        return 130


def _fail(message: str, code: int) -> NoReturn:
    print(f"{PROGRAM}: error: {message}", file=sys.stderr)
    raise SystemExit(code)


if __name__ == "__main__":
    sys.exit(main())
