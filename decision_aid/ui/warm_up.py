"""The first handout preview without the wait: the handout renderer is loaded and run once in
the background soon after the window opens (docs/design.md section 7: the first preview
within 0.25 s of entering Review).

Its import and first render took about 0.4 s of a 0.33-0.75 s first preview: reportlab and
the handout package load, and the fonts are read and measured. A thread does that while the
clinician reads the first steps, on a blank consult, so nothing of the patient's is rendered
before it is asked for. The Review step waits for the thread before it renders, so the two
never run at once.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decision_aid.content import Content

_started: list[threading.Thread] = []


def start(content: Content) -> None:
    """Loads and runs the renderer once in the background; at most once per process."""
    if _started:
        return
    thread = threading.Thread(target=_render_once, args=(content,), name="handout warm-up")
    thread.daemon = True  # never keeps the app from quitting
    _started.append(thread)
    thread.start()


def wait() -> None:
    """Returns once the warm-up is over (at once if none was started)."""
    for thread in _started:
        thread.join()


def _render_once(content: Content) -> None:
    from decision_aid.consult import Consult
    from decision_aid.handout import Paper, render_handout
    from decision_aid.rules import assess

    blank = Consult()
    try:
        render_handout(
            blank, assess(blank, content), content, blank.patient.handout_language, Paper.LETTER
        )
    except Exception:  # only a head start: the preview renders again and reports
        return
