"""The suite's guard against unexpected warnings from the decision_aid loggers."""

from __future__ import annotations

import logging

import pytest

from tests import log_guard


def record(level: int, message: str, name: str = "decision_aid.content") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


@pytest.mark.expected_log(r"pack .* is overdue")
def test_an_expected_warning_passes() -> None:
    logging.getLogger("decision_aid.content").warning("the pack %s is overdue", "x")


# The suite's own guard sees the error too: expected, so that this test does not fail.
@pytest.mark.expected_log("the preview failed")
def test_a_warning_below_the_tree_is_caught() -> None:
    recorder = log_guard.Recorder()
    logger = logging.getLogger(log_guard.LOGGER)
    logger.addHandler(recorder)
    try:
        logging.getLogger("decision_aid.ui.review").info("only information")
        logging.getLogger("somebody_else").warning("not ours")
        logging.getLogger("decision_aid.ui.review").error("the preview failed")
    finally:
        logger.removeHandler(recorder)
    assert [item.getMessage() for item in recorder.records] == ["the preview failed"]
    assert log_guard.problems(recorder.records, []) == [
        "unexpected log ERROR from decision_aid.ui.review: the preview failed"
    ]


def test_an_unexpected_or_a_missing_warning_is_a_problem() -> None:
    records = [record(logging.WARNING, "cache not trusted"), record(logging.ERROR, "boom")]
    assert log_guard.problems(records, ["cache not trusted"]) == [
        "unexpected log ERROR from decision_aid.content: boom"
    ]
    assert log_guard.problems([], ["cache"]) == ["expected a log matching 'cache'; none came"]
    assert log_guard.problems(records, ["cache", "bo+m"]) == []
