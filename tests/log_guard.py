"""The suite's guard against unexpected log records (used by tests/conftest.py).

Any record at WARNING or above from the ``decision_aid`` logger tree fails the test that made
it, unless the test says it expects it with ``@pytest.mark.expected_log("pattern")``; an
expected record that never comes fails it too, so that no marker outlives its reason.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

LOGGER = "decision_aid"


class Recorder(logging.Handler):
    """Keeps every record at WARNING or above that reaches it."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def problems(records: Iterable[logging.LogRecord], expected: Iterable[str]) -> list[str]:
    """What is wrong with a test's records: each unexpected one, and each expected pattern
    (a regular expression searched in the message) that no record matched."""
    patterns = list(expected)
    found: list[str] = []
    matched: set[str] = set()
    for record in records:
        message = record.getMessage()
        hits = [pattern for pattern in patterns if re.search(pattern, message)]
        matched.update(hits)
        if not hits:
            found.append(f"unexpected log {record.levelname} from {record.name}: {message}")
    found += [
        f"expected a log matching {pattern!r}; none came"
        for pattern in patterns
        if pattern not in matched
    ]
    return found
