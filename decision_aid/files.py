"""Reading consult files and writing output files safely.

Files are read and written only as regular files (docs/design.md section 11): an input that is
a FIFO, a device or a folder is refused before anything is read from it (a FIFO would block,
a device such as /dev/zero never ends), and at most its size limit is read. Output is written
to a temporary file in the target folder and renamed over the target, so a failed write (full
disk, no permission) leaves no partial file behind; a target that is a FIFO, a device or a
folder is refused and left as it was, and a link is replaced by the new file, never followed.
A file that is there is replaced only when the caller says so (``replace=True``: the file is
the one the caller opened or created, or the user agreed to replace it). The temporary
files of a write that was killed are removed at the next write in that folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path
from typing import Final

from decision_aid.consult import (
    MAX_FILE_BYTES,
    Consult,
    ConsultError,
    Upgrade,
    parse_consult_upgrading,
)


class OutputError(OSError):
    """An output file could not be written; the message names the file and the reason."""


class NotARegularFileError(OSError):
    """An input that is a folder, FIFO, device or socket; the message is the reason alone
    (``is a FIFO (named pipe), not a regular file``), for the caller to name the file."""


class FileTooLargeError(OSError):
    """An input over its size limit; the message is the reason alone (``too large (over 5
    MB)``)."""


_OPEN_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def describe_kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message: "is a FIFO (named pipe)"."""
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    return "is a special file"


def _size_words(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} kB"


def read_regular_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; nothing else is read.

    The file is opened without blocking (a FIFO with no writer would wait for ever) and
    checked on the open descriptor before a byte is read, and at most ``limit + 1`` bytes are
    read, so a device that never ends (/dev/zero) costs nothing.

    Raises:
        NotARegularFileError: a folder, FIFO, device or socket.
        FileTooLargeError: a file over ``limit`` bytes.
        OSError: the file is missing or cannot be opened or read.
    """
    # A first look without opening: opening a device can have effects of its own.
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotARegularFileError(f"{describe_kind(mode)}, not a regular file")
    descriptor = os.open(path, _OPEN_FLAGS)
    with os.fdopen(descriptor, "rb") as file:
        mode = os.fstat(descriptor).st_mode  # what was opened, whatever the path now names
        if not stat.S_ISREG(mode):
            raise NotARegularFileError(f"{describe_kind(mode)}, not a regular file")
        data = file.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeError(f"too large (over {_size_words(limit)})")
    return data


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
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileTooLargeError:
        raise ConsultError(
            f"{path}: too large to be a consult file (over {MAX_FILE_BYTES // 1000} kB)"
        ) from None
    except NotARegularFileError as error:
        raise ConsultError(f"{path}: {error}") from None
    except FileNotFoundError:
        raise ConsultError(f"{path}: no such file") from None
    except OSError as error:
        raise ConsultError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        return parse_consult_upgrading(data)
    except ConsultError as error:
        raise ConsultError(f"{path}: {error}") from None


def check_output(path: Path) -> None:
    """Refuses an output path that names something other than a regular file or a link.

    A FIFO or a device would take the data somewhere else, and renaming over a folder fails;
    each is refused and left as it was. A link is allowed: it is replaced, never followed
    (except a link to a folder, refused as a folder is).

    Raises:
        OutputError: naming the path and what it is.
    """
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return  # nothing there (or nothing to see): the write itself says what is wrong
    if stat.S_ISLNK(mode):
        if not path.is_dir():
            return
        mode = stat.S_IFDIR
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a folder, not a regular file; give a file name")
    raise OutputError(f"{path}: {describe_kind(mode)}, not a regular file")


class OutputExistsError(OutputError):
    """The output file is there and the caller did not say to replace it."""


# The temporary file of a write: ``.NAME.decision-aid.XXXXXXXX.tmp`` beside the output, so
# that what a killed write left is known for this program's own and nothing else is touched.
# Before v3 it was ``.NAME.XXXXXXXX.tmp``: those of consult files are recognised too.
_TEMPORARY_MARK: Final = ".decision-aid."
_TEMPORARY: Final = re.compile(
    r"\..+\.decision-aid\.[a-z0-9_]{8}\.tmp|\..+\.consult\.json\.[a-z0-9_]{8}\.tmp"
)
# A write takes well under a second: a temporary file a minute old is a killed write's.
STALE_TEMPORARY_SECONDS: Final = 60


def remove_stale_temporaries(folder: Path) -> None:
    """Removes what killed writes of this program left in ``folder``: this user's regular
    files named as its temporary files are, over a minute old. Anything else is left alone,
    and a folder that cannot be listed is no error."""
    old = time.time() - STALE_TEMPORARY_SECONDS
    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not _TEMPORARY.fullmatch(entry.name):
                    continue
                with contextlib.suppress(OSError):
                    status = entry.stat(follow_symlinks=False)
                    if (
                        stat.S_ISREG(status.st_mode)
                        and (uid is None or status.st_uid == uid)
                        and status.st_mtime < old
                    ):
                        os.unlink(entry.path)
    except OSError:
        return


def write_atomic(path: Path, data: bytes, *, replace: bool = False) -> None:
    """Writes ``data`` to ``path`` completely or not at all.

    A file that is there is replaced only with ``replace=True``: the caller opened or
    created that file, or asked the user (the command line's ``-o`` is documented to
    replace). A link at ``path`` is replaced by the new file; whatever it points to is left
    as it was.

    Raises:
        OutputExistsError: something is at ``path`` and ``replace`` is False; it is left as
            it was.
        OutputError: the folder is missing or read-only, the path is a folder, a FIFO or a
            device, or the disk is full; nothing is left at ``path`` that was not there before,
            and no temporary file.
    """
    check_output(path)
    if not replace and os.path.lexists(path):
        raise OutputExistsError(f"{path}: is already there; it was not replaced")
    folder = path.parent if str(path.parent) else Path(".")
    remove_stale_temporaries(folder)
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}{_TEMPORARY_MARK}", suffix=".tmp", dir=folder
        )
    except FileNotFoundError:
        raise OutputError(f"{path}: the folder {folder} does not exist") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot write in {folder} ({error.strerror or error})") from None
    try:
        try:
            remaining = memoryview(data)
            while remaining:
                remaining = remaining[os.write(descriptor, remaining) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if replace:
            os.replace(temporary, path)
        else:
            _put_new(temporary, path)
    except BaseException as error:
        # Whatever stopped the write (a full disk, Ctrl-C), the temporary goes with it.
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OutputError):
            raise
        if isinstance(error, OSError):
            raise OutputError(f"{path}: could not be written ({error.strerror or error})") from None
        raise


def _put_new(temporary: str, path: Path) -> None:
    """Moves the written temporary file to ``path`` only if nothing is there: a hard link
    fails when something is (another window or program made the file meanwhile). Where the
    file system has no hard links, a check and a rename."""
    try:
        os.link(temporary, path, follow_symlinks=False)
    except FileExistsError:
        raise OutputExistsError(f"{path}: is already there; it was not replaced") from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if os.path.lexists(path):
            raise OutputExistsError(f"{path}: is already there; it was not replaced") from None
        os.replace(temporary, path)
    else:
        os.unlink(temporary)
