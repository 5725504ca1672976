"""Icon-array labels on one line and arrays side by side starting on the same line, whatever
the length of a pack's group names (docs/design.md section 6, design 6.1): a label too long
for half the width puts the arrays one under the other, never in smaller type."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from decision_aid.consult import Consult, Language
from decision_aid.content import load_content
from decision_aid.handout import Paper, render_handout
from decision_aid.rules import assess
from tests.gates.drawn import figure_shapes
from tests.gates.handout_pdf import read_pages
from tests.helpers import edit, example_data

if TYPE_CHECKING:
    from pathlib import Path

# A clinic's longer name for the placebo group: "Placebo (midazolam): 2 de 12 personas" does
# not fit half a large-print page at 16 pt.
LONG_NAME = "placebo (midazolam)"


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large-print"])
def test_a_long_group_name_keeps_each_label_on_one_line(pack: Path, large_print: bool) -> None:
    edit(
        pack / "handout" / "es.yaml",
        "    - ketamina\n    - placebo\n",
        f"    - ketamina\n    - {LONG_NAME}\n",
    )
    loaded = load_content(pack)
    consult = Consult.model_validate(example_data("crps-may-discuss-es"))
    pdf = render_handout(
        consult,
        assess(consult, loaded),
        loaded,
        Language.ES,
        Paper.LETTER,
        large_print=large_print,
    )
    lines = [line.text for page in read_pages(pdf) for line in page.lines]
    for counted in ("2 de 12 personas", "3 de 12 personas"):
        label = f"Placebo (midazolam): {counted}"
        assert label in lines, [line for line in lines if "midazolam" in line or counted in line]
    # Arrays that share a row start on the same line; arrays one under the other do not
    # overlap.
    figures = figure_shapes(pdf)
    for one, other in zip(figures, figures[1:], strict=False):
        if one[0].page != other[0].page:
            continue
        one_top, other_top = max(s.top for s in one), max(s.top for s in other)
        overlap = min(s.bottom for s in one) < other_top and min(s.bottom for s in other) < one_top
        if overlap:
            assert one_top == pytest.approx(other_top, abs=0.5)
