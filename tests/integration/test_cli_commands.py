"""The command line in a process of its own, as a user runs it: a bad file gives one line and
no traceback, no display gives a plain message, and the entry point runs a command without the
garbage collector."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.helpers import EXAMPLES, run_command, run_python

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.slow
def test_real_process_prints_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.consult.json"
    bad.write_text('{"safety": {"psychosis": 3}}', encoding="utf-8")
    result = run_command("assess", str(bad), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"decision-aid: error: {bad}: safety.psychosis: 3 is not allowed; allowed values: "
        "'none', 'past_episode', 'chronic_disorder', 'active' or 'unknown'"
    )
    good = run_command("assess", str(EXAMPLES / "may-discuss.consult.json"), "--json", cwd=tmp_path)
    assert good.returncode == 0
    assert json.loads(good.stdout)["status"] == "may_discuss"


@pytest.mark.slow
def test_no_display_gives_a_plain_message(tmp_path: Path) -> None:
    import os

    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = run_command(cwd=tmp_path, env=environment)
    assert result.returncode == 3
    assert result.stderr.startswith("decision-aid: error: no display to open the window on")
    assert "Traceback" not in result.stderr


def test_the_entry_point_runs_a_command_without_the_garbage_collector() -> None:
    """decision_aid/start.py: off for the whole of a short command, and never by import."""
    probe = (
        "import gc, sys\n"
        "import decision_aid.cli\n"
        "imported = gc.isenabled()\n"
        "from decision_aid.start import main\n"
        "sys.argv = ['decision-aid', 'assess', sys.argv[1]]\n"
        "status = main()\n"
        "print(imported, gc.isenabled(), status, file=sys.stderr)\n"
    )
    result = run_python("-c", probe, str(EXAMPLES / "may-discuss.consult.json"), check=True)
    assert "Status:" in result.stdout
    assert result.stderr.split()[-3:] == ["True", "False", "0"]
