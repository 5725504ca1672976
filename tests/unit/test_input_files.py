"""Inputs are read only as regular files (docs/design.md section 11).

A FIFO, a device or a folder given as a consult, a pack file or a font is refused with one line
and never read (a FIFO would block, /dev/zero never ends); files over their size limit are
refused; a font that is not TrueType names the font.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from decision_aid.consult import ConsultError
from decision_aid.content import ContentError, font_bytes, load_content
from decision_aid.files import read_consult_file
from tests.helpers import copy_pack
from tests.unit.file_kinds import EXAMPLE, FONTS, KINDS, deadline, one_line, run

if TYPE_CHECKING:
    from pathlib import Path


# -- inputs: the consult --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_consult_that_is_not_a_regular_file_is_refused(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "visit.consult.json"
    KINDS[kind](path)
    with deadline(), pytest.raises(ConsultError, match=r"not a regular file|is a folder"):
        read_consult_file(path)
    code, err = run(capsys, "assess", str(path))
    assert code == 2
    assert one_line(err).startswith(f"decision-aid: error: {path}: ")


@pytest.mark.parametrize("command", ["assess", "note", "handout", "fhir"])
def test_every_command_refuses_a_fifo_as_its_consult(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "visit.consult.json"
    os.mkfifo(path)
    output = ["-o", str(tmp_path / "out")] if command in ("handout", "fhir") else []
    code, err = run(capsys, command, str(path), *output)
    assert code == 2
    assert "not a regular file" in one_line(err)
    assert not (tmp_path / "out").exists()


# -- inputs: the pack's files and fonts -----------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["rules.yaml", "handout/es.yaml"])
def test_a_pack_file_that_is_not_a_regular_file_is_refused(
    kind: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = copy_pack(tmp_path / "pack")
    (pack / name).unlink()
    KINDS[kind](pack / name)
    with deadline(), pytest.raises(ContentError) as caught:
        load_content(pack)
    assert caught.value.file == name
    assert "\n" not in str(caught.value)
    code, err = run(capsys, "--content", str(pack), "assess", str(EXAMPLE))
    assert code == 3
    assert name in one_line(err)


def test_a_pack_file_over_5_mb_is_refused(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack")
    with (pack / "evidence.yaml").open("a", encoding="utf-8") as file:
        file.write("#" + "x" * 5_000_000 + "\n")
    with pytest.raises(ContentError, match=r"^evidence\.yaml: too large .*5 MB"):
        load_content(pack)


@pytest.mark.parametrize("kind", KINDS)
def test_a_font_that_is_not_a_regular_file_is_refused(kind: str, tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    KINDS[kind](fonts / "DejaVuSans.ttf")
    with deadline(), pytest.raises(ContentError) as caught:
        font_bytes("DejaVuSans.ttf", str(tmp_path))
    assert caught.value.file == "fonts/DejaVuSans.ttf"


@pytest.mark.parametrize(
    "data",
    [bytes(range(7, 256)) * 16, b"Just some text, saved as a .ttf file.\n", b"", b"OTT"],
    ids=["random", "text", "empty", "short"],
)
def test_a_font_that_is_not_truetype_is_refused(data: bytes, tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "DejaVuSans.ttf").write_bytes(data)
    with pytest.raises(ContentError, match=r"^fonts/DejaVuSans\.ttf: not a TrueType"):
        font_bytes("DejaVuSans.ttf", str(tmp_path))


@pytest.mark.parametrize(
    "data",
    [b"true" + b"\x00" * 200, b"\x00\x01\x00\x00" + bytes(range(256)) * 16, b"garbage"],
    ids=["magic-then-zeros", "magic-then-random", "no-magic"],
)
def test_handout_with_a_broken_font_exits_3_naming_the_font(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = copy_pack(tmp_path / "pack")
    # The handout's face (the window's is DejaVuSans.ttf).
    (pack / "fonts" / "DejaVuSansCondensed.ttf").write_bytes(data)
    out = tmp_path / "h.pdf"
    code, err = run(capsys, "--content", str(pack), "handout", str(EXAMPLE), "-o", str(out))
    assert code == 3, err
    assert "fonts/DejaVuSansCondensed.ttf" in one_line(err)
    assert not out.exists()


def test_fonts_with_the_truetype_and_opentype_marks_are_read(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for mark in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
        (fonts / "Mine.ttf").write_bytes(mark + b"rest")
        assert font_bytes("Mine.ttf", str(tmp_path)) == mark + b"rest"
    assert font_bytes("DejaVuSans.ttf") == (FONTS / "DejaVuSans.ttf").read_bytes()
