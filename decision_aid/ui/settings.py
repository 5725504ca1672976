"""The app's stored settings (QSettings), read and written in one place, and the model of
what the clinic sets (the Settings dialog in ui/dialogs.py edits it).

The settings hold paths the clinician chose (the recent list), and a consult's file name can
name the patient, so the settings folder is private to the user (docs/design.md section 11):
created 0700, its files 0600, and tightened at start when they were made wider.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QSettings

RECENT_KEY: Final = "recent_files"
MAX_RECENT: Final = 6
_O_NOFOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY: Final = getattr(os, "O_DIRECTORY", 0)


@dataclass(frozen=True)
class ClinicSettings:
    """What the clinic sets once: printed on the handout and used as defaults."""

    clinic_name: str = ""
    clinician_name: str = ""
    contact: str = ""
    paper: str = "letter"
    language: str = "en"
    content_folder: str = ""
    # File > Open recent stays empty, and no path is kept.
    keep_no_recent_list: bool = False


class AppSettings:
    """Clinic settings and recent files over a QSettings store.

    The composition root gives the real store and its private folder; tests give one in a
    temporary folder. A store that cannot be written (a read-only home) is used read-only:
    nothing fails. A value that is not what it should be (``@Invalid()``, a list where a
    name belongs) reads as the default.
    """

    def __init__(self, store: QSettings, private_folder: Path | None = None) -> None:
        self.store = store
        self.private_folder = private_folder
        if private_folder is not None:
            make_private(private_folder)

    def clinic(self) -> ClinicSettings:
        defaults = ClinicSettings()
        values: dict[str, str | bool] = {}
        for field in fields(ClinicSettings):
            default = getattr(defaults, field.name)
            value = self.store.value(field.name, default)
            if isinstance(default, bool):
                if isinstance(value, str):
                    value = value.strip().lower() == "true"
                values[field.name] = value if isinstance(value, bool) else default
            else:
                values[field.name] = value if isinstance(value, str) else default
        return ClinicSettings(**values)  # type: ignore[arg-type]

    def save_clinic(self, settings: ClinicSettings) -> None:
        for name, value in asdict(settings).items():
            self.store.setValue(name, value)
        if settings.keep_no_recent_list:
            self.store.remove(RECENT_KEY)
        self._sync()

    def recent_files(self) -> list[str]:
        if self.clinic().keep_no_recent_list:
            return []
        value = self.store.value(RECENT_KEY, [])
        if isinstance(value, str):
            return [value] if value else []
        return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []

    def add_recent(self, path: str) -> None:
        """Remembers a file the clinician chose; only paths they picked are ever stored, and
        none when the clinic keeps no recent list."""
        if self.clinic().keep_no_recent_list:
            return
        recent = [path, *(item for item in self.recent_files() if item != path)][:MAX_RECENT]
        self.store.setValue(RECENT_KEY, recent)
        self._sync()

    def _sync(self) -> None:
        self.store.sync()
        if self.private_folder is not None:
            make_private(self.private_folder)


def make_private(folder: Path) -> None:
    """Makes ``folder`` the user's alone: created 0700, or narrowed to 0700, and each of its
    files 0600. Only what is this user's is changed, never through a link; where files have
    no such modes (Windows) or the folder cannot be made (a read-only home), nothing is done.
    """
    if os.name != "posix" or not _O_NOFOLLOW or not _O_DIRECTORY:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        descriptor = os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW)
    except OSError:
        return
    try:
        _narrow(descriptor, 0o700)
        for entry in os.scandir(descriptor):
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    make_file_private_at(descriptor, entry.name)
    except OSError:
        return
    finally:
        os.close(descriptor)


def make_file_private_at(folder: int | None, name: str | Path) -> None:
    """Narrows a file of this user's to 0600 (``name`` in the open folder ``folder``, or a
    path); a link is never followed, a missing file is no error."""
    if os.name != "posix" or not _O_NOFOLLOW:
        return
    try:
        descriptor = os.open(name, os.O_RDONLY | _O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    except OSError:
        return
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            _narrow(descriptor, 0o600)
    except OSError:
        return
    finally:
        os.close(descriptor)


def _narrow(descriptor: int, mode: int) -> None:
    status = os.fstat(descriptor)
    if status.st_uid == os.getuid() and stat.S_IMODE(status.st_mode) & ~mode:
        os.fchmod(descriptor, stat.S_IMODE(status.st_mode) & mode)
