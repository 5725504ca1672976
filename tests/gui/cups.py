"""A real CUPS server with cups-pdf printers, for the printing tests (tests/gui/test_printing.py).

The session fixture ``cups_pdf`` (tests/gui/conftest.py) calls :func:`start`, as does .ci/run
before the tests (``python3 tests/gui/cups.py``, as root): it starts the machine's ``cupsd``
when it is not running (as root: CI, a container), adds a cups-pdf queue that prints to PDF
files and a second one that refuses every job, and finds the folder cups-pdf
writes to (``Out`` in /etc/cups/cups-pdf.conf). Starting cupsd takes about a second. Where
that cannot be done (no cupsd, no cups-pdf, not root and no scheduler running) the tests are
skipped with the reason, except under ``DECISION_AID_REQUIRE_CUPS=1`` (set by .ci/run), where
they fail: CI must print.

Everything here is local: lp, lpstat and lpadmin talk to cupsd over its socket in /run/cups,
which works inside the tests' network namespace too. The queues and the scheduler are left
running after the tests (other test processes may still be printing).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

# The queues the tests add (their own names: a developer's own "PDF" queue is left alone).
PRINTER = "decision-aid-test-pdf"
# The jobs a test has printed and taken: CUPS may leave a job that has just completed out of
# lpstat's lists for a moment, and the next test must not count it as its own.
TAKEN: set[str] = set()
REFUSING = "decision-aid-test-refusing"
PPD_FOLDERS = (Path("/usr/share/ppd/cups-pdf"), Path("/usr/share/cups/model"))
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
REQUIRE = "DECISION_AID_REQUIRE_CUPS"
# cupsd answers within a second of starting; a printed file appears within a few seconds
# (cups-pdf runs Ghostscript over the job).
START_TIMEOUT_S = 15.0
PRINT_TIMEOUT_S = 60.0


class Unavailable(Exception):
    """CUPS with cups-pdf cannot be had on this machine; the message says why."""


@dataclass(frozen=True)
class CupsPdf:
    """A running scheduler with the two test queues, and where printed files land."""

    printer: str
    refusing: str
    out: Path

    def take(self, job: str, folder: Path, timeout: float = PRINT_TIMEOUT_S) -> Path:
        """The PDF file cups-pdf made of ``job`` ("decision-aid-test-pdf-12"), once the job
        is completed, moved into ``folder`` (printed files do not pile up in cups-pdf's)."""
        number = job.rsplit("-", 1)[-1]
        pattern = re.compile(rf"job_{number}\.pdf$")
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            if _completed(job):
                found = [path for path in self.out.glob("*.pdf") if pattern.search(path.name)]
                if found:
                    TAKEN.add(job)
                    return Path(shutil.move(found[0], folder / f"printed-{number}.pdf"))
            time.sleep(0.1)
        log = _run("lpstat", "-W", "all", "-o", self.printer).stdout
        raise AssertionError(f"job {job} printed no file in {self.out} within {timeout} s:\n{log}")


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    return subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=30, check=False
    )


def _completed(job: str) -> bool:
    listed = _run("lpstat", "-W", "completed", "-o", job.rsplit("-", 1)[0]).stdout
    return any(line.split()[:1] == [job] for line in listed.splitlines())


def _scheduler_running() -> bool:
    return "scheduler is running" in _run("lpstat", "-r").stdout


def _ppd() -> Path:
    for folder in PPD_FOLDERS:
        for name in ("CUPS-PDF_opt.ppd", "CUPS-PDF_noopt.ppd", "CUPS-PDF.ppd"):
            if (folder / name).is_file():
                return folder / name
    raise Unavailable("no cups-pdf PPD (apt-get install printer-driver-cups-pdf)")


