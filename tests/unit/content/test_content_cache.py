"""The cache of validated packs: used only for the same texts and code, never trusted blindly."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING, Any

import pytest

from decision_aid.content import ContentError, load_content
from decision_aid.content import yaml_safety as content_module
from tests.unit.file_kinds import CAN_CHOWN, NOBODY

if TYPE_CHECKING:
    from pathlib import Path


def cache_files() -> list[Path]:
    from pathlib import Path

    folder = Path(os.environ["XDG_CACHE_HOME"]) / "decision-aid"
    return sorted(folder.glob("content-*.json")) if folder.is_dir() else []


def refuse_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(text: str, name: str) -> None:
        raise AssertionError(f"{name} was parsed again")

    monkeypatch.setattr(content_module, "parse_yaml", parse)


def test_a_validated_pack_is_kept_and_used_again(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_content(pack)
    assert len(cache_files()) == 1
    refuse_parsing(monkeypatch)
    again = load_content(pack)
    assert again == first
    assert again.stamp == first.stamp


def test_the_same_texts_elsewhere_name_their_own_folder(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_content(pack)
    moved = tmp_path / "moved"
    shutil.copytree(pack, moved)
    refuse_parsing(monkeypatch)
    assert load_content(moved).location == str(moved)


def test_a_changed_file_is_validated_again(pack: Path) -> None:
    load_content(pack)
    rules = pack / "rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("[chan2022]", "[chan2099]"), encoding="utf-8"
    )
    with pytest.raises(ContentError, match="chan2099"):
        load_content(pack)


def test_a_corrupt_cache_is_only_a_miss(pack: Path) -> None:
    first = load_content(pack)
    (cache,) = cache_files()
    cache.write_bytes(b"not a pickle")
    assert load_content(pack) == first


def test_a_cache_others_may_write_is_not_trusted(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_content(pack)
    (cache,) = cache_files()
    cache.chmod(0o666)
    calls: list[str] = []
    real_parse = content_module.parse_yaml

    def counting(text: str, name: str) -> object:
        calls.append(name)
        return real_parse(text, name)

    monkeypatch.setattr(content_module, "parse_yaml", counting)
    load_content(pack)
    assert calls, "the world-writable cache file was used"


def test_no_cache_when_switched_off_or_unwritable(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DECISION_AID_NO_CACHE", "1")
    load_content(pack)
    assert cache_files() == []
    monkeypatch.delenv("DECISION_AID_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_content(pack).pack.name


# -- what is trusted: a regular file of the user's own, in a folder only the user can write,
# -- holding this very pack (docs/design.md section 11). A pickle runs code when it is loaded.

root_only = pytest.mark.skipif(
    not CAN_CHOWN, reason="this machine does not let the tests give a file to another user"
)


def cache_folder() -> Path:
    from pathlib import Path

    return Path(os.environ["XDG_CACHE_HOME"]) / "decision-aid"


def parse_count(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pack files parsed from now on: none when the cache was used."""
    calls: list[str] = []
    real_parse = content_module.parse_yaml

    def counting(text: str, name: str) -> object:
        calls.append(name)
        return real_parse(text, name)

    monkeypatch.setattr(content_module, "parse_yaml", counting)
    return calls


def planted_code(tmp_path: Path) -> tuple[bytes, Path]:
    """A pickle that, when loaded, makes a folder: the proof that a cache was trusted."""
    import pickle

    proof = tmp_path / "code-ran"

    class Planted:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.mkdir, (str(proof),))

    return pickle.dumps(Planted()), proof


