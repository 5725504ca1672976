"""Rendering and reading handouts in tests: one cached render per case, text per page."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import pypdf

from decision_aid.consult import Consult, Language
from decision_aid.handout import ClinicDetails, Paper, render_handout
from decision_aid.rules import assess
from tests import renders
from tests.helpers import content, example_paths
from tests.renders import example_handout

if TYPE_CHECKING:
    import datetime as dt

    from decision_aid.content.handout_text import HandoutText

# Before the built-in pack's next review (the overdue notice is tested on its own); the day of
# the shared renders too.
TODAY = renders.TODAY


def render(
    consult: Consult,
    lang: Language = Language.EN,
    paper: Paper = Paper.LETTER,
    clinic: ClinicDetails | None = None,
    today: dt.date = TODAY,
) -> bytes:
    return render_handout(
        consult, assess(consult, content()), content(), lang, paper, clinic, today=today
    )


def render_example(name: str, lang: Language, paper: Paper) -> bytes:
    """The handout of ``NAME`` (``resources/examples/NAME``, on TODAY): one render a run,
    shared with the gates (tests/renders.py)."""
    return example_handout(name.removesuffix(".consult.json"), lang, paper)


def example_names() -> list[str]:
    """The examples whose handouts differ: those of a trial plan and its course print their
    consults' handouts (tests/gates/test_example_handouts.py), so they are left out."""
    from tests.gates.gate_sets import COURSE_EXAMPLES

    return [
        path.name
        for path in example_paths()
        if path.name.removesuffix(".consult.json") not in COURSE_EXAMPLES
    ]


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed to single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def plain(text: str) -> str:
    """Page text without its citation numbers, to compare with :func:`words`."""
    return re.sub(r" ?\[\d+(?:, \d+)*\]", "", text)


def all_text(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


def words(text: str) -> str:
    """Handout text as :func:`plain` page text reads it: markup gone, whitespace collapsed."""
    text = re.sub(r" ?\[\[[^\]]*\]\]", "", text)
    text = text.replace("**", "")
    return " ".join(text.split())


def texts(lang: Language) -> HandoutText:
    return content().handout[lang]


CITATION = re.compile(r"\[(\d+(?:, \d+)*)\]")


def footer_text(lang: Language) -> str:
    pack = content().pack
    from decision_aid.handout._pdf import words_date

    return texts(lang).footer.format(
        pack=texts(lang).pack_texts.name,
        version=pack.version,
        published=words_date(pack.published, texts(lang)),
    )


# The footer's short content stamp: ten hexadecimal digits of the pack's hash.
_STAMP = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{10}(?![0-9A-Za-z])")


def running_text(pdf: bytes, lang: Language) -> str:
    """The handout's text without its footers: a block split across pages reads as one."""
    pages = pages_text(pdf)
    words_on_pages = []
    for number, page in enumerate(pages, start=1):
        page_of = texts(lang).page_of.format(page=number, pages=len(pages))
        page = page.replace(footer_text(lang), " ").replace(page_of, " ")
        words_on_pages.append(_STAMP.sub(" ", page))
    return " ".join(" ".join(words_on_pages).split())


def body_text(pdf: bytes, lang: Language) -> str:
    """The text a patient reads: everything before "About this handout", without footers
    and citation numbers."""
    text = running_text(pdf, lang)
    body = text[: text.index(texts(lang).about.title)]
    return " ".join(CITATION.sub("", body).split())
