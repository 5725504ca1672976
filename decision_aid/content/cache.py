"""The cache of validated packs.

Validating a pack builds some forty pydantic models, about a sixth of every start-up. A pack
whose texts and program are unchanged would validate the same way again, so its validated
form is kept in the user's cache folder, named by a hash of the pack's texts and of the code
that validates them: any change to either means a new name, and a full validation.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
from pathlib import Path
from typing import Final

from pydantic import VERSION as pydantic_version

from decision_aid.content.pack import Content

CACHE_ENV: Final = "DECISION_AID_NO_CACHE"
# The code that validates a pack, by its path in decision_aid/: a folder stands for every
# module in it, so that a module added to one is in the hash without being listed here.
_VALIDATING_CODE: Final = ("content", "consult", "catalogue.py")


# What the cache may be trusted with (docs/design.md section 11): unpickling runs code, so only
# a regular file of this user's own, in a folder that is this user's and that nobody else may
# write, is loaded at all; and what it holds is used only for the very texts being loaded.
# Anything else is ignored, and replaced by a fresh store where the folder is safe. The folder
# is opened once (not followed if it is a link) and the file is opened and replaced relative to
# it, so nothing can be swapped between the checks and the use.
_CACHE_FORMAT: Final = "decision-aid validated pack 1"
_CACHE_FOLDER: Final = "decision-aid"
_STALE_SECONDS: Final = 3600
_NOT_SAFE_MODE: Final = stat.S_IWGRP | stat.S_IWOTH
_O_CLOEXEC: Final = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY: Final = getattr(os, "O_DIRECTORY", 0)


def cache_file(texts_hash: str) -> Path | None:
    """Where the validated pack of these texts (and this program) is kept; None for no cache."""
    # Only where the checks below can be made: ownership, no-follow opens, relative opens.
    if os.environ.get(CACHE_ENV) or os.name != "posix" or not _O_NOFOLLOW or not _O_DIRECTORY:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    code = hashlib.sha256(pydantic_version.encode())
    package = Path(__file__).resolve().parent.parent
    try:
        for name in _VALIDATING_CODE:
            path = package / name
            for module in sorted(path.glob("*.py")) if path.is_dir() else [path]:
                code.update(module.read_bytes())
    except OSError:
        return None
    key = hashlib.sha256(f"{texts_hash}:{code.hexdigest()}".encode()).hexdigest()[:32]
    return Path(base) / _CACHE_FOLDER / f"content-{key}.pickle"


def _owned_privately(status: os.stat_result) -> bool:
    """This user's, and writable by nobody else."""
    return status.st_uid == os.getuid() and not status.st_mode & _NOT_SAFE_MODE


def _open_cache_folder(folder: Path) -> int | None:
    """A descriptor of the cache folder when it is safe to use, else None (and nothing open)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC)
    except OSError:  # missing, a link (ELOOP), not a folder, or not ours to open
        return None
    try:
        status = os.fstat(descriptor)
    except OSError:
        os.close(descriptor)
        return None
    if not stat.S_ISDIR(status.st_mode) or not _owned_privately(status):
        os.close(descriptor)
        return None
    return descriptor


def cached(path: Path | None, texts_hash: str) -> Content | None:
    """The validated pack kept at ``path`` for texts of hash ``texts_hash``, or None when there
    is none to trust."""
    if path is None:
        return None
    folder = _open_cache_folder(path.parent)
    if folder is None:
        return None
    try:
        flags = os.O_RDONLY | _O_NOFOLLOW | os.O_NONBLOCK | _O_CLOEXEC
        descriptor = os.open(path.name, flags, dir_fd=folder)
    except OSError:  # none yet, or a link (ELOOP)
        return None
    finally:
        os.close(folder)
    if _closed_if_folder(descriptor):
        return None
    with os.fdopen(descriptor, "rb") as file:
        try:
            status = os.fstat(descriptor)
            # A FIFO or a device is never read (it could block, or never end); a pickle runs
            # code, so only a file of this user's that nobody else may write is loaded.
            if not stat.S_ISREG(status.st_mode) or not _owned_privately(status):
                return None
            kept = pickle.load(file)  # this user's own file, checked just above
        except Exception:  # a broken or stale cache is only a cache miss
            return None
    if not (isinstance(kept, tuple) and len(kept) == 4):
        return None
    form, texts, name, content = kept
    if (
        form != _CACHE_FORMAT
        or texts != texts_hash
        or name != path.name
        or not isinstance(content, Content)
        or content.stamp != texts_hash[:10]
    ):
        return None
    return content


def _closed_if_folder(descriptor: int) -> bool:
    """True, with ``descriptor`` closed, when it is a folder's: a folder at the cache file's
    name opens, and Python's file object would then refuse it with an exception."""
    try:
        if not stat.S_ISDIR(os.fstat(descriptor).st_mode):
            return False
    except OSError:
        pass
    os.close(descriptor)
    return True


def store(path: Path | None, content: Content, texts_hash: str) -> None:
    """Keeps a validated pack for the next start; a read-only home just goes without, and so
    does a cache folder that is not safe to use (see :func:`cached`).

    A failed or interrupted store leaves no temporary file; an interruption (such as Ctrl-C)
    is not hidden.
    """
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return
    folder = _open_cache_folder(path.parent)
    if folder is None:
        return
    try:
        _remove_stale_temporaries(folder)
        _store_in(folder, path.name, (_CACHE_FORMAT, texts_hash, path.name, content))
    except OSError:
        return
    finally:
        os.close(folder)


def _store_in(folder: int, name: str, kept: object) -> None:
    """Writes ``kept`` as ``name`` in the open folder: a new private file, renamed over
    whatever is there (a link is replaced, never written through)."""
    import secrets

    temporary = f".{name}.{secrets.token_hex(8)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC
    descriptor = os.open(temporary, flags, 0o600, dir_fd=folder)
    try:
        with os.fdopen(descriptor, "wb") as file:
            pickle.dump(kept, file, protocol=pickle.HIGHEST_PROTOCOL)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise


def _remove_stale_temporaries(folder: int) -> None:
    """Removes this user's ``*.tmp`` files older than an hour: left by a store that was killed."""
    import time

    old = time.time() - _STALE_SECONDS
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(".tmp"):
                continue
            try:
                status = entry.stat(follow_symlinks=False)
                if (
                    stat.S_ISREG(status.st_mode)
                    and status.st_uid == os.getuid()
                    and status.st_mtime < old
                ):
                    os.unlink(entry.name, dir_fd=folder)
            except OSError:
                continue
