"""The app's stored settings (QSettings), read and written in one place, and the model of
what the clinic sets (the Settings dialog in ui/dialogs.py edits it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

RECENT_KEY: Final = "recent_files"
MAX_RECENT: Final = 6


@dataclass(frozen=True)
class ClinicSettings:
    """What the clinic sets once: printed on the handout and used as defaults."""

    clinic_name: str = ""
    clinician_name: str = ""
    contact: str = ""
    paper: str = "letter"
    language: str = "en"
    content_folder: str = ""


class AppSettings:
    """Clinic settings and recent files over a QSettings store.

    The composition root gives the real store; tests give one in a temporary folder. A store
    that cannot be written (a read-only home) is used read-only: nothing fails.
    """

    def __init__(self, store: QSettings) -> None:
        self.store = store

    def clinic(self) -> ClinicSettings:
        values = {
            field.name: str(self.store.value(field.name, getattr(ClinicSettings(), field.name)))
            for field in fields(ClinicSettings)
        }
        return ClinicSettings(**values)

    def save_clinic(self, settings: ClinicSettings) -> None:
        for name, value in asdict(settings).items():
            self.store.setValue(name, value)
        self.store.sync()

    def recent_files(self) -> list[str]:
        value = self.store.value(RECENT_KEY, [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(item) for item in value] if isinstance(value, list) else []

    def add_recent(self, path: str) -> None:
        """Remembers a file the clinician chose; only paths they picked are ever stored."""
        recent = [path, *(item for item in self.recent_files() if item != path)][:MAX_RECENT]
        self.store.setValue(RECENT_KEY, recent)
        self.store.sync()
