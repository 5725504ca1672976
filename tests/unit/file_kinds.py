"""Making FIFOs, devices and folders where a file is expected, and running the command line
with a deadline, for the tests of inputs and outputs (docs/design.md section 11).

The FIFOs and devices are made inside the test's own folder (never in /dev): a character
device with /dev/zero's numbers needs the power to make device nodes (root outside a user
namespace), and giving a file to another user needs the power to chown; where the machine
does not grant them (as in CI's network namespace, where root is mapped but holds neither),
those cases are skipped, asked of the machine rather than guessed from the user id.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
from typing import TYPE_CHECKING

import pytest

from decision_aid import cli
from tests.helpers import EXAMPLES, REPO

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

EXAMPLE = EXAMPLES / "may-discuss.consult.json"
NOBODY = 65534


def _allowed(action: Callable[[str], None]) -> bool:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        try:
            action(os.path.join(folder, "probe"))
        except OSError:
            return False
    return True


def _chown_to_nobody(path: str) -> None:
    with open(path, "w"):
        pass
    os.chown(path, NOBODY, NOBODY)


def _make_device(path: str) -> None:
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))


CAN_CHOWN: bool = _allowed(_chown_to_nobody)
CAN_MKNOD: bool = _allowed(_make_device)
FONTS = REPO / "resources" / "fonts"


class Hung(BaseException):
    """Raised when a test overruns: not an Exception, so no handler takes it for a failure."""


@contextlib.contextmanager
def deadline(seconds: int = 10) -> Iterator[None]:
    """Fails the test instead of hanging it (a FIFO opened for reading blocks for ever)."""

    def overrun(signum: int, frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_zero_device(path: Path) -> None:
    if not CAN_MKNOD:
        pytest.skip("this machine does not let the tests make a device node (mknod)")
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers


def make_folder(path: Path) -> None:
    path.mkdir()


KINDS: dict[str, Callable[[Path], None]] = {
    "fifo": make_fifo,
    "device": make_zero_device,
    "folder": make_folder,
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    with deadline():
        try:
            code = cli.main(list(argv))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, capsys.readouterr().err


def one_line(err: str) -> str:
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err
