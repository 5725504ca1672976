"""Outputs are written only as regular files (docs/design.md section 11).

``-o`` naming the input, a device, a FIFO, a folder or ``-`` is refused (exit 2) and leaves
that path as it was; a link as ``-o`` is replaced, never followed; a full disk, or a cache that
cannot be stored, leaves no partial file and no temporary.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from typing import TYPE_CHECKING

import pytest

from decision_aid.files import OutputError, write_atomic
from tests.helpers import copy_pack
from tests.unit.file_kinds import EXAMPLE, KINDS, deadline, one_line, run

if TYPE_CHECKING:
    from pathlib import Path


# -- outputs --------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["handout", "fhir"])
def test_output_naming_the_input_is_refused_and_leaves_it_as_it_was(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "visit.consult.json"
    shutil.copyfile(EXAMPLE, path)
    before = path.read_bytes()
    for output in (str(path), str(tmp_path / "." / path.name)):
        code, err = run(capsys, command, str(path), "-o", output)
        assert code == 2
        assert "is the input file" in one_line(err)
        assert path.read_bytes() == before
    assert sorted(child.name for child in tmp_path.iterdir()) == [path.name]


def test_output_through_a_hard_link_to_the_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "visit.consult.json"
    shutil.copyfile(EXAMPLE, path)
    before = path.read_bytes()
    os.link(path, tmp_path / "other.pdf")
    code, err = run(capsys, "handout", str(path), "-o", str(tmp_path / "other.pdf"))
    assert code == 2
    assert "is the input file" in one_line(err)
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", ["handout", "fhir"])
def test_output_that_is_not_a_regular_file_is_refused_and_left_as_it_was(
    kind: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out"
    KINDS[kind](target)
    before = os.lstat(target)
    code, err = run(capsys, command, str(EXAMPLE), "-o", str(target))
    assert code == 2
    assert "not a regular file" in one_line(err)
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode, after.st_rdev) == (
        before.st_ino,
        before.st_mode,
        before.st_rdev,
    )
    assert sorted(child.name for child in tmp_path.iterdir()) == ["out"], "a temporary was left"


@pytest.mark.parametrize("kind", KINDS)
def test_write_atomic_refuses_what_is_not_a_regular_file(kind: str, tmp_path: Path) -> None:
    target = tmp_path / "out"
    KINDS[kind](target)
    with deadline(), pytest.raises(OutputError, match="not a regular file"):
        write_atomic(target, b"data")
    assert not stat.S_ISREG(os.lstat(target).st_mode)
    assert [child.name for child in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("command", ["handout", "fhir"])
def test_a_link_as_output_is_replaced_not_followed(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "precious.txt"
    target.write_bytes(b"keep me")
    link = tmp_path / "out"
    link.symlink_to(target)
    code, err = run(capsys, command, str(EXAMPLE), "-o", str(link))
    assert code == 0, err
    assert not link.is_symlink()
    assert link.read_bytes()[:1] in (b"%", b"{")
    assert target.read_bytes() == b"keep me"


def test_a_dangling_link_as_output_is_replaced(tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "nowhere" / "file")
    write_atomic(link, b"data", replace=True)  # as -o does
    assert not link.is_symlink()
    assert link.read_bytes() == b"data"
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("command", ["handout", "fhir"])
def test_output_to_standard_output_is_refused(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(capsys, command, str(EXAMPLE), "-o", "-")
    assert code == 2
    assert "give a file name; writing to standard output is not supported" in one_line(err)


def test_a_full_disk_during_the_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(descriptor: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(tmp_path / "out.pdf", b"x" * 100_000)
    assert list(tmp_path.iterdir()) == []


def test_a_failing_cache_store_does_not_stop_the_handout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    from decision_aid.content import cache as cache_module

    def full_disk(folder: int, name: str, kept: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache_module, "_store_in", full_disk)
    pack = copy_pack(tmp_path / "pack")  # a pack never loaded before: its cache is stored now
    out = tmp_path / "h.pdf"
    code, err = run(capsys, "--content", str(pack), "handout", str(EXAMPLE), "-o", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    cache = Path(os.environ["XDG_CACHE_HOME"])
    assert [path.name for path in cache.rglob("*.tmp")] == []


def test_an_interrupted_write_leaves_no_temporary_and_is_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def interrupted(descriptor: int, data: bytes) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new", replace=True)
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["out.pdf"]
