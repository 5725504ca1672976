"""What the commands do with hostile output streams, odd numbers and a display that is named
but not there (docs/design.md sections 9 and 11): one line and an exit status, never a
traceback or a Qt abort."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from decision_aid.cli import main
from tests.helpers import EXAMPLES, REPO, content, copy_pack, run_command, run_python

pytestmark = pytest.mark.slow

SPANISH = EXAMPLES / "crps-may-discuss-es.consult.json"


def unserved_display() -> str:
    """A display number no X server has a socket for here."""
    for number in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            return f":{number}"
    pytest.skip("no free display number")


def without_qt_platform(**extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")
    }
    return {**environment, **extra}


def test_a_named_but_unreachable_display_is_one_line_and_exit_3(tmp_path: Path) -> None:
    display = unserved_display()
    result = run_command(env=without_qt_platform(DISPLAY=display, HOME=str(tmp_path)))
    assert result.returncode == 3, result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"decision-aid: error: the display '{display}'")
    assert "qt.qpa" not in result.stderr


def test_check_install_fails_the_window_check_on_an_unreachable_display(tmp_path: Path) -> None:
    result = run_command(
        "--check-install",
        env=without_qt_platform(DISPLAY=unserved_display(), HOME=str(tmp_path)),
    )
    assert result.returncode == 3
    assert "FAIL window: the display" in result.stdout
    assert "ok   handout" in result.stdout
    assert "not ready: 1 of 7 checks failed" in result.stdout
    assert "qt.qpa" not in result.stderr  # Qt was never started on it


def test_version_names_the_program_and_the_builtin_pack(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--version"]) == 0
    line = capsys.readouterr().out.strip()
    pack = content().pack
    assert line.startswith("decision-aid ")
    assert f"{pack.name} {pack.version} ({content().stamp})" in line


def test_a_reader_that_closes_early_gets_no_traceback() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "decision_aid", "assess", str(SPANISH)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()  # as `| head -c 10` does
    with process.stderr:
        errors = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in errors
    assert process.returncode in (0, 1)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_for_the_output_is_one_line_and_exit_2() -> None:
    with Path("/dev/full").open("w") as full:
        result = run_command("note", str(SPANISH), stdout=full)
    assert result.returncode == 2
    assert result.stderr == (
        "decision-aid: error: the output could not be written (No space left on device)\n"
    )


def test_spanish_text_on_an_ascii_terminal_is_replaced_not_a_traceback() -> None:
    result = run_command("note", str(SPANISH), env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Status:" in result.stdout


def test_a_number_of_thousands_of_digits_is_bad_input(tmp_path: Path) -> None:
    consult = tmp_path / "big.consult.json"
    consult.write_text('{"patient": {"age_years": ' + "1" * 5000 + "}}")
    result = run_command("assess", str(consult))
    assert result.returncode == 2
    assert result.stderr == (
        f"decision-aid: error: {consult}: a number in the file has far too many digits\n"
    )


def test_check_install_fails_when_a_note_would_be_too_long(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = copy_pack(tmp_path / "pack")
    # The lines naming the pack are never shortened: a very long pack name cannot fit.
    info = pack / "pack.yaml"
    text = info.read_text(encoding="utf-8")
    name = "Riverside " + "clinical governance approved content " * 45
    info.write_text(re.sub(r"(?m)^name: .*$", f"name: {name.strip()}", text), encoding="utf-8")
    # Every language says the pack's name, and says which pack.yaml name it translates.
    for handout in (pack / "handout").glob("*.yaml"):
        words = handout.read_text(encoding="utf-8")
        handout.write_text(words.replace("decision-aid built-in content", name.strip()), "utf-8")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    status = main(["--check-install", "--content", str(pack)])
    out = capsys.readouterr().out
    assert status == 3
    assert "FAIL clinician note: a note of" in out
    assert "over the limit of 1,500" in out


def test_the_window_is_readable_without_any_system_font(tmp_path: Path) -> None:
    """With a fontconfig that knows no font at all, the window still uses the pack's own."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}</cachedir></fontconfig>'
    )
    probe = (
        "import json\n"
        "from PySide6.QtGui import QFontDatabase, QFontMetrics\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "system = list(QFontDatabase.families())\n"
        "from decision_aid.content import load_content\n"
        "from decision_aid.ui.app import use_pack_fonts\n"
        "family = use_pack_fonts(load_content())\n"
        "metrics = QFontMetrics(QApplication.font())\n"
        "print(json.dumps({'system': system, 'family': family,\n"
        "    'font': QApplication.font().family(),\n"
        "    'glyphs': all(metrics.inFontUcs4(ord(c)) for c in 'Aañé¿▲■≠')}))\n"
    )
    environment = {
        **os.environ,
        "FONTCONFIG_FILE": str(config),
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
    }
    result = run_python("-c", probe, env=environment)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert "DejaVu Sans" not in seen["system"]  # no system font, so the test means something
    assert seen["family"] == seen["font"] == "DejaVu Sans"
    assert seen["glyphs"]
