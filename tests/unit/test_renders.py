"""The suite's one render of each example's handout a run (tests/renders.py)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from decision_aid.consult import Language
from decision_aid.handout import Paper
from tests import renders

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def _fail(*_: object, **__: object) -> bytes:
    raise AssertionError("rendered again")


def test_the_run_gives_its_workers_one_folder() -> None:
    folder = os.environ.get(renders.FOLDER_VARIABLE)
    assert folder, "tests/conftest.py sets the shared folder for the run"
    assert os.path.isdir(folder)


def test_another_process_reads_the_render_instead_of_making_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One worker's render is the others' too: a process that has not rendered the handout
    (its memory cache empty) reads it from the folder, byte for byte a fresh render's."""
    monkeypatch.setenv(renders.FOLDER_VARIABLE, str(tmp_path))
    renders.example_handout.cache_clear()
    try:
        first = renders.example_handout("may-discuss", Language.ES, Paper.A4, large_print=True)
        assert [path.name for path in tmp_path.iterdir()] == ["may-discuss.es.a4.large.pdf"]
        renders.example_handout.cache_clear()  # as in another worker
        with monkeypatch.context() as patched:
            patched.setattr(renders, "render_example_handout", _fail)
            assert renders.example_handout("may-discuss", Language.ES, Paper.A4, large_print=True)
            read = renders.example_handout("may-discuss", Language.ES, Paper.A4, large_print=True)
        assert read == first
        fresh = renders.render_example_handout("may-discuss", Language.ES, Paper.A4)
        assert fresh != first, "large print is a different handout"
        assert (
            renders.render_example_handout("may-discuss", Language.ES, Paper.A4, large_print=True)
            == first
        )
    finally:
        # The run's own renders (another folder) are not this test's.
        renders.example_handout.cache_clear()