def out_folder(conf: Path = CUPS_PDF_CONF) -> Path:
    """Where cups-pdf writes the jobs of this process's user: its ``Out`` setting, with
    ${HOME} and ${USER} of the user the job is printed as (not the tests' own HOME)."""
    out = "/var/spool/cups-pdf/${USER}"  # cups-pdf's default
    if conf.is_file():
        for line in conf.read_text(encoding="utf-8", errors="replace").splitlines():
            if re.match(r"\s*Out\s", line):
                out = line.split(None, 1)[1].strip()
    user = pwd.getpwuid(os.getuid())
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


@contextlib.contextmanager
def _machine_lock(name: str = "decision-aid-cups.lock") -> Iterator[None]:
    # Every test process (pytest-xdist) runs the session fixture: one at a time here.
    # Read-only: a lock file another user made is still ours to lock.
    path = Path(tempfile.gettempdir()) / name
    lock = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        os.close(lock)  # and with it the lock


def start() -> CupsPdf:
    """The scheduler running, with the test queues.

    Raises:
        Unavailable: this machine cannot run them; the message says what is missing.
    """
    for command in ("cupsd", "lpadmin", "lp", "lpstat", "cupsreject"):
        if shutil.which(command) is None and not Path("/usr/sbin", command).exists():
            raise Unavailable(f"{command} is not installed (apt-get install cups)")
    ppd = _ppd()
    if not Path("/usr/lib/cups/backend/cups-pdf").exists():
        raise Unavailable("the cups-pdf backend is missing (printer-driver-cups-pdf)")
    with _machine_lock():
        if not _scheduler_running():
            if os.geteuid() != 0:
                raise Unavailable("cupsd is not running, and only root can start it")
            _start_cupsd()
            give_up = time.monotonic() + START_TIMEOUT_S
            while not _scheduler_running():
                if time.monotonic() > give_up:
                    raise Unavailable(f"cupsd did not answer within {START_TIMEOUT_S} s")
                time.sleep(0.05)
        listed = _run("lpstat", "-e").stdout.split()
        for queue in (PRINTER, REFUSING):
            if queue not in listed:
                added = _run(
                    _sbin("lpadmin"), "-p", queue, "-E", "-v", "cups-pdf:/", "-P", str(ppd)
                )
                if added.returncode != 0:
                    raise Unavailable(f"lpadmin could not add {queue}: {added.stderr.strip()}")
        _run(_sbin("cupsaccept"), PRINTER)
        _run(_sbin("cupsenable"), PRINTER)
        _run(_sbin("cupsreject"), "-r", "closed for the test", REFUSING)
    return CupsPdf(PRINTER, REFUSING, out_folder())


def _start_cupsd() -> None:
    # cupsd becomes a daemon: its first process ends once the scheduler is set up. Its output
    # goes to a file, not a pipe, which the daemon would hold open.
    with tempfile.TemporaryFile() as errors:
        started = subprocess.run(
            [_sbin("cupsd")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            timeout=START_TIMEOUT_S,
            check=False,
        )
        errors.seek(0)
        if started.returncode != 0:
            said = errors.read().decode(errors="replace").strip()
            raise Unavailable(f"cupsd did not start (status {started.returncode}): {said}")


def _sbin(command: str) -> str:
    return shutil.which(command) or str(Path("/usr/sbin", command))


if __name__ == "__main__":
    # .ci/run, as root: the scheduler and the queues ready before the tests.
    try:
        ready = start()
    except Unavailable as reason:
        raise SystemExit(f"no CUPS for the printing tests: {reason}") from None
    sys.stdout.write(
        f"CUPS is running: {ready.printer} prints to {ready.out}, {ready.refusing} refuses\n"
    )


@contextlib.contextmanager
def one_printing_test_at_a_time() -> Iterator[None]:
    """Held for the whole of a printing test: a test tells its job from the queue's others
    by what is new on it, so no other test process (pytest-xdist) may print meanwhile. The
    tests' xdist_group mark alone did not keep them in one process (seen in CI: two tests
    printed in the same second and each saw both jobs)."""
    with _machine_lock("decision-aid-printing-test.lock"):
        yield
