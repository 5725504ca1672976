"""The composition root: builds the application, the content, the session and the window.

Nothing else creates these; widgets get what they need through their constructors.
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from decision_aid.content import (
    BOLD_FONT_FILE,
    REGULAR_FONT_FILE,
    ContentError,
    font_bytes,
    load_content,
    pack_directory,
)
from decision_aid.display import display_problem
from decision_aid.display import unattended as display_unattended
from decision_aid.ui import dialogs, warm_up
from decision_aid.ui.consult_files import starting_consult
from decision_aid.ui.main_window import MainWindow
from decision_aid.ui.screen_fit import keep_on_screen
from decision_aid.ui.session import ConsultSession
from decision_aid.ui.settings import AppSettings
from decision_aid.ui.theme import apply_readable_indicators

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from decision_aid.content import Content

# For the end-to-end test and install scripts: once the window is shown, save a picture of it.
SCREENSHOT_ENV: Final = "DECISION_AID_SCREENSHOT"
EXIT_BROKEN_CONTENT: Final = 3
EXIT_BAD_CONSULT: Final = 2
# After start-up is over, not during it (the start-up target is measured without it).
WARM_UP_AFTER_MS: Final = 800


def default_settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "decision-aid", "decision-aid"
    )


def private_settings() -> AppSettings:
    """The user's settings, in a folder that is theirs alone (0700, files 0600; narrowed at
    start where they were wider). Qt's own settings, where its file dialog keeps its history
    and last folder (``QtProject.conf``), are moved into that folder too, out of the
    ``~/.config`` every account's Qt programs share (docs/design.md section 11)."""
    store = default_settings()
    folder = Path(store.fileName()).parent
    settings = AppSettings(store, private_folder=folder)
    if os.name == "posix":
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    return settings


def build_window(
    settings: AppSettings, content_folder: str | None = None, content: Content | None = None
) -> MainWindow:
    """The main window over a fresh session.

    Raises:
        ContentError: the content pack in use is broken.
    """
    if content is None:
        setting = settings.clinic().content_folder or None
        content = load_content(pack_directory(setting, option=content_folder))
    use_pack_fonts(content)
    session = ConsultSession(content)
    # The consult the app opens with is a new one: the Settings' defaults apply to it too.
    starting = starting_consult(content, settings)
    if starting != session.consult:
        session.replace(starting)
    return MainWindow(session, settings)


def use_pack_fonts(content: Content) -> str:
    """Gives Qt the pack's fonts and makes the regular one the window's font.

    Without it a machine with no system fonts shows every character as a box, and says
    nothing; with it the window looks the same everywhere, in the handout's typeface.

    Returns:
        The family the window now uses.

    Raises:
        ContentError: a font of the pack is missing, unreadable or not a font.
    """
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QFontDatabase

    families: list[str] = []
    for name in (REGULAR_FONT_FILE, BOLD_FONT_FILE):
        font_id = QFontDatabase.addApplicationFontFromData(
            QByteArray(font_bytes(name, content.location))
        )
        if font_id < 0:
            raise ContentError(f"fonts/{name}", "Qt cannot read it as a font")
        families += QFontDatabase.applicationFontFamilies(font_id)
    font = QApplication.font()
    font.setFamily(families[0])
    QApplication.setFont(font)
    return families[0]


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    application = QApplication(sys.argv[:1])
    application.setApplicationName("decision-aid")
    application.setOrganizationName("decision-aid")
    apply_readable_indicators(application)
    return application


