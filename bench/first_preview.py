"""The first handout preview (docs/design.md section 7: within 0.25 s of entering Review),
measured in one process against the handout render alone, after the warm-up has run as it
does while the clinician reads the first steps. Prints one JSON object. Run by bench/run.py."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "resources" / "examples" / "specialist-review-controlled-bp.consult.json"


def main() -> None:
    from PySide6.QtCore import QSettings

    from decision_aid.ui import warm_up
    from decision_aid.ui.app import _application, build_window, prepare_review
    from decision_aid.ui.settings import AppSettings

    application = _application()
    store = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = build_window(AppSettings(store))
    window.show()
    application.processEvents()
    window.open_path(EXAMPLE)
    application.processEvents()
    # As the app does once start-up is over, while the clinician reads the first steps.
    prepare_review(window)
    warm_up.wait()
    review_row = window.steps.count() - 1
    start = time.perf_counter()
    window.go_to_step(review_row)
    application.processEvents()
    first_preview = time.perf_counter() - start

    from decision_aid.handout import Paper, render_handout

    session = window.session
    renders = []
    for _ in range(7):
        start = time.perf_counter()
        render_handout(
            session.consult,
            session.assessment,
            session.content,
            session.consult.patient.handout_language,
            Paper.LETTER,
        )
        renders.append(time.perf_counter() - start)
    render = statistics.median(renders)
    window.session.mark_saved()
    sys.stdout.write(
        json.dumps(
            {
                "first preview (s)": first_preview,
                "handout render alone (s, median)": render,
                "ratio": first_preview / render,
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
