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


_FONT_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.ttf$")
# How a TrueType or OpenType font file starts (its sfnt version).
_FONT_MARKS: Final = (b"\x00\x01\x00\x00", b"true", b"OTTO")


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