def run(
    content_folder: str | None = None,
    *,
    exit_after_startup: bool = False,
    consult_file: str | None = None,
) -> int:
    """Opens the app and runs it until the window closes; returns the exit status.

    Args:
        content_folder: the ``--content`` folder, if given.
        exit_after_startup: quit once the window is shown and ready.
        consult_file: a consult to open (``decision-aid FILE``, the desktop file's ``%f``);
            a broken one gives the window's plain message and an empty consult.
    """
    # Nobody can click a box here: start-up failures are one line on stderr (never a box
    # that waits for ever), and so is any message the window would show.
    unattended = exit_after_startup or display_unattended()
    dialogs.set_unattended(unattended)
    application = _application()
    settings = private_settings()
    try:
        window = build_window(settings, content_folder)
    except ContentError as error:
        # For IT, on stderr in any case; for the clinician, in a box when one can be clicked.
        sys.stderr.write(f"decision-aid: error: the content pack cannot be used: {error}\n")
        sys.stderr.flush()
        if not unattended:
            message = f"The content pack cannot be used.\n{error}"
            dialogs.show_error(None, "decision-aid cannot start", message)
        return EXIT_BROKEN_CONTENT
    sys.excepthook = excepthook_for(window)
    window.fit_to_screen()
    window.show()
    # The window manager's frame is known once the window is shown: fit it again if needed.
    QTimer.singleShot(100, lambda: keep_on_screen(window))
    if consult_file and not dialogs.is_unattended():
        # The dialog below is for the clinician; the same line as ``assess`` gives goes to
        # stderr first, for whoever started the program from a terminal or a script.
        _say_file_refused(Path(consult_file))
    opened = not consult_file or window.open_path(Path(consult_file))
    if not opened and exit_after_startup:
        # The message is on stderr; an install script learns of the file by the status.
        window.session.mark_saved()
        window.close()
        return EXIT_BAD_CONSULT
    # Start-up is over (decision_aid/start.py): what it made lives as long as the window, so
    # the garbage collector, back on from here, never needs to scan it.
    QTimer.singleShot(0, _collect_garbage_from_now_on)
    QTimer.singleShot(WARM_UP_AFTER_MS, lambda: prepare_review(window))
    screenshot = os.environ.get(SCREENSHOT_ENV)
    if exit_after_startup or screenshot:

        def ready() -> None:
            if screenshot:
                window.grab().save(screenshot)
            if exit_after_startup:
                # The window is shown and idle: start-up is over.
                application.quit()

        QTimer.singleShot(0, ready)
    status = application.exec()
    if exit_after_startup:
        window.session.mark_saved()  # nothing was answered; quit without asking
        window.close()
    return status


def _say_file_refused(path: Path) -> None:
    """One line on stderr when the consult file cannot be opened (nothing when it can)."""
    from decision_aid.consult import ConsultError, escape_unprintable
    from decision_aid.files import read_consult_file

    try:
        read_consult_file(path)
    except ConsultError as error:
        sys.stderr.write(f"decision-aid: error: {escape_unprintable(str(error))}\n")
        sys.stderr.flush()


def prepare_review(window: MainWindow) -> None:
    """Makes the Review step ready while the clinician reads the first steps, so that its first
    preview is quick (docs/design.md section 7): the renderer's first run in the background
    (``warm_up``), and the step's page built now rather than when it is first entered."""
    warm_up.start(window.session.content)
    _ = window.review


def _collect_garbage_from_now_on() -> None:
    gc.freeze()
    gc.enable()


def excepthook_for(
    window: MainWindow,
) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
    def excepthook(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        # The traceback goes to stderr for IT; answers are never in it (they live in the
        # session, not in exception messages). The consult stays as it was.
        traceback.print_exception(kind, error, trace, file=sys.stderr)
        dialogs.show_error(
            window,
            "Something went wrong",
            f"An unexpected error happened: {error}\nYour answers are kept; save the consult.",
        )

    return excepthook


def check_window(content: Content) -> str:
    """Opens and closes the main window on the platform the program would use (offscreen
    only when ``QT_QPA_PLATFORM`` says so), for IT checks; the line names the platform.

    Args:
        content: the pack the other checks validated, so that the window shows the same one.
    """
    problem = display_problem()
    if problem and QApplication.instance() is None:
        # Where the window cannot open, the check fails as ``--exit-after-startup`` does (Qt
        # would abort the whole check); offscreen is used only when asked for.
        if not os.environ.get("QT_QPA_PLATFORM"):
            problem += "; QT_QPA_PLATFORM=offscreen checks the window without one"
        raise RuntimeError(problem)
    application = _application()
    scratch = QSettings(str(Path(os.devnull)), QSettings.Format.IniFormat)
    window = build_window(AppSettings(scratch), content=content)
    window.show()
    application.processEvents()
    steps = window.steps.count()
    window.session.mark_saved()
    window.close()
    window.deleteLater()
    application.processEvents()
    return f"main window opened and closed ({steps} steps, platform {application.platformName()})"
