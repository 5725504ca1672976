"""The cache of validated packs.

Validating a pack builds some forty pydantic models, about a sixth of every start-up. A pack
whose texts and program are unchanged would validate the same way again, so its validated
form is kept in the user's cache folder, named by a hash of the pack's texts and of the code
that validates them: any change to either means a new name, and a full validation.

The validated form is JSON data (``model_dump(mode="json")``), built back into the models by
``content.base.rebuild``, which builds only the classes the models' annotations name: loading
a cache file runs no code of the file's, whoever wrote it (a pickle would run any). The file
is still trusted only as far as the checks below allow, since it decides what the texts say.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any, Final

from pydantic import VERSION as pydantic_version

from decision_aid.content.base import rebuild
from decision_aid.content.course_words import CourseWords
from decision_aid.content.evidence import EvidenceLibrary
from decision_aid.content.pack import Content, HandoutTexts, PackInfo
from decision_aid.content.questions import QuestionBook
from decision_aid.content.rulebook import RuleBook

CACHE_ENV: Final = "DECISION_AID_NO_CACHE"
# The code that validates a pack, by its path in decision_aid/: a folder stands for every
# module in it, so that a module added to one is in the hash without being listed here.
_VALIDATING_CODE: Final = ("content", "consult", "catalogue.py")


# What the cache may be trusted with (docs/design.md section 11): what it holds decides what
# the texts say, so only a regular file of this user's own, in a folder that is this user's and
# that nobody else may write, below folders that nobody else may change (:func:`_safe_above`),
# is read at all; and what it holds is used only for the very texts being loaded. Anything else
# is ignored, and replaced by a fresh store where the folder is safe. The folder is opened once
# (not followed if it is a link) and the file is opened and replaced relative to it, so nothing
# can be swapped between the checks and the use.
_CACHE_FORMAT: Final = "decision-aid validated pack 2 (JSON)"
_PREFIX: Final = "content-"
# This version's files, and those of the versions before it (a pickle): all removed when stale.
_SUFFIX: Final = ".json"
_OLD_SUFFIXES: Final = (".json", ".pickle")
# A cache file is some hundreds of kB; anything far larger is not one of ours.
_MAX_CACHE_BYTES: Final = 20_000_000
# Symbolic links followed at most on the way to the cache folder, as the kernel allows.
_MAX_LINKS: Final = 40
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
    if not os.path.isabs(base):  # the XDG rule: a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / _CACHE_FOLDER / f"{_PREFIX}{key}{_SUFFIX}"


def _owned_privately(status: os.stat_result) -> bool:
    """This user's, and writable by nobody else."""
    return status.st_uid == os.getuid() and not status.st_mode & _NOT_SAFE_MODE


def _safe_above(folder: Path) -> bool:
    """Whether nobody but this user (and root) can change the way to ``folder``: every folder
    above it is this user's or root's and writable by nobody else (or is a sticky folder of
    root's, such as /tmp, where nobody else may rename or remove what is ours), and every
    symbolic link on the way is this user's or root's. The folder itself is checked when it
    is opened (:func:`_open_cache_folder`).

    Another account's link in a shared cache folder, or a folder it may write, could
    otherwise lead the program to a cache file that account planted.
    """
    if not folder.is_absolute():
        return False
    above = folder.parent
    current, pending = Path(above.anchor), list(above.parts[1:])
    links = 0
    while True:
        try:
            status = os.lstat(current)
        except OSError:
            return False
        if status.st_uid not in (0, os.getuid()):
            return False
        if stat.S_ISLNK(status.st_mode):
            links += 1
            try:
                target = Path(os.readlink(current))
            except OSError:
                return False
            if links > _MAX_LINKS:
                return False
            # The link's target, read from where the link is, in place of the link.
            pending = list(target.parts[1:] if target.is_absolute() else target.parts) + pending
            current = Path(target.anchor) if target.is_absolute() else current.parent
            continue
        if not stat.S_ISDIR(status.st_mode) or not _unchangeable_by_others(status):
            return False
        if not pending:
            return True
        part = pending.pop(0)
        current = current.parent if part == ".." else current if part == "." else current / part


