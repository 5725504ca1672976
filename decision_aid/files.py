"""Reading consult files and writing output files safely.

Output is written to a temporary file in the target folder and renamed over the target, so a
failed write (full disk, no permission) leaves no partial file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from decision_aid.consult import (
    MAX_FILE_BYTES,
    Consult,
    ConsultError,
    Upgrade,
    parse_consult_upgrading,
)


class OutputError(OSError):
    """An output file could not be written; the message names the file and the reason."""


def read_consult_file(path: Path) -> Consult:
    """Reads and validates a ``*.consult.json`` file, of any schema version this program reads.

    Raises:
        ConsultError: the file cannot be read, is too large, or is not a valid consult; the
            message starts with the file name.
    """
    return read_consult_file_upgrading(path)[0]


def read_consult_file_upgrading(path: Path) -> tuple[Consult, Upgrade | None]:
    """As :func:`read_consult_file`, and what was upgraded when the file had an older version."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise ConsultError(f"{path}: is a folder, not a consult file") from None
    except FileNotFoundError:
        raise ConsultError(f"{path}: no such file") from None
    except OSError as error:
        raise ConsultError(f"{path}: cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ConsultError(
            f"{path}: too large to be a consult file (over {MAX_FILE_BYTES // 1000} kB)"
        )
    try:
        return parse_consult_upgrading(data)
    except ConsultError as error:
        raise ConsultError(f"{path}: {error}") from None


def write_atomic(path: Path, data: bytes) -> None:
    """Writes ``data`` to ``path`` completely or not at all.

    Raises:
        OutputError: the folder is missing or read-only, the path is a folder, or the disk is
            full; nothing is left at ``path`` that was not there before.
    """
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise OutputError(f"{path}: the folder {folder} does not exist") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot write in {folder} ({error.strerror or error})") from None
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(f"{path}: could not be written ({error.strerror or error})") from None
