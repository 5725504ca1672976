"""Each shipped example's handout rendered once for the whole test run, whichever module or
xdist worker asks for it first (docs/design.md section 10.1).

The gates over every example (tests/gates), the tagged-PDF checks and the handout's unit tests
read the same PDFs: an example in a language, on a paper, at a size, on the same day, without
clinic details. Each module kept its own cache in its own process, so a PDF was made up to three
times on one worker and again on the other. Here a render is kept in memory and, when the run
gives a folder for it (tests/conftest.py sets :data:`FOLDER_VARIABLE` for the run and removes the
folder after), on disk for the other workers. A test of determinism renders afresh with
:func:`render_example_handout`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Final

from decision_aid.files import read_consult_file
from decision_aid.handout import Paper, render_handout
from decision_aid.rules import assess
from tests.helpers import EXAMPLES, content

if TYPE_CHECKING:
    from decision_aid.consult import Language

# Before the built-in pack's next review, so that no overdue notice shows unless asked for.
TODAY: Final = dt.date(2026, 12, 1)

# The folder the run's workers share their renders through; unset, each process renders alone.
FOLDER_VARIABLE: Final = "DECISION_AID_TEST_RENDERS"


def render_example_handout(
    name: str, lang: Language, paper: Paper = Paper.LETTER, *, large_print: bool = False
) -> bytes:
    """A fresh render of ``resources/examples/NAME.consult.json``'s handout, on :data:`TODAY`."""
    consult = read_consult_file(EXAMPLES / f"{name}.consult.json")
    return render_handout(
        consult,
        assess(consult, content()),
        content(),
        lang,
        paper,
        None,
        TODAY,
        large_print=large_print,
    )


@functools.cache
def example_handout(
    name: str, lang: Language, paper: Paper = Paper.LETTER, *, large_print: bool = False
) -> bytes:
    """The example's handout as :func:`render_example_handout` makes it, made once a run."""
    folder = os.environ.get(FOLDER_VARIABLE)
    if not folder:
        return render_example_handout(name, lang, paper, large_print=large_print)
    size = "large" if large_print else "normal"
    stored = Path(folder) / f"{name}.{lang.value}.{paper.value}.{size}.pdf"
    if stored.is_file():
        return stored.read_bytes()
    pdf = render_example_handout(name, lang, paper, large_print=large_print)
    # Written whole under another name, then renamed: a worker reading at the same moment
    # finds no file (and renders it too) or the whole PDF, never a part.
    handle, part = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(pdf)
    Path(part).replace(stored)
    return pdf
