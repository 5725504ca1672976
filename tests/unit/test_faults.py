"""Faults in this process: no network, unwritable places, a full disk, logs without answers
(in the processes the tests start, and a home where nothing can be created:
tests/integration/test_faults_in_processes.py)."""

from __future__ import annotations

import errno
import logging
import os
import re
import socket
from typing import TYPE_CHECKING, Any

import pytest

from decision_aid.files import OutputError, write_atomic
from tests.helpers import safe_consult

if TYPE_CHECKING:
    from pathlib import Path


def test_the_network_is_blocked_for_the_whole_suite() -> None:
    with pytest.raises(OSError, match="network access is not allowed"):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(OSError, match="network access is not allowed"):
        socket.getaddrinfo("example.org", 443)
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as raw,
        pytest.raises(OSError, match="network access is not allowed"),
    ):
        raw.connect(("127.0.0.1", 9))


@pytest.mark.skipif(
    not os.environ.get("DECISION_AID_NETWORK_JAIL"),
    reason="only where .ci/run could put the tests in a network namespace",
)
def test_not_even_a_socket_below_the_guard_reaches_the_network() -> None:
    import _socket

    raw = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)  # beneath the Python guard
    try:
        # 192.0.2.1 is a documentation address: never routed, whatever the network.
        assert raw.connect_ex(("192.0.2.1", 9)) == errno.ENETUNREACH
    finally:
        raw.close()


def test_write_atomic_writes_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    write_atomic(target, b"%PDF-1.4 complete")
    assert target.read_bytes() == b"%PDF-1.4 complete"
    assert [path.name for path in tmp_path.iterdir()] == ["out.pdf"]


def test_write_atomic_replaces_an_old_file_only_on_success(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def full_disk(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, b"new", replace=True)
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["out.pdf"], "no temporary file left"


def test_a_folder_as_output_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder, not a regular file; give a file name"):
        write_atomic(tmp_path, b"x")


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "nowhere" / "out.pdf", b"x")


def test_an_unwritable_place_is_refused(tmp_path: Path) -> None:
    # A path below a regular file cannot be written even by root (tests may run as root, for
    # whom a read-only folder is still writable).
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError) as caught:
        write_atomic(blocker / "out.pdf", b"x")
    assert str(blocker / "out.pdf") in str(caught.value)


# Answers no message of the program would hold by chance: numbers of two or three digits
# and choice values that are not ordinary words.
DISTINCTIVE_ANSWERS: dict[str, Any] = {
    "patient": {"age_years": 67, "weight_kg": 83},
    "fibromyalgia": {"symptom_months": 131, "wpi": 17, "sss": 11},
    "comorbidities": {"depression": "treatment_resistant", "phq9_total": 23},
    "safety": {"liver": "mild_moderate", "medications": ["theophylline", "lamotrigine"]},
    "substance_use": {"status": "in_remission", "substances": ["ketamine_or_dissociatives"]},
    "insurance": {"coverage": "medicaid"},
}


def test_logs_and_errors_hold_no_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every record logged at any level, and everything written to stderr, by assess, note and
    handout of a consult with distinctive answers: none of the answers appears
    (docs/design.md section 11)."""
    from decision_aid.cli import main

    consult = safe_consult(**DISTINCTIVE_ANSWERS)
    path = tmp_path / "visit.consult.json"
    path.write_text(consult.to_json(), encoding="utf-8")
    caplog.set_level(logging.DEBUG)  # every logger, the decision_aid tree included
    errors = []
    for command in (
        ["assess", str(path)],
        ["assess", str(path), "--json"],
        ["note", str(path)],
        ["handout", str(path), "-o", str(tmp_path / "handout.pdf")],
    ):
        assert main(command) == 0, command
        captured = capsys.readouterr()
        if command[0] == "note":
            assert "67" in captured.out  # the answers were read, and shown where they belong
        errors.append(captured.err)
    assert (tmp_path / "handout.pdf").exists()
    logged = "\n".join(
        [*(f"{record.getMessage()} {record.args}" for record in caplog.records), *errors]
    )
    values = [
        str(value)
        for section in DISTINCTIVE_ANSWERS.values()
        for answer in section.values()
        for value in (answer if isinstance(answer, list) else [answer])
    ]
    shown = [value for value in values if re.search(rf"\b{re.escape(value)}\b", logged)]
    assert shown == []
