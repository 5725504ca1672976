"""The program's entry point: the ``decision-aid`` command and ``python -m decision_aid``.

Start-up builds some hundred thousand objects that live as long as the program: pydantic's
models and validators, the content pack, Qt's wrappers. Python's cyclic garbage collector
would scan them again and again while they are being made, and once more at exit. So it is
off from the first line; the window turns it back on once it is shown, after moving every
object made so far out of its sight for good (``gc.freeze``), and a command that opens no
window runs to its end without it. This is about a fifth of the window's start-up
(bench/README.md). Only the entry point does it: importing decision_aid leaves the
collector alone.

The entry point also turns core dumps off (:func:`no_core_dumps`) before anything else runs.
"""

from __future__ import annotations

import gc


def main() -> int:
    gc.disable()
    no_core_dumps()
    try:
        from decision_aid.cli import main as command

        return command()
    finally:
        gc.freeze()  # the collection at exit has nothing left to scan


def no_core_dumps() -> None:
    """Sets the process's core-dump limit to 0, for the window and every command: a core
    file holds the process's memory (answers, a consult's file name) and would be readable
    where the process crashed (docs/design.md section 11). Where the system has no such
    limit (Windows), there is nothing to set."""
    try:
        import resource
    except ImportError:
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError):
        return
