"""Issue 25: the file layer replaces only what it was told to, cleans what killed writes
left, and messages print a key's control characters and a huge number safely."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

import pytest

from decision_aid.consult import ConsultError, parse_consult
from decision_aid.files import OutputExistsError, write_atomic

if TYPE_CHECKING:
    from pathlib import Path


def test_a_file_that_is_there_is_not_replaced_unless_told(tmp_path: Path) -> None:
    target = tmp_path / "Jane.consult.json"
    target.write_bytes(b"the other window's answers")
    with pytest.raises(OutputExistsError, match="is already there; it was not replaced"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"the other window's answers"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["Jane.consult.json"]
    write_atomic(target, b"new", replace=True)
    assert target.read_bytes() == b"new"


def test_a_link_that_is_there_is_not_replaced_unless_told(tmp_path: Path) -> None:
    link = tmp_path / "out.pdf"
    link.symlink_to(tmp_path / "nowhere.pdf")
    with pytest.raises(OutputExistsError):
        write_atomic(link, b"x")
    assert link.is_symlink()


def test_a_new_file_is_written_without_being_told(tmp_path: Path) -> None:
    write_atomic(tmp_path / "new.pdf", b"%PDF")
    assert (tmp_path / "new.pdf").read_bytes() == b"%PDF"


def _aged(path: Path, seconds: float) -> Path:
    path.write_bytes(b"partial")
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_what_killed_writes_left_is_removed_at_the_next_write(tmp_path: Path) -> None:
    stale = [
        _aged(tmp_path / ".visit.pdf.decision-aid.k3j4h5g6.tmp", 120),
        # The name before v3, for a consult file.
        _aged(tmp_path / ".Jane Doe.consult.json.a1b2c3d4.tmp", 3600),
    ]
    kept = [
        _aged(tmp_path / ".visit.pdf.decision-aid.zzzzzzzz.tmp", 5),  # a write under way
        _aged(tmp_path / ".notes.txt.a1b2c3d4.tmp", 3600),  # another program's
        _aged(tmp_path / "visit.pdf.decision-aid.k3j4h5g6.tmp", 3600),  # not hidden
    ]
    write_atomic(tmp_path / "other.pdf", b"%PDF")
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in kept)


def test_a_key_given_twice_is_printed_with_its_control_characters_escaped() -> None:
    text = '{"patient": {"age\\u001b[31m\\u009b2J": 1, "age\\u001b[31m\\u009b2J": 2}}'
    with pytest.raises(ConsultError) as raised:
        parse_consult(text)
    message = str(raised.value)
    assert message.isprintable()
    assert message.startswith('patient."age\\u001b[31m\\u009b2J": given twice')


def test_a_huge_schema_version_is_not_printed_whole() -> None:
    with pytest.raises(ConsultError) as raised:
        parse_consult('{"schema_version": ' + "9" * 3000 + "}")
    message = str(raised.value)
    assert len(message) < 300
    assert "a number of 3,000 digits" in message
