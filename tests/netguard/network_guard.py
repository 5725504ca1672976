"""No network in the tests: every attempt to reach another host fails (docs/design.md section 11).

Installed for the whole run by tests/conftest.py, and in every Python process the suite
starts (the commands, the app, the soak) by ``sitecustomize.py`` beside this file, which
conftest puts on PYTHONPATH. Local (Unix) sockets stay open: X11 and D-Bus use them.
"""

from __future__ import annotations

import socket
from typing import Any, NoReturn

MESSAGE = "network access is not allowed in decision-aid"
_INTERNET = (socket.AF_INET, socket.AF_INET6)


class NetworkBlockedError(OSError):
    """Raised by every attempt to reach the network while the tests run."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise NetworkBlockedError(MESSAGE)


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


def install() -> None:
    socket.socket = _GuardedSocket  # type: ignore[misc]
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
