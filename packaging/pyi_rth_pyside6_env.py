"""Runtime hook of the desktop bundle, in place of PyInstaller's own for PySide6.

PyInstaller's hook imports PySide6.QtCore at every start, to give Qt a qt.conf when the Qt
package lacks one: about 0.15 s of loading Qt and its ICU data before any command, and the
commands assess, note, handout and fhir must never load Qt (docs/design.md section 10). The
PySide6 wheels make their own qt.conf when QtCore is first imported, so only the environment
part of that hook is needed, and that needs no Qt: where the bundle's Qt plugins are.
packaging/decision-aid.spec swaps this file in for pyi_rth_pyside6.
"""

import os
import sys


def _qt_environment() -> None:
    base = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
    if sys.platform.startswith("win"):
        qt = os.path.join(base, "PySide6")
        # QtNetwork looks for OpenSSL on the PATH (the bundle has none; kept as PyInstaller's).
        os.environ["PATH"] = base + os.pathsep + os.environ.get("PATH", "")
    else:
        qt = os.path.join(base, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt, "qml")


_qt_environment()
