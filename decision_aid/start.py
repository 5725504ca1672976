"""The program's entry point: the ``decision-aid`` command and ``python -m decision_aid``.

Start-up builds some hundred thousand objects that live as long as the program: pydantic's
models and validators, the content pack, Qt's wrappers. Python's cyclic garbage collector
would scan them again and again while they are being made, and once more at exit. So it is
off from the first line; the window turns it back on once it is shown, after moving every
object made so far out of its sight for good (``gc.freeze``), and a command that opens no
window runs to its end without it. This is about a fifth of the window's start-up
(bench/README.md). Only the entry point does it: importing decision_aid leaves the
collector alone.
"""

from __future__ import annotations

import gc


def main() -> int:
    gc.disable()
    try:
        from decision_aid.cli import main as command

        return command()
    finally:
        gc.freeze()  # the collection at exit has nothing left to scan
