"""The handout's subset fonts cover every character the shipped handout texts use."""

from __future__ import annotations

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from decision_aid.content import font_bytes
from tests.helpers import REPO


@pytest.mark.parametrize("font", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
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
