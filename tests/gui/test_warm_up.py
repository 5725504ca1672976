"""The Review step made ready ahead (decision_aid/ui/warm_up.py, app.prepare_review): the
renderer's first run happens in the background, on a blank consult, and never at the same time
as the preview's own render."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from decision_aid import handout
from decision_aid.ui import warm_up
from decision_aid.ui.app import prepare_review
from tests.helpers import EXAMPLES

if TYPE_CHECKING:
    import pytest
    from pytestqt.qtbot import QtBot

    from decision_aid.ui.main_window import MainWindow


def test_the_preview_waits_for_the_warm_up_and_renders_the_consult(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warm_up, "_started", [])
    render = handout.render_handout
    running: list[int] = []
    most = [0]
    ages: list[int | None] = []
    lock = threading.Lock()

    def counted(consult: Any, *args: Any, **kwargs: Any) -> bytes:
        with lock:
            running.append(1)
            most[0] = max(most[0], len(running))
        time.sleep(0.05)  # long enough for a second render to overlap, were it allowed
        try:
            ages.append(consult.patient.age_years)
            return render(consult, *args, **kwargs)
        finally:
            with lock:
                running.pop()

    monkeypatch.setattr(handout, "render_handout", counted)
    window.open_path(EXAMPLES / "may-discuss.consult.json")
    prepare_review(window)
    prepare_review(window)  # a second call starts nothing more
    assert len(warm_up._started) == 1
    window.go_to_step(window.steps.count() - 1)
    qtbot.waitUntil(lambda: window.review.handout_pdf() is not None)
    warm_up.wait()
    assert most[0] == 1  # never two renders at once
    # The warm-up rendered a blank consult (no age), the preview the patient's.
    assert ages == [None, window.session.consult.patient.age_years]
