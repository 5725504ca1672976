"""Faults met in processes of their own: no network in the processes the tests start, and the
commands run with a home where nothing can be created."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from tests.helpers import EXAMPLES, run_command, run_python

if TYPE_CHECKING:
    from pathlib import Path


def test_the_network_is_blocked_in_the_processes_the_tests_start() -> None:
    probe = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 9))\n"
        "except OSError as error:\n"
        "    print(error)\n"
    )
    result = run_python("-c", probe, check=True)
    assert "network access is not allowed" in result.stdout


@pytest.mark.slow
def test_commands_run_with_an_unusable_home(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    home = blocker / "home"  # nothing can be created here
    environment = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    result = run_command("assess", str(EXAMPLES / "may-discuss.consult.json"), env=environment)
    assert result.returncode == 0, result.stderr
    assert "Status:" in result.stdout
