"""Narrows the gates over every example to the run's set (tests/gates/gate_sets.py) and keeps
each example's gates on one xdist worker."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from tests.gates.gate_sets import COURSE_EXAMPLES, EXAMPLES, QUICK_EXAMPLES, full_set

GATES: Final = Path(__file__).resolve().parent


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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = sorted(set(QUICK_EXAMPLES) - set(EXAMPLES))
    if missing:
        raise pytest.UsageError(f"tests/gates/gate_sets.py: no example named {missing}")
    full = full_set()
    kept, deselected = [], []
    for item in items:
        example = _example_parameter(item)
        if example is None:
            kept.append(item)
            continue
        if example in COURSE_EXAMPLES or (not full and example not in QUICK_EXAMPLES):
            deselected.append(item)
            continue
        # Under xdist (--dist loadgroup) one worker takes every gate of an example, and so
        # renders it once: test_handout_gates.py keeps one render per case for its process.
        item.add_marker(pytest.mark.xdist_group(f"gates-{example}"))
        kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
