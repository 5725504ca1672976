"""The window's consult files, as a desktop expects (docs/design.md section 7).

New, Open, Open recent and close offer Save, Discard and Cancel for unsaved answers; Save As
starts in the consult's own folder with a name that carries the date and time, adds the
suffix to a bare name and asks before it replaces a file; Save does not overwrite a file
that another window or program changed since it was opened or saved here. After a file is
written, a confirmation shows where the clinician looks.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import TYPE_CHECKING, cast

from decision_aid import clock
from decision_aid.catalogue import Status
from decision_aid.consult import MAX_FILE_BYTES, Consult, ConsultError
from decision_aid.files import (
    OutputError,
    read_consult_file_upgrading,
    read_regular_file,
    write_atomic,
)
from decision_aid.ui import dialogs
from decision_aid.ui.feedback import CONFIRMATION_MS

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QMainWindow, QWidget

    from decision_aid.content import Content
    from decision_aid.ui.assessment_panel import AssessmentPanel
    from decision_aid.ui.review import ReviewPage
    from decision_aid.ui.session import ConsultSession
    from decision_aid.ui.settings import AppSettings

CONSULT_SUFFIX = ".consult.json"


def starting_consult(content: Content, settings: AppSettings) -> Consult:
    """A new consult on the Settings' defaults: the one the app opens with, and each New.

    Only a language the pack in use offers (Settings may name one of another pack)."""
    consult = Consult()
    wanted = settings.clinic().language
    for language in content.languages:
        if language.value == wanted:
            consult.patient.handout_language = language
    return consult


def time_stamp() -> str:
    """The date and time in a file name: two consults of one day get different names."""
    return clock.now().strftime("%Y-%m-%d-%H%M")


def with_suffix(path: Path, suffix: str, *others: str) -> Path:
    """``path`` with ``suffix`` added to a bare name (``visit`` -> ``visit.consult.json``).

    A name that already ends with the last part of the suffix or of one of the others
    (``.json``, ``.pdf``; ``.html`` where a handout may be either) is kept."""
    lasts = tuple("." + each.rsplit(".", 1)[-1] for each in (suffix, *others))
    if path.name.lower().endswith(lasts):
        return path
    return path.with_name(path.name + suffix)


def name_for_filter(name: str, file_filter: str, selected: str) -> str:
    """A chosen file name, with the selected filter's suffix added when the name ends in
    none of the filters' suffixes: "leaflet" saved under the HTML filter is leaflet.html.

    A name that ends with the last part of any filter's suffix is kept as typed, as
    :func:`decision_aid.ui.consult_files.with_suffix` keeps it."""
    lowered = name.lower()
    endings = [pattern.rsplit(".", 1)[-1] for pattern in _patterns(file_filter)]
    if any(ending and lowered.endswith("." + ending.lower()) for ending in endings):
        return name
    chosen = [pattern for pattern in _patterns(selected) if pattern.startswith("*.")]
    return name + chosen[0][1:] if chosen else name


def _patterns(file_filter: str) -> list[str]:
    """The name patterns of a Qt file filter ("PDF files (*.pdf);;All files (*)")."""
    return [
        pattern
        for inside in re.findall(r"\(([^)]*)\)", file_filter)
        for pattern in inside.split()
        if pattern != "*"
    ]


def file_digest(path: Path) -> str | None:
    """What the file holds now, as a hash; None when it is missing or cannot be read."""
    try:
        return hashlib.sha256(read_regular_file(path, MAX_FILE_BYTES + 1)).hexdigest()
    except OSError:
        return None


class ConsultFiles:
    """The file half of the main window (a mixin of MainWindow, which provides the rest)."""

    session: ConsultSession
    settings: AppSettings
    content: Content
    panel: AssessmentPanel
    # The consult's own file, once it was opened or saved: Save writes there.
    path: Path | None
    # The hash of that file as this window last read or wrote it.
    _disk_digest: str | None = None
    # The files the clinician agreed to replace, in the save dialog's question.
    _may_replace: set[Path]
    _review: ReviewPage | None

    if TYPE_CHECKING:

        def go_to_step(self, row: int) -> None: ...
        def _show_title(self) -> None: ...

    @property
    def _widget(self) -> QWidget:
        return cast("QWidget", self)

    def confirm(self, text: str) -> None:
        """Says that an action worked, at the top of the assessment panel beside the answers
        (and in the status bar, which may be off a small screen), long enough to be read."""
        self.panel.confirmation.show_text(text)
        cast("QMainWindow", self).statusBar().showMessage(text, CONFIRMATION_MS)

    # --- new and open --------------------------------------------------------------------

    def new_consult(self) -> None:
        if not self.may_drop_answers():
            return
        # The Settings' defaults take effect for each new consult (a Settings change does
        # not touch a consult already under way).
        self.path = None
        self._disk_digest = None
        self.session.replace(starting_consult(self.content, self.settings))
        if self._review is not None:
            self._review.set_paper(self.settings.clinic().paper)
        self._show_title()
        self.go_to_step(0)

    def may_drop_answers(self) -> bool:
        """True when the answers may be replaced: saved, or the clinician chose Save (and it
        worked) or Discard; False on Cancel."""
        if not self.session.modified:
            return True
        choice = dialogs.ask_unsaved(self._widget, self.path.name if self.path else None)
        if choice == "save":
            return self.save_consult()
        return choice == "discard"

    def open_consult(self) -> None:
        if not self.may_drop_answers():
            return
        path = dialogs.ask_open_path(self._widget, "Open consult", dialogs.CONSULT_FILTER)
        if path is not None:
            self.open_path(path)

    def open_recent(self, path: Path) -> None:
        """File > Open recent: asks about unsaved answers first, as Open does."""
        if self.may_drop_answers():
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Opens a consult file; a broken one gives a plain message and keeps the consult.

        Returns:
            True when the file was opened.
        """
        try:
            consult, upgrade = read_consult_file_upgrading(path)
        except ConsultError as error:
            dialogs.show_error(self._widget, "Cannot open the consult", str(error))
            return False
        self.path = path
        self._disk_digest = file_digest(path)
        self.session.replace(consult)
        self.settings.add_recent(str(path))
        self._show_title()
        self.go_to_step(0)  # a consult opens at its first step, as a new one does
        if upgrade is not None:
            from decision_aid.older_form import upgrade_lines  # only for an older file

            dialogs.show_message(
                self._widget,
                "Questions to answer again",
                "\n".join(upgrade_lines(upgrade, self.content.questions, path.name)),
            )
        return True

    # --- save ----------------------------------------------------------------------------

    def save_consult(self) -> bool:
        """Saves to the consult's own file, or asks for one the first time. A file changed on
        disk since this window opened or saved it is not overwritten without asking."""
        if self.path is None:
            return self.save_consult_as()
        now = file_digest(self.path)
        if now is not None and now != self._disk_digest:
            choice = dialogs.ask_changed_on_disk(self._widget, self.path)
            if choice == "save_as":
                return self.save_consult_as()
            if choice != "overwrite":
                return False
        return self._save_to(self.path)

    def save_consult_as(self) -> bool:
        suggested = self.path.name if self.path else f"consult-{time_stamp()}{CONSULT_SUFFIX}"
        path = self.ask_output_path(
            "Save consult", dialogs.CONSULT_FILTER, suggested, CONSULT_SUFFIX
        )
        return path is not None and self._save_to(path)

    def ask_output_path(
        self, caption: str, file_filter: str, suggested: str, suffix: str, *others: str
    ) -> Path | None:
        """Where to write a file: the save dialog, starting in the consult's folder (the
        start folder for a consult never saved); a bare name gets ``suffix``, and a file
        that exists is replaced only when the clinician says so (else the dialog again); a
        name ending in one of the ``others`` suffixes is kept as it is.

        Returns:
            the file to write, or None when the clinician cancels.
        """
        start = str(self.path.parent / suggested) if self.path else suggested
        while True:
            chosen = dialogs.ask_save_path(self._widget, caption, file_filter, start)
            if chosen is None:
                return None
            path = with_suffix(chosen, suffix, *others)
            if not os.path.lexists(path):
                self._may_replace.discard(path)  # nothing to replace: none may appear
                return path
            if dialogs.confirm_replace(self._widget, path):
                self._may_replace.add(path)
                return path
            start = str(path)

    def _save_to(self, path: Path) -> bool:
        data = self.session.consult.to_json().encode()
        if not self._write(path, data, "consult"):
            return False
        self.path = path
        self._disk_digest = hashlib.sha256(data).hexdigest()
        self.session.mark_saved()
        self.settings.add_recent(str(path))
        self._show_title()
        self.confirm(f"Consult saved: {path.name}")
        return True

    def _write(self, path: Path, data: bytes, what: str) -> bool:
        """Writes a file; one that is there is replaced only when it is the consult's own file
        or the clinician agreed to replace it (the file layer refuses the rest)."""
        try:
            write_atomic(path, data, replace=path == self.path or path in self._may_replace)
        except OutputError as error:
            dialogs.show_error(
                self._widget, f"The {what} was not saved", f"{error}\nThe consult is unchanged."
            )
            return False
        return True

    # --- handouts --------------------------------------------------------------------------

    def _handout_may_be_given(self) -> bool:
        """While an urgent finding is unresolved, or the consult is incomplete, a handout is
        given only when the clinician says so."""
        assessment = self.session.assessment
        if assessment.urgent:
            texts = [finding.text for finding in assessment.urgent]
            return dialogs.confirm_urgent_handout(self._widget, texts)
        if assessment.status is not Status.INCOMPLETE:
            return True
        missing = len(assessment.missing)
        conflicts = len(assessment.conflicts)
        return dialogs.confirm_incomplete_handout(self._widget, missing, conflicts)
