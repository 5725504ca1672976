"""The handout's fonts: the subset fonts cover every character the shipped handout texts use,
a clinic pack's own fonts/ replaces the built-in ones, and nothing else is read as a font."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from decision_aid.consult import Language
from decision_aid.content import ContentError, font_bytes, load_content
from tests.helpers import REPO, copy_pack, safe_consult
from tests.unit.handout.handout_helpers import TODAY

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    "font",
    [
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSansCondensed.ttf",
        "DejaVuSansCondensed-Bold.ttf",
    ],
)
def test_every_handout_character_has_a_glyph(font: str) -> None:
    import io

    covered = set(TTFont("probe", io.BytesIO(font_bytes(font))).face.charToGlyph)
    used = {
        ord(character)
        for path in (REPO / "resources" / "handout").glob("*.yaml")
        for character in path.read_text(encoding="utf-8")
        if not character.isspace()
    }
    # The ballot boxes and bullet are drawn by the renderer, not written in the texts.
    used |= {ord("☐"), ord("☑"), ord("•")}
    missing = sorted(chr(code) for code in used - covered)
    assert missing == []


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

    # No fonts/ of its own: the clinic pack's handout embeds the built-in handout faces.
    assert _embedded_fonts(clinic_handout()) == {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold"}
    # Its own fonts/ with the window's faces only: the handout embeds the clinic's choice.
    # The bold face as the regular font shows it.
    (pack / "fonts").mkdir()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        (pack / "fonts" / name).write_bytes((fonts / "DejaVuSans-Bold.ttf").read_bytes())
    assert _embedded_fonts(clinic_handout()) == {"DejaVuSans-Bold"}
    # With condensed faces of its own too, the handout takes those.
    for name in ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"):
        (pack / "fonts" / name).write_bytes((fonts / "DejaVuSansCondensed-Bold.ttf").read_bytes())
    assert _embedded_fonts(clinic_handout()) == {"DejaVuSansCondensed-Bold"}
    for name in ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"):
        (pack / "fonts" / name).unlink()
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
