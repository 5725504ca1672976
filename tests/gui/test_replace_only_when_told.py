"""Issue 25 item 2, the file layer under the window: a file is replaced only when it is the
consult's own, or the clinician agreed to replace it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from decision_aid.ui import dialogs

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from decision_aid.ui.main_window import MainWindow


def test_a_file_the_window_did_not_open_or_agree_to_replace_is_kept(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "Jane Doe.consult.json"
    other.write_text("another window's answers")
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    assert not window._write(other, b"{}", "consult")
    assert other.read_text() == "another window's answers"
    assert errors == [f"{other}: is already there; it was not replaced\nThe consult is unchanged."]


def test_save_as_replaces_a_file_once_the_clinician_agrees(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    there = tmp_path / "visit.consult.json"
    there.write_text("old")
    asked: list[Path] = []
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *_: tmp_path / "visit")

    def confirm(parent: object, path: Path) -> bool:
        asked.append(path)
        return True

    monkeypatch.setattr(dialogs, "confirm_replace", confirm)
    assert window.save_consult_as()
    assert asked == [there]
    assert there.read_text().startswith("{")
    # Then it is the consult's own file: Save replaces it without asking.
    assert window.save_consult()
