"""The app as a real process: under Xvfb with a screenshot, and a long soak."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
from PySide6.QtGui import QImage

from tests.helpers import REPO, run_command, run_python

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.slow


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A private X server for one test, stopped after it."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (CI installs it: apt-get install xvfb)")
    read, write = os.pipe()
    # -displayfd: Xvfb picks a free display number and writes it to us when it is ready.
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_app_starts_under_xvfb_and_draws_its_window(xvfb_display: str, tmp_path: Path) -> None:
    screenshot = tmp_path / "window.png"
    environment = {
        **os.environ,
        "DISPLAY": xvfb_display,
        "QT_QPA_PLATFORM": "xcb",
        "DECISION_AID_SCREENSHOT": str(screenshot),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = run_command("--exit-after-startup", cwd=tmp_path, env=environment)
    assert result.returncode == 0, result.stderr
    image = QImage(str(screenshot))
    assert not image.isNull()
    assert image.width() >= 900
    assert image.height() >= 600
    # A drawn window, not a blank one: the status box is tinted, the text is dark.
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 23)
        for y in range(0, image.height(), 19)
    }
    assert len(colours) > 5
    assert any(colour.startswith("#0") or colour == "#000000" for colour in colours)


def test_soak_thousands_of_steps(tmp_path: Path) -> None:
    result = run_python(
        str(REPO / "tests" / "gui" / "soak.py"),
        "2000",
        str(tmp_path / "s.ini"),
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "soak: 2000 rounds" in result.stdout


_START_UP_PROBE = """
import gc, json, sys
import PySide6.QtCore
from decision_aid.start import main
sys.argv = ["decision-aid", "--exit-after-startup"]
status = main()
garbage_collector = {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}
loaded = {
    "Qt's namespace": "Qt" in vars(PySide6.QtCore),
    "PyYAML": "yaml" in sys.modules,
    "reportlab": "reportlab" in sys.modules,
    "QtPdf": "PySide6.QtPdf" in sys.modules,
    "the Review page": "decision_aid.ui.review" in sys.modules,
    "the handout's words": "decision_aid.content.handout_text" in sys.modules,
    "the Course step": "decision_aid.ui.course_step" in sys.modules,
    "the course assessment": "decision_aid.course" in sys.modules,
    "the course chart": "decision_aid.course_chart" in sys.modules,
}
report = {"status": status, "loaded": loaded, "gc": garbage_collector}
print(json.dumps(report), file=sys.stderr)
"""


def test_start_up_loads_only_what_the_first_screen_needs(tmp_path: Path) -> None:
    """What the start-up budget (docs/design.md section 10) leaves out until it is first used.

    Qt's namespace counts: PySide builds its ~120 enums on first use, about 20 ms.
    """
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    reports = []
    # The first start validates the content pack (PyYAML parses it) and caches it; the
    # second is the usual one.
    for _ in range(2):
        result = run_python("-c", _START_UP_PROBE, cwd=tmp_path, env=environment)
        assert result.returncode == 0, result.stderr
        reports.append(json.loads(result.stderr.strip().splitlines()[-1]))
    assert [report["status"] for report in reports] == [0, 0]
    assert reports[0]["loaded"]["PyYAML"]
    assert [name for name, loaded in reports[1]["loaded"].items() if loaded] == []
    # The collector, off during start-up, is back on once the window is shown, with what
    # start-up made frozen out of its sight (decision_aid/start.py).
    assert reports[1]["gc"]["enabled"]
    assert reports[1]["gc"]["frozen"] > 10_000


def _window_names(display: str) -> list[str]:
    """The names of the X windows shown on ``display`` (xdotool, as a desktop sees them)."""
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "."],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        check=False,
    )
    names = []
    for window in found.stdout.split():
        name = subprocess.run(
            ["xdotool", "getwindowname", window],
            env={**os.environ, "DISPLAY": display},
            capture_output=True,
            text=True,
            check=False,
        )
        names.append(name.stdout.strip())
    return names


def _names_once_shown(
    display: str,
    wanted: str,
    environment: dict[str, str],
    *args: str,
    stderr_to: Path | None = None,
) -> list[str]:
    """Starts ``decision-aid ARGS``; the window names once one contains ``wanted``. What it
    writes on stderr goes to ``stderr_to`` when given."""
    errors = stderr_to.open("w", encoding="utf-8") if stderr_to else subprocess.DEVNULL
    app = subprocess.Popen(
        [sys.executable, "-m", "decision_aid", *args],
        cwd=REPO,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    try:
        deadline = time.monotonic() + 60
        names: list[str] = []
        while time.monotonic() < deadline and app.poll() is None:
            names = _window_names(display)
            if any(wanted in name for name in names):
                time.sleep(0.5)  # a message box may follow the window
                return _window_names(display)
            time.sleep(0.2)
        raise AssertionError(f"no window named {wanted!r}: {names}, exit {app.poll()}")
    finally:
        app.terminate()
        app.wait(timeout=10)
        if stderr_to:
            errors.close()  # type: ignore[union-attr]


def test_decision_aid_file_opens_that_consult(xvfb_display: str, tmp_path: Path) -> None:
    """``decision-aid FILE`` (the desktop file's ``Exec=decision-aid %f``) opens the consult;
    a broken file gives one plain message and an empty consult; subcommands stay."""
    if shutil.which("xdotool") is None:
        pytest.skip("xdotool is not installed (apt-get install xdotool)")
    environment = {
        **os.environ,
        "DISPLAY": xvfb_display,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    consult = tmp_path / "Ana Lima.consult.json"
    shutil.copy(REPO / "resources" / "examples" / "may-discuss.consult.json", consult)
    names = _names_once_shown(xvfb_display, "Ana Lima.consult.json", environment, str(consult))
    assert any(name.startswith("Ana Lima.consult.json - decision-aid") for name in names), names

    broken = tmp_path / "broken.consult.json"
    broken.write_text('{"safety": {"liver": "purple"}}', encoding="utf-8")
    said = tmp_path / "stderr.txt"
    names = _names_once_shown(
        xvfb_display, "Cannot open the consult", environment, str(broken), stderr_to=said
    )
    assert any(name.startswith("Untitled consult - decision-aid") for name in names), names
    assert names.count("Cannot open the consult") == 1, names
    # The same line as ``assess`` gives, for whoever started it from a terminal.
    assessed_broken = run_command("assess", str(broken), cwd=REPO, env=environment)
    assert said.read_text(encoding="utf-8") == assessed_broken.stderr

    # Several files: the first opens, the others are named on stderr.
    second = tmp_path / "second.consult.json"
    shutil.copy(consult, second)
    both = run_command(
        "--exit-after-startup", str(consult), str(second), cwd=REPO, env=environment, timeout=120
    )
    assert both.returncode == 0, both.stderr
    assert both.stderr == (
        f"decision-aid: opening {consult} only; open the others one at a time: {second}\n"
    )

    started = run_command(
        "--exit-after-startup", str(consult), cwd=REPO, env=environment, timeout=120
    )
    assert started.returncode == 0, started.stderr
    assessed = run_command("assess", str(consult), cwd=REPO, env=environment)
    assert assessed.returncode == 0, assessed.stderr
    assert assessed.stdout.startswith("Status: IV ketamine may be discussed")
    mixed = run_command("--version", str(consult), cwd=REPO, env=environment)
    assert mixed.returncode == 2
    assert mixed.stderr.count("\n") == 1
