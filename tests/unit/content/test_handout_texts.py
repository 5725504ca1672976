"""The handout texts (resources/handout/LANG.yaml) are validated like every pack file: a broken,
missing or mismatched file, or an unknown citation, refuses to load and is named."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from decision_aid.content import ContentError, load_content
from tests.helpers import copy_pack

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("questions:\n", "questionz:\n", "questions"),
        (
            "counted: '{events} de {total} personas'",
            "counted: '{events} de {resultado} personas'",
            "results.counted",
        ),
        ("[[nct07230171]]", "[[pastrak2021]]", "citations"),
        ("  footer:", "  footer: [", "invalid YAML"),
    ],
)
def test_a_broken_spanish_file_refuses_to_load_and_is_named(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    pack = copy_pack(tmp_path / "pack", fonts=False)
    spanish = pack / "handout" / "es.yaml"
    text = spanish.read_text(encoding="utf-8")
    if old == "  footer:":
        text = text.replace("footer:", "footer: [", 1)
    else:
        assert old in text
        text = text.replace(old, new, 1)
    spanish.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(pack)
    assert caught.value.file == "handout/es.yaml"
    assert problem in str(caught.value)


def test_unknown_citation_in_a_handout_text_refuses_to_load(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack", fonts=False)
    for name in ("en.yaml", "es.yaml"):
        path = pack / "handout" / name
        text = path.read_text(encoding="utf-8").replace("[[wolfe2016]]", "[[nobody1999]]")
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="nobody1999"):
        load_content(pack)


def test_english_pack_texts_must_match_pack_yaml(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack", fonts=False)
    info = pack / "pack.yaml"
    info.write_text(
        info.read_text(encoding="utf-8").replace("no money ties", "some ties"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="pack_texts.conflicts") as caught:
        load_content(pack)
    assert caught.value.file == "handout/en.yaml"


def test_missing_handout_file_is_named(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "pack", fonts=False)
    (pack / "handout" / "es.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_content(pack)
    assert caught.value.file == "handout/es.yaml"
