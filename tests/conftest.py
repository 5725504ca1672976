"""Suite-wide guards: no network, no real user state, Qt offscreen, GUI tests marked."""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from pathlib import Path

# Headless by default: a test run never needs a screen (design.md section 11; style 9).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class NetworkBlockedError(OSError):
    """Raised by every attempt to reach the network while the tests run."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise NetworkBlockedError("network access is not allowed in decision-aid")


_INTERNET = (socket.AF_INET, socket.AF_INET6)


class _GuardedSocket(socket.socket):
    def connect(self, address: Any) -> None:
        if self.family in _INTERNET:
            _refuse()
        super().connect(address)

    def connect_ex(self, address: Any) -> int:
        if self.family in _INTERNET:
            _refuse()
        return super().connect_ex(address)

    def sendto(self, *args: Any) -> int:
        if self.family in _INTERNET:
            _refuse()
        return super().sendto(*args)


def pytest_configure(config: pytest.Config) -> None:
    # For the whole run, not per test: the product must never reach the network, and the
    # whole suite passing under this guard is the proof (design.md section 11).
    socket.socket = _GuardedSocket  # type: ignore[misc]
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse


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
