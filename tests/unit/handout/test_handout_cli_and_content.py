"""`decision-aid handout` run in this process, the handout in each language, a pack's words
that cannot fit, and the page count (the render time is measured in bench/, not asserted here;
the handout texts' validation and fonts are tested in tests/unit/content/, the command's
imports in tests/integration/test_import_boundaries.py)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from decision_aid import cli
from decision_aid.consult import Language
from decision_aid.content import ContentError, load_content
from tests.helpers import EXAMPLES, content, copy_pack, safe_consult
from tests.unit.handout.handout_helpers import all_text, render, texts

if TYPE_CHECKING:
    from pathlib import Path

EXAMPLE = EXAMPLES / "may-discuss.consult.json"
SPANISH_EXAMPLE = EXAMPLES / "crps-may-discuss-es.consult.json"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().err


def test_handout_command_writes_a_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "h.pdf"
    code, err = _run(capsys, "handout", str(EXAMPLE), "-o", str(out), "--paper", "a4")
    assert (code, err) == (0, "")
    assert out.read_bytes().startswith(b"%PDF")
    assert [path.name for path in tmp_path.iterdir()] == ["h.pdf"]


def test_language_defaults_to_the_consults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pypdf

    out = tmp_path / "h.pdf"
    assert _run(capsys, "handout", str(SPANISH_EXAMPLE), "-o", str(out))[0] == 0
    first = pypdf.PdfReader(out).pages[0].extract_text()
    assert texts(Language.ES).title in first
    assert texts(Language.EN).title not in first
    assert _run(capsys, "handout", str(SPANISH_EXAMPLE), "-o", str(out), "--lang", "en")[0] == 0
    first = pypdf.PdfReader(out).pages[0].extract_text()
    assert texts(Language.EN).title in first
    assert texts(Language.ES).title not in first


def test_bad_consult_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.consult.json"
    bad.write_text('{"safety": {"liver": "bad"}}', encoding="utf-8")
    out = tmp_path / "h.pdf"
    code, err = _run(capsys, "handout", str(bad), "-o", str(out))
    assert code == 2
    assert err.count("\n") == 1
    assert "bad.consult.json" in err
    assert "safety.liver" in err
    assert not out.exists()


@pytest.mark.parametrize("case", ["missing_folder", "is_a_folder", "read_only"])
def test_unwritable_output_exits_2_and_leaves_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = {
        "missing_folder": tmp_path / "nowhere" / "h.pdf",
        "is_a_folder": folder,
        "read_only": folder / "h.pdf",
    }[case]
    if case == "read_only":
        folder.chmod(0o500)
        if os.geteuid() == 0:
            # root writes through permissions: refuse the temporary file as the OS would.
            import tempfile

            def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
                raise PermissionError(13, "Permission denied")

            monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        code, err = _run(capsys, "handout", str(EXAMPLE), "-o", str(target))
    finally:
        folder.chmod(0o700)
    assert code == 2
    assert err.count("\n") == 1
    assert str(target) in err
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "nowhere").exists()


def test_every_example_language_renders_text_of_that_language() -> None:
    for lang in Language:
        assert texts(lang).decision in all_text(render(safe_consult(), lang))
    assert content().handout[Language.ES].results.counted == "{events} de {total} personas"


def test_a_pack_whose_table_words_cannot_fit_across_the_page_is_named(tmp_path: Path) -> None:
    from decision_aid.handout import render_handout
    from decision_aid.rules import assess

    pack = copy_pack(tmp_path / "pack", fonts=False)
    english = pack / "handout" / "en.yaml"
    # Four column headings of one 40-letter word each: wider together than any paper.
    word = "Counterrevolutionarily-uncharacteristic"
    text = english.read_text(encoding="utf-8")
    for heading in ("Condition", "How strong is the proof?", "How long did relief last?"):
        text = text.replace(f": {heading}\n", f": {word}\n", 1)
    english.write_text(text.replace(": Approved by the FDA?\n", f": {word}\n", 1), "utf-8")
    clinic_pack = load_content(pack)
    consult = safe_consult()
    with pytest.raises(ContentError, match=word) as caught:
        render_handout(consult, assess(consult, clinic_pack), clinic_pack, Language.EN)
    assert caught.value.file == "handout/en.yaml"


def test_count_pages_gives_the_pages_and_the_limit_of_each_size() -> None:
    from decision_aid.handout import PageCount, Paper, _pdf, count_pages
    from decision_aid.rules import assess

    consult = safe_consult()
    assessment = assess(consult, content())
    normal = count_pages(consult, assessment, content(), Language.EN, Paper.LETTER)
    large = count_pages(consult, assessment, content(), Language.EN, Paper.LETTER, large_print=True)
    assert normal.limit == _pdf.MAX_PAGES
    assert normal.fits
    assert large.limit == _pdf.MAX_LARGE_PAGES
    assert normal.pages < large.pages <= large.limit
    assert not PageCount(pages=5, limit=4).fits
