"""Today's date, from one place, so that tests can set the clock (review dates: docs/design.md
section 11)."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    """The local date today. Tests replace this function to move the clock."""
    return dt.date.today()


def now() -> dt.datetime:
    """The local date and time now (suggested file names carry it). Tests replace it."""
    return dt.datetime.now()