@root_only
def test_a_cache_file_of_another_user_is_not_trusted_and_is_replaced(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_content(pack)
    (cache,) = cache_files()
    data, proof = planted_code(tmp_path)
    cache.write_bytes(data)
    os.chown(cache, NOBODY, NOBODY)
    calls = parse_count(monkeypatch)
    load_content(pack)
    assert calls, "another user's cache file was used"
    assert not proof.exists(), "another user's pickle was loaded"
    assert cache.stat().st_uid == os.getuid(), "the cache was not replaced"
    calls.clear()
    load_content(pack)
    assert calls == [], "the replaced cache is used again"


@root_only
def test_a_cache_folder_of_another_user_is_neither_trusted_nor_written(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_content(pack)
    (cache,) = cache_files()
    data, proof = planted_code(tmp_path)
    cache.write_bytes(data)
    os.chown(cache_folder(), NOBODY, NOBODY)
    calls = parse_count(monkeypatch)
    load_content(pack)
    assert calls, "a cache in another user's folder was used"
    assert not proof.exists()
    assert cache.read_bytes() == data, "a cache was stored in another user's folder"
    assert [path.name for path in cache_folder().iterdir()] == [cache.name]


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777, 0o1777], ids=oct)
def test_a_cache_folder_others_may_write_is_neither_trusted_nor_written(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    load_content(pack)
    (cache,) = cache_files()
    data, proof = planted_code(tmp_path)
    cache.write_bytes(data)
    cache_folder().chmod(mode)
    calls = parse_count(monkeypatch)
    load_content(pack)
    assert calls, f"a cache in a folder of mode {mode:o} was used"
    assert not proof.exists()
    assert cache.read_bytes() == data
    assert [path.name for path in cache_folder().iterdir()] == [cache.name]


def test_a_cache_folder_that_is_a_link_is_neither_trusted_nor_written(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_content(pack)
    elsewhere = tmp_path / "elsewhere"
    cache_folder().rename(elsewhere)
    cache_folder().symlink_to(elsewhere, target_is_directory=True)
    (cache,) = elsewhere.glob("content-*.json")
    data, proof = planted_code(tmp_path)
    cache.write_bytes(data)
    calls = parse_count(monkeypatch)
    load_content(pack)
    assert calls, "a cache through a linked folder was used"
    assert not proof.exists()
    assert cache_folder().is_symlink()
    assert [path.name for path in elsewhere.iterdir()] == [cache.name]
    assert cache.read_bytes() == data


def test_a_link_at_the_cache_path_is_not_followed_and_is_replaced(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_content(pack)
    (cache,) = cache_files()
    # A pickle of the user's own, even a good one, is not trusted through a link.
    target = tmp_path / "mine.pickle"
    cache.rename(target)
    cache.symlink_to(target)
    before = target.read_bytes()
    calls = parse_count(monkeypatch)
    load_content(pack)
    assert calls, "the cache was read through a link"
    assert not cache.is_symlink(), "the link was not replaced"
    assert cache.is_file()
    assert target.read_bytes() == before, "the store wrote through the link"


def test_a_link_to_planted_code_is_not_loaded(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_content(pack)
    (cache,) = cache_files()
    data, proof = planted_code(tmp_path)
    target = tmp_path / "planted.pickle"
    target.write_bytes(data)
    cache.unlink()
    cache.symlink_to(target)
    load_content(pack)
    assert not proof.exists()
    assert target.read_bytes() == data


def test_a_fifo_at_the_cache_path_does_not_hang_and_is_replaced(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    load_content(pack)
    (cache,) = cache_files()
    cache.unlink()
    os.mkfifo(cache)

    class Hung(BaseException):  # not an Exception: nothing may take it for a cache miss
        pass

    def timeout(signum: int, frame: object) -> None:
        raise Hung("loading the pack hung on a FIFO")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(5)
    try:
        assert load_content(pack).pack.name
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert cache.is_file(), "the FIFO was not replaced"


def test_a_cache_of_another_pack_under_this_packs_name_is_not_used(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_content(pack)
    (first_cache,) = cache_files()
    first_bytes = first_cache.read_bytes()
    other = tmp_path / "other"
    shutil.copytree(pack, other)
    info = other / "pack.yaml"
    info.write_text(info.read_text(encoding="utf-8") + "\n# another pack\n", encoding="utf-8")
    second = load_content(other)
    assert second.stamp != first.stamp
    (second_cache,) = cache_files()  # the first pack's file was removed by this store
    assert second_cache != first_cache
    second_cache.write_bytes(first_bytes)
    calls = parse_count(monkeypatch)
    again = load_content(other)
    assert calls, "another pack's cache was used"
    assert again.stamp == second.stamp


def test_a_store_that_fails_midway_leaves_no_temporary_file(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def full_disk(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    assert load_content(pack).pack.name
    assert list(cache_folder().iterdir()) == []


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, MemoryError])
def test_an_interrupted_store_leaves_no_temporary_file_and_is_not_hidden(
    pack: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:
    def interrupted(descriptor: int) -> None:
        raise interruption

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(interruption):
        load_content(pack)
    assert list(cache_folder().iterdir()) == []


def test_a_store_removes_this_users_stale_temporary_files(pack: Path) -> None:
    import time

    folder = cache_folder()
    folder.mkdir(mode=0o700, parents=True)
    stale, fresh, other = folder / "tmpold.tmp", folder / "tmpnew.tmp", folder / "notes.txt"
    for path in (stale, fresh, other):
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    for path in (stale, other):
        os.utime(path, (two_hours_ago, two_hours_ago))
    load_content(pack)
    assert not stale.exists()
    assert fresh.exists(), "a temporary of a store under way was removed"
    assert other.exists(), "only *.tmp files are removed"
    if CAN_CHOWN:
        os.chown(fresh, NOBODY, NOBODY)
        os.utime(fresh, (two_hours_ago, two_hours_ago))
        for cache in cache_files():
            cache.unlink()
        load_content(pack)
        assert fresh.exists(), "another user's file was removed"


def test_the_cache_is_private(pack: Path) -> None:
    import stat

    load_content(pack)
    (cache,) = cache_files()
    assert stat.S_IMODE(cache.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE(cache_folder().stat().st_mode) & 0o077 == 0


# -- issue 25, item 5: a cache file whose loading runs no code, the folders above the cache
# -- folder checked too, and no cache files of other packs or program versions left behind.


def any_cache_files() -> list[Path]:
    """Every cache file of the folder, of this program version's form or an older one."""
    folder = cache_folder()
    return sorted(folder.glob("content-*")) if folder.is_dir() else []


def test_a_planted_pickle_in_the_users_own_cache_file_runs_no_code(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_content(pack)
    (cache,) = any_cache_files()
    data, proof = planted_code(tmp_path)
    cache.write_bytes(data)  # this user's own file, private: everything the old checks asked
    cache.chmod(0o600)
    calls = parse_count(monkeypatch)
    assert load_content(pack) == first
    assert not proof.exists(), "loading the cache ran the planted code"
    assert calls, "a file that is not the cache's JSON was used"


def test_the_cache_is_json_data_that_builds_the_same_pack(pack: Path) -> None:
    import json

    first = load_content(pack)
    (cache,) = any_cache_files()
    assert cache.suffix == ".json"
    kept = json.loads(cache.read_bytes())
    assert kept["content"]["stamp"] == first.stamp
    again = load_content(pack)
    assert again == first
    assert dict(again.handout) == dict(first.handout)
    assert again.questions.by_field.keys() == first.questions.by_field.keys()


@pytest.mark.parametrize(
    "change",
    [
        lambda kept: kept["content"]["pack"].update(next_review="2099-01-01"),
        lambda kept: kept["content"]["questions"].update(steps=3),
        lambda kept: kept["content"]["handout"].update(xx={}),
        lambda kept: kept["content"].update(extra=1),
        lambda kept: kept.update(form="decision-aid validated pack 1"),
    ],
)
def test_a_cache_file_that_does_not_fit_is_only_a_miss_or_says_what_it_says(
    pack: Path, monkeypatch: pytest.MonkeyPatch, change: Any
) -> None:
    import json

    first = load_content(pack)
    (cache,) = any_cache_files()
    kept = json.loads(cache.read_bytes())
    change(kept)
    cache.write_text(json.dumps(kept))
    loaded = load_content(pack)
    # Only data that fits the models is built; a changed date is this user's own edit of
    # their own file (as it could edit the pack), and nothing else is taken from it.
    assert loaded.stamp == first.stamp


def test_cache_files_of_other_packs_and_program_versions_are_removed(
    pack: Path, tmp_path: Path
) -> None:
    folder = cache_folder()
    folder.mkdir(mode=0o700, parents=True)
    old_pickle = folder / "content-0123456789abcdef0123456789abcdef.pickle"
    old_pickle.write_bytes(b"an older program's cache")
    other_pack = folder / "content-fedcba9876543210fedcba9876543210.json"
    other_pack.write_bytes(b"{}")
    unrelated = folder / "notes.txt"
    unrelated.write_bytes(b"x")
    load_content(pack)
    (kept,) = any_cache_files()
    assert kept.suffix == ".json"
    assert kept != other_pack
    assert unrelated.exists()


def shared_parent(tmp_path: Path, mode: int) -> Path:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)
    return shared


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_folder_above_the_cache_folder_others_may_write_is_neither_trusted_nor_written(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    shared = shared_parent(tmp_path, mode)
    base = shared / "me"
    base.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    load_content(pack)  # stored before the check? then the next load must not trust it
    calls = parse_count(monkeypatch)
    load_content(pack)
    assert calls, "a cache below a folder others may write was used"
    assert not (base / "decision-aid").exists() or not any((base / "decision-aid").iterdir())


def test_a_sticky_folder_of_roots_above_the_cache_is_fine(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.stat("/tmp").st_uid != 0 or not os.stat("/tmp").st_mode & 0o1000:
        pytest.skip("no sticky /tmp of root's here")
    import tempfile

    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        monkeypatch.setenv("XDG_CACHE_HOME", folder)
        load_content(pack)
        calls = parse_count(monkeypatch)
        load_content(pack)
        assert not calls, "the cache below /tmp was not used"


@root_only
def test_another_users_link_above_the_cache_folder_is_not_followed(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another account's link in a shared cache home, pointing at a folder of this user's own
    # (as an unpacked archive would make): the planted cache there must not be used.
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(mine))
    load_content(pack)
    (real,) = any_cache_files()
    link = tmp_path / "cachehome"
    link.symlink_to(mine)
    os.lchown(link, NOBODY, NOBODY)
    monkeypatch.setenv("XDG_CACHE_HOME", str(link))
    calls = parse_count(monkeypatch)
    load_content(pack)
    assert calls, "a cache reached through another account's link was used"
    assert real.exists()


@root_only
def test_a_folder_of_another_user_above_the_cache_folder_is_not_trusted(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    base = theirs / "me"
    base.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    load_content(pack)
    os.chown(theirs, NOBODY, NOBODY)
    calls = parse_count(monkeypatch)
    load_content(pack)
    assert calls, "a cache below another account's folder was used"


def test_a_relative_cache_home_is_ignored(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decision_aid.content.cache import cache_file

    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    path = cache_file("0" * 64)
    assert path is not None
    assert path.is_absolute()
