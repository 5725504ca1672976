"""``decision-aid plan``: the patient page "Your plan" of a consult file, as a tagged PDF or
one HTML file (docs/design.md section 13.5; docs/design.md "The plan page").

Kept out of ``cli.py`` (its 600 lines), which adds this parser to its own and shares its
helpers with it: reading the consult and the pack, checking the output, writing it, and the
one-line errors. Never imports Qt; reportlab only once a page is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from decision_aid.consult import Paper
from decision_aid.file_arguments import HANDOUT_FORMATS, FormatMismatch, handout_format

if TYPE_CHECKING:
    import argparse

__all__ = ["add_plan_parser"]


def add_plan_parser(
    commands: argparse._SubParsersAction[Any],
    pack_option: argparse.ArgumentParser,
) -> None:
    """Adds the ``plan`` command to the program's commands."""
    parser = commands.add_parser(
        "plan",
        parents=[pack_option],
        help='write the patient page "Your plan" of a consult with a trial plan (PDF or HTML)',
    )
    parser.add_argument("file", metavar="FILE", help="a *.consult.json file with a trial plan")
    parser.add_argument(
        "-o", "--output", metavar="OUT", required=True, help="the file to write (.pdf or .html)"
    )
    parser.add_argument(
        "--format",
        choices=HANDOUT_FORMATS,
        default=None,
        help="pdf or html (default: as the -o file's suffix says, else pdf)",
    )
    # Not argparse choices: the languages are the content pack's, which is not loaded yet.
    parser.add_argument(
        "--lang",
        metavar="CODE",
        help=(
            "the page's language, one the content pack offers, such as en "
            "(default: the consult's patient.handout_language)"
        ),
    )
    papers = tuple(paper.value for paper in Paper)
    parser.add_argument(
        "--paper", choices=papers, default=papers[0], help="paper size (default: letter)"
    )
    parser.add_argument(
        "--large-print",
        action="store_true",
        help="16 pt body text, on two pages, for readers with low vision",
    )
    parser.set_defaults(handler=_plan_command)


def _plan_command(arguments: argparse.Namespace) -> int:
    # cli imports this module; its helpers are read here, when the command runs.
    from decision_aid import cli
    from decision_aid.content import ContentError
    from decision_aid.handout import render_plan, render_plan_html
    from decision_aid.handout.plan import NoPlan, plan_sheet

    output = cli._output_path(arguments.output, arguments.file)
    try:
        html = handout_format(arguments.output, arguments.format) == "html"
    except FormatMismatch as error:
        raise cli.CommandError(str(error)) from None
    consult = cli._read_consult(arguments.file)
    try:
        # Only the plan is read: the page prints nothing else of the consult.
        sheet = plan_sheet(consult.plan)
    except NoPlan as error:
        if consult.plan is None:
            raise cli.CommandError(
                f"{arguments.file}: the consult has no trial plan, so there is no plan page "
                'to print (record one with "Make a trial plan" in the window)'
            ) from None
        raise cli.CommandError(
            f"{arguments.file}: the trial plan is not complete ({error}); complete it in the "
            "window to print its page"
        ) from None
    content = cli._load_content(arguments)
    language = cli._handout_language(arguments, consult, content)
    render = render_plan_html if html else render_plan
    try:
        document = render(
            sheet, content, language, Paper(arguments.paper), large_print=arguments.large_print
        )
    except ContentError as error:
        raise cli.CommandError(f"content pack: {error}", cli.EXIT_BROKEN_INSTALL) from None
    cli._write(output, document)
    return 0
