"""`decision-aid handout`, the handout texts' validation, fonts and imports (the render time
is measured in bench/, not asserted here)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from decision_aid import cli
from decision_aid.consult import Language
from decision_aid.content import ContentError, font_bytes, load_content
from tests.helpers import EXAMPLES, REPO, content, copy_pack, run_python, safe_consult
from tests.unit.handout.handout_helpers import TODAY, all_text, render, texts

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


def test_handout_command_imports_no_qt(tmp_path: Path) -> None:
    out = tmp_path / "h.pdf"
    script = (
        "import sys\n"
        "import decision_aid.cli, decision_aid.rules, decision_aid.content, decision_aid.handout\n"
        "assert 'reportlab' not in sys.modules, 'reportlab imported too early'\n"
        f"code = decision_aid.cli.main(['handout', {str(EXAMPLE)!r}, '-o', {str(out)!r}])\n"
        "assert code == 0\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
    )
    run_python("-c", script, check=True)
    assert out.exists()


# -- content: the handout texts are validated like every pack file ------------------------


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("questions:\n", "questionz:\n", "questions"),
        (
            "counted: '{events} de {total} personas'",
            "counted: '{events} de {resultado} personas'",
            "results.counted",
        ),
        ("[[nct07230171]]", "[[pastrak2021]]", "citations"),
        ("  footer:", "  footer: [", "invalid YAML"),
    ],
)
def test_a_broken_spanish_file_refuses_to_load_and_is_named(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    pack = copy_pack(tmp_path / "pack", fonts=False)
    spanish = pack / "handout" / "es.yaml"
    text = spanish.read_text(encoding="utf-8")
    if old == "  footer:":
        text = text.replace("footer:", "footer: [", 1)
    else:
        assert old in text
        text = text.replace(old, new, 1)
    spanish.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(pack)
    assert caught.value.file == "handout/es.yaml"
    assert problem in str(caught.value)


def test_unknown_citation_in_a_handout_text_refuses_to_load(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack", fonts=False)
    for name in ("en.yaml", "es.yaml"):
        path = pack / "handout" / name
        text = path.read_text(encoding="utf-8").replace("[[wolfe2016]]", "[[nobody1999]]")
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="nobody1999"):
        load_content(pack)


def test_english_pack_texts_must_match_pack_yaml(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack", fonts=False)
    info = pack / "pack.yaml"
    info.write_text(
        info.read_text(encoding="utf-8").replace("no money ties", "some ties"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="pack_texts.conflicts") as caught:
        load_content(pack)
    assert caught.value.file == "handout/en.yaml"


def test_missing_handout_file_is_named(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack", fonts=False)
    (pack / "handout" / "es.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_content(pack)
    assert caught.value.file == "handout/es.yaml"


def _embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds, without the subset prefix ("AAAAAA+")."""
    import io

    import pypdf

    names = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        fonts: Any = resources["/Font"]
        names |= {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts.values()}
    return names


def test_fonts_come_from_the_built_in_pack_unless_the_clinic_pack_has_its_own(
    tmp_path: Path,
) -> None:
    from decision_aid.handout import render_handout
    from decision_aid.rules import assess

    fonts = REPO / "resources" / "fonts"
    pack = copy_pack(tmp_path / "pack", fonts=False)
    assert font_bytes("DejaVuSans.ttf", str(pack)) == (fonts / "DejaVuSans.ttf").read_bytes()
    clinic_pack = load_content(pack)
    assert clinic_pack.location == str(pack)
    consult = safe_consult()

    def clinic_handout() -> bytes:
        assessment = assess(consult, clinic_pack)
        return render_handout(consult, assessment, clinic_pack, Language.EN, today=TODAY)

    # No fonts/ of its own: the clinic pack's handout embeds the built-in fonts.
    assert _embedded_fonts(clinic_handout()) == {"DejaVuSans", "DejaVuSans-Bold"}
    # Its own fonts/: the handout embeds those. The bold face as the regular font shows it.
    (pack / "fonts").mkdir()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        (pack / "fonts" / name).write_bytes((fonts / "DejaVuSans-Bold.ttf").read_bytes())
    assert _embedded_fonts(clinic_handout()) == {"DejaVuSans-Bold"}
    # A file that starts as a TrueType font but is none is read, then refused by name.
    (pack / "fonts" / "DejaVuSans.ttf").write_bytes(b"true, but not a font")
    assert font_bytes("DejaVuSans.ttf", str(pack)) == b"true, but not a font"
    with pytest.raises(ContentError, match="not a usable TrueType font") as caught:
        clinic_handout()
    assert caught.value.file == "fonts/DejaVuSans.ttf"
    assert (fonts / "LICENSE").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("name", ["../pack.yaml", "fonts/x.ttf", "DejaVuSans.otf", "missing.ttf"])
def test_font_bytes_refuses_other_files(name: str) -> None:
    with pytest.raises(ContentError):
        font_bytes(name)


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
    from decision_aid.handout import PageCount, Paper, count_pages
    from decision_aid.rules import assess

    consult = safe_consult()
    assessment = assess(consult, content())
    normal = count_pages(consult, assessment, content(), Language.EN, Paper.LETTER)
    large = count_pages(consult, assessment, content(), Language.EN, Paper.LETTER, large_print=True)
    assert normal == PageCount(pages=4, limit=4)
    assert normal.fits
    assert large.limit == 6
    assert normal.pages < large.pages <= large.limit
    assert not PageCount(pages=5, limit=4).fits
