"""Suite-wide guards: no network, no real user state, Qt offscreen, GUI tests marked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import copy_pack
from tests.netguard import network_guard

GUARD_FOLDER = Path(__file__).resolve().parent / "netguard"

# Headless by default: a test run never needs a screen (docs/design.md section 11; style 9).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_configure(config: pytest.Config) -> None:
    # For the whole run, not per test, and in every process the tests start: the product
    # must never reach the network, and the whole suite passing under this guard is the
    # proof (docs/design.md section 11).
    network_guard.install()
    paths = [str(GUARD_FOLDER), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures or "gui" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Points HOME and the config folders at a fresh folder: no test touches real user state."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("DECISION_AID_CONTENT", raising=False)
    return home


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the built-in content pack (without the examples) for the test to edit."""
    return copy_pack(tmp_path / "pack")
