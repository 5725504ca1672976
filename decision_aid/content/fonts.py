"""The pack's two fonts: embedded in the handout, and given to the window so that it is
readable on a machine without system fonts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Final

from decision_aid.content.base import ContentError
from decision_aid.content.loader import MAX_FONT_BYTES, builtin_pack, read_pack_bytes

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

FONTS_FOLDER: Final = "fonts"
REGULAR_FONT_FILE: Final = "DejaVuSans.ttf"
BOLD_FONT_FILE: Final = "DejaVuSans-Bold.ttf"
# The handout's faces: DejaVu Sans at nine tenths of its width, its letters and their large
# x-height unchanged. At 12 pt body text the design's four pages need every tenth of the
# width (docs/design.md, "The handout's typeface"); the window keeps the full width.
HANDOUT_REGULAR_FONT_FILE: Final = "DejaVuSansCondensed.ttf"
HANDOUT_BOLD_FONT_FILE: Final = "DejaVuSansCondensed-Bold.ttf"


_FONT_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.ttf$")
# How a TrueType or OpenType font file starts (its sfnt version).
_FONT_MARKS: Final = (b"\x00\x01\x00\x00", b"true", b"OTTO")


def handout_font_files(pack: str | Path | None = None) -> tuple[str, str]:
    """The file names of the handout's regular and bold faces in this pack.

    The built-in pack's condensed faces, unless a clinic pack's own ``fonts/`` replaces the
    window's faces without giving condensed ones: then the clinic's faces, as it chose them.
    """
    if pack is not None:
        folder = Path(pack) / FONTS_FOLDER
        if folder.is_dir() and not (folder / HANDOUT_REGULAR_FONT_FILE).exists():
            return REGULAR_FONT_FILE, BOLD_FONT_FILE
    return HANDOUT_REGULAR_FONT_FILE, HANDOUT_BOLD_FONT_FILE


def font_bytes(name: str, pack: str | Path | None = None) -> bytes:
    """The bytes of one TrueType font of the content pack, for embedding in a handout.

    A clinic pack may bring its own ``fonts/`` folder; without one, the fonts come from the
    built-in pack, so a clinic need not copy them.

    Args:
        name: the font file name, such as ``DejaVuSans.ttf``.
        pack: the folder of the pack in use (``Content.location``); None for the built-in one.

    Raises:
        ContentError: the name is not a plain ``.ttf`` file name, or the file is missing, is
            not a regular file, is over 20 MB or does not start as a TrueType or OpenType font.
    """
    label = f"{FONTS_FOLDER}/{name}"
    if not _FONT_NAME.match(name):
        raise ContentError(label, "not a .ttf file name")
    folder: Traversable | Path = builtin_pack() / FONTS_FOLDER
    if pack is not None and (Path(pack) / FONTS_FOLDER).is_dir():
        folder = Path(pack) / FONTS_FOLDER
    data = read_pack_bytes(folder / name, label, MAX_FONT_BYTES, f"missing from {folder}")
    if not data.startswith(_FONT_MARKS):
        raise ContentError(label, "not a TrueType or OpenType font")
    return data
