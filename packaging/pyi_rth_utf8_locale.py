"""Runtime hook of the desktop bundle (packaging/decision-aid.spec): runs before the program.

The ``python`` command coerces the C locale to UTF-8 at start (PEP 538): with no LANG, LC_ALL
or LC_CTYPE, as under ``env -i`` or in a service, it sets ``LC_CTYPE=C.UTF-8``. A PyInstaller
program does not, and Qt then warns on every start that it "switched to C.UTF-8" (a message
that worries IT for nothing). This does what Python does, so the bundle behaves as the
installed program; UTF-8 mode itself (PEP 540) is set in the spec. LC_ALL is never overridden.
"""

import locale
import os


def _coerce_c_locale() -> None:
    if os.environ.get("LC_ALL"):
        return
    try:
        current = locale.setlocale(locale.LC_CTYPE, "")
    except locale.Error:
        return  # a locale named in the environment that this machine lacks: leave it to Qt
    if current not in ("C", "POSIX"):
        return
    for name in ("C.UTF-8", "C.utf8", "UTF-8"):
        try:
            locale.setlocale(locale.LC_CTYPE, name)
        except locale.Error:
            continue
        os.environ["LC_CTYPE"] = name
        return


_coerce_c_locale()
