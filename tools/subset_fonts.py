"""Makes the pack's fonts: DejaVu Sans (the window's) and DejaVu Sans Condensed (the
handout's, from Debian's fonts-dejavu-extra) cut down to the scripts a handout can need.

reportlab reads a TrueType font's tables for every glyph each time a process registers it;
the full DejaVu Sans (about 6,000 glyphs) cost about 130 ms per handout command. The subset
keeps Latin (Basic, Latin-1, Extended-A), general punctuation, currency, arrows, maths
operators, geometric shapes and ballot boxes: more than English and Spanish handouts use, so a
clinic's edited texts keep working. tests/unit/content/test_fonts.py checks that every
character of the shipped handout texts is in the fonts.

Run once, with fontTools (not a dependency of decision-aid):
    python -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools
    /tmp/ft/bin/python tools/subset_fonts.py /usr/share/fonts/truetype/dejavu resources/fonts

DejaVu's licence (resources/fonts/LICENSE) allows modified copies; the subset keeps the
DejaVu names, which the licence does not restrict (it restricts "Bitstream" and "Vera").
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement: á é í ó ú ñ ü ¿ ¡ °
    (0x0100, 0x017F),  # Latin Extended-A
    (0x2010, 0x205E),  # General Punctuation: dashes, quotes, bullet, ellipsis
    (0x20A0, 0x20BF),  # Currency
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical operators: ≤ ≥ ± ×
    (0x25A0, 0x25FF),  # Geometric shapes: ■ □ ▲ ●
    (0x2610, 0x2612),  # Ballot boxes: ☐ ☑ ☒
    (0x2713, 0x2714),  # Check marks
)

FACES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold.ttf",
)


def main(source: Path, target: Path) -> None:
    unicodes = [code for low, high in RANGES for code in range(low, high + 1)]
    for name in FACES:
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.hinting = True
        font = subset.load_font(str(source / name), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        subset.save_font(font, str(target / name), options)
        print(f"{name}: {(target / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
