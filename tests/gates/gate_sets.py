"""Which handout gates run: every example in CI, three representative ones on a developer's
machine (tests/gates/conftest.py narrows the run; tests/conftest.py names the set in the
report's header).

The gates that run over every shipped example (x languages x papers x sizes) are most of the
suite's time. A change to the handout meets the same layout paths in a few examples, so a
local run takes three that between them reach every kind of handout, and CI (``CI=true``,
which ``.ci/run`` is run with) takes them all. ``HANDOUT_GATES=full`` or ``quick`` chooses
either set explicitly. The tests parametrized over the whole example list are narrowed to
the three; the gates over generated consults (hypothesis, derandomized, in the same order as
CI's) render 8 rather than 25; the hand-picked pairs run in both sets.
"""

from __future__ import annotations

import json
import os
from typing import Final

from tests.helpers import example_paths

EXAMPLES: Final = [path.name.removesuffix(".consult.json") for path in example_paths()]

# The examples of a trial plan and its course (one per course status): the handout never reads
# the plan or the course (its Tailoring holds neither), so their handouts are those of their
# consults without them, which test_example_handouts.py checks once; the gates over every
# example leave them out rather than render the same kinds of handout again.
COURSE_EXAMPLES: Final = frozenset(
    path.name.removesuffix(".consult.json")
    for path in example_paths()
    if json.loads(path.read_text(encoding="utf-8")).get("plan") is not None
)

# One of each kind of handout the examples give: may discuss with the CRPS section (a Spanish
# consult), answers left unknown (every standard option untried, the neutral status line), and
# not advised (no call to book). Each takes the page limit in every language, paper and size.
QUICK_EXAMPLES: Final = (
    "crps-may-discuss-es",
    "incomplete-halfway",
    "not-advised-active-substance-use",
)


def full_set() -> bool:
    """Whether every example runs: HANDOUT_GATES=full or quick if set, else whether in CI."""
    chosen = os.environ.get("HANDOUT_GATES", "").strip().lower()
    if chosen in {"full", "quick"}:
        return chosen == "full"
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def describe() -> str:
    """The set this run takes, for the report's header."""
    chosen = "full (every example)" if full_set() else f"quick ({', '.join(QUICK_EXAMPLES)})"
    return f"handout gates: {chosen}; HANDOUT_GATES=full or quick chooses"
