"""Which gates run: every example in CI, a few representative ones on a developer's machine.

The gates that run over every shipped example (x languages x papers x sizes) are most of the
suite's time. A change to the handout meets the same layout paths in a few examples, so a
local run takes three that between them reach every kind of handout, and CI (``CI=true``,
which ``.ci/run`` is run with) takes them all. ``HANDOUT_GATES=full`` or ``quick`` chooses
either set explicitly. Only the tests parametrized over the whole example list are narrowed:
the generated consults (hypothesis, derandomized: the same consults as CI's) and the
hand-picked pairs run in both sets.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

import pytest

from tests.helpers import example_paths

GATES: Final = Path(__file__).resolve().parent
EXAMPLES: Final = [path.name.removesuffix(".consult.json") for path in example_paths()]

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


def _example_parameter(item: pytest.Item) -> str | None:
    """The example a gate runs on, when its test is parametrized over every example."""
    callspec = getattr(item, "callspec", None)
    # The hook sees the whole run's items: only this folder's are narrowed.
    if callspec is None or GATES not in item.path.parents:
        return None
    for marker in item.iter_markers("parametrize"):
        names, values = marker.args[0], marker.args[1]
        if isinstance(names, str) and "," not in names and list(values) == EXAMPLES:
            example = callspec.params.get(names.strip())
            return example if isinstance(example, str) else None
    return None


def pytest_report_header() -> str:
    chosen = "full (every example)" if full_set() else f"quick ({', '.join(QUICK_EXAMPLES)})"
    return f"handout gates: {chosen}; HANDOUT_GATES=full|quick chooses"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = sorted(set(QUICK_EXAMPLES) - set(EXAMPLES))
    if missing:
        raise pytest.UsageError(f"tests/gates/conftest.py: no example named {missing}")
    full = full_set()
    kept, deselected = [], []
    for item in items:
        example = _example_parameter(item)
        if example is None:
            kept.append(item)
            continue
        if not full and example not in QUICK_EXAMPLES:
            deselected.append(item)
            continue
        # Under xdist (--dist loadgroup) one worker takes every gate of an example, and so
        # renders it once: test_handout_gates.py keeps one render per case for its process.
        item.add_marker(pytest.mark.xdist_group(f"gates-{example}"))
        kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
