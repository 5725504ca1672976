"""The cache of validated packs: used only for the same texts and code, never trusted blindly."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

import pytest

from decision_aid import content as content_module
from decision_aid.content import ContentError, load_content
from tests.helpers import REPO

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    copy = tmp_path / "pack"
    shutil.copytree(REPO / "resources", copy, ignore=shutil.ignore_patterns("examples"))
    return copy


def cache_files() -> list[Path]:
    from pathlib import Path

    folder = Path(os.environ["XDG_CACHE_HOME"]) / "decision-aid"
    return sorted(folder.glob("content-*.pickle")) if folder.is_dir() else []


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
