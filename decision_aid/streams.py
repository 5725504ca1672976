"""The command's standard streams, made safe before anything is written (docs/design.md
section 9): closed ones given /dev/null, text the terminal cannot show replaced, and output
silenced once its reader has gone."""

from __future__ import annotations

import contextlib
import os
import sys


def reserve_closed_streams() -> bool:
    """True when the program was started with its standard output closed (``>&-``).

    A closed standard output or error is given /dev/null: otherwise the next file the
    program opens would get its number, and anything meant for the terminal (Qt's messages,
    a C library's) would go into that file, such as a consult being saved.
    """
    closed = False
    for number in (1, 2):
        try:
            os.fstat(number)
        except OSError:
            closed = closed or number == 1
            with contextlib.suppress(OSError):
                descriptor = os.open(os.devnull, os.O_WRONLY)
                if descriptor != number:
                    os.dup2(descriptor, number)
                    os.close(descriptor)
    return closed


def tolerant_output() -> None:
    """Text the terminal's encoding cannot show (Spanish, a clinic's symbols on an ASCII
    terminal) is replaced by a marker rather than ending the command with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if reconfigure is not None and encoding != "utf8":
            reconfigure(errors="replace")


def silence_stdout() -> None:
    """Points standard output at nothing: Python flushes it once more at exit, which would
    fail again on a closed pipe or a full disk."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