def _unchangeable_by_others(status: os.stat_result) -> bool:
    """A folder nobody else may write, or a sticky one of root's (nobody else may rename or
    remove what is not theirs in it)."""
    if not status.st_mode & _NOT_SAFE_MODE:
        return True
    return bool(status.st_mode & stat.S_ISVTX) and status.st_uid == 0


def _open_cache_folder(folder: Path) -> int | None:
    """A descriptor of the cache folder when it is safe to use, else None (and nothing open)."""
    if not _safe_above(folder):
        return None
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
            # A FIFO or a device is never read (it could block, or never end); only a file of
            # this user's that nobody else may write is read at all.
            if (
                not stat.S_ISREG(status.st_mode)
                or not _owned_privately(status)
                or status.st_size > _MAX_CACHE_BYTES
            ):
                return None
            kept = json.loads(file.read(_MAX_CACHE_BYTES + 1))
            return _content_of(kept, texts_hash, path.name)
        except Exception:  # a broken or stale cache is only a cache miss
            return None


def _content_of(kept: Any, texts_hash: str, name: str) -> Content | None:
    """The pack a cache file holds, when it is of this format, these texts and this name."""
    if not (isinstance(kept, dict) and set(kept) == {"form", "texts", "name", "content"}):
        return None
    if kept["form"] != _CACHE_FORMAT or kept["texts"] != texts_hash or kept["name"] != name:
        return None
    data = kept["content"]
    if not isinstance(data, dict) or set(data) != set(Content.model_fields):
        return None
    # Built from the data without validating it again, and without running any of its code.
    content = rebuild(Content, data)
    return content if content.stamp == texts_hash[:10] else None


# The parts of a Content, and what each is built from.
_PARTS: Final[dict[str, Any]] = {
    "pack": PackInfo,
    "evidence": EvidenceLibrary,
    "rulebook": RuleBook,
    "questions": QuestionBook,
    "course": CourseWords,
    "handout": HandoutTexts,
    "location": str,
    "stamp": str,
}


def _data_of(content: Content) -> dict[str, Any]:
    """A validated pack as JSON data, which :func:`_content_of` builds back."""
    data: dict[str, Any] = {}
    for part, kind in _PARTS.items():
        value = getattr(content, part)
        if kind is str:
            data[part] = value
        elif kind is HandoutTexts:
            data[part] = value.as_data()
        else:
            data[part] = value.model_dump(mode="json")
    return data


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
        kept = {
            "form": _CACHE_FORMAT,
            "texts": texts_hash,
            "name": path.name,
            "content": _data_of(content),
        }
        text = json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode()
        _store_in(folder, path.name, text)
        _remove_other_packs(folder, path.name)
    except OSError:
        return
    finally:
        os.close(folder)


def _store_in(folder: int, name: str, kept: bytes) -> None:
    """Writes ``kept`` as ``name`` in the open folder: a new private file, renamed over
    whatever is there (a link is replaced, never written through)."""
    import secrets

    temporary = f".{name}.{secrets.token_hex(8)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC
    descriptor = os.open(temporary, flags, 0o600, dir_fd=folder)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(kept)
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


def _remove_other_packs(folder: int, keep: str) -> None:
    """Removes this user's cache files other than ``keep``: of other packs, other texts of
    this pack, and other versions of the program (their pickles among them), which would
    otherwise pile up with every change to a pack or the program."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if (
                entry.name == keep
                or not entry.name.startswith(_PREFIX)
                or not entry.name.endswith(_OLD_SUFFIXES)
            ):
                continue
            try:
                status = entry.stat(follow_symlinks=False)
                if (stat.S_ISREG(status.st_mode) or stat.S_ISLNK(status.st_mode)) and (
                    status.st_uid == os.getuid()
                ):
                    os.unlink(entry.name, dir_fd=folder)
            except OSError:
                continue
