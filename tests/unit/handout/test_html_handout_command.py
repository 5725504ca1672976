"""`decision-aid handout --format html` run in this process (docs/design.md section 9): the
format chosen, or read from the output's suffix, and the one-line refusals of a format the
name contradicts or one that does not exist. What the HTML holds is gated in
tests/gates/test_html_handout.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from decision_aid import cli
from tests.helpers import EXAMPLES

if TYPE_CHECKING:
    from pathlib import Path

EXAMPLE = EXAMPLES / "may-discuss.consult.json"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "options", "kind"),
    [
        ("h.html", ["--format", "html"], b"<!DOCTYPE html>"),
        # The suffix says which, when --format is not given.
        ("h.html", [], b"<!DOCTYPE html>"),
        ("h.HTM", [], b"<!DOCTYPE html>"),
        # A name that says neither: the default, PDF, or the format asked for.
        ("handout", [], b"%PDF"),
        ("handout", ["--format", "html"], b"<!DOCTYPE html>"),
        ("h.pdf", ["--format", "pdf"], b"%PDF"),
    ],
)
def test_the_format_is_the_one_asked_for_else_the_one_the_name_says(
    name: str, options: list[str], kind: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    code, err = _run(capsys, "handout", str(EXAMPLE), "-o", str(out), *options)
    assert (code, err) == (0, "")
    assert out.read_bytes().startswith(kind)
    assert [path.name for path in tmp_path.iterdir()] == [name]


def test_html_takes_the_language_paper_and_print_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "h.html"
    argv = ["handout", str(EXAMPLE), "-o", str(out), "--lang", "es", "--paper", "a4"]
    assert _run(capsys, *argv, "--large-print") == (0, "")
    html = out.read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    assert "@page { size: A4;" in html
    assert "html { font-size: 16pt; }" in html


@pytest.mark.parametrize(("name", "chosen"), [("h.pdf", "html"), ("h.html", "pdf")])
def test_a_format_the_name_contradicts_exits_2_with_one_line_and_writes_nothing(
    name: str, chosen: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    code, err = _run(capsys, "handout", str(EXAMPLE), "-o", str(out), "--format", chosen)
    assert code == 2
    assert err.count("\n") == 1
    assert name in err
    assert f"--format is {chosen}" in err
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_format_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "h.html"
    code, err = _run(capsys, "handout", str(EXAMPLE), "-o", str(out), "--format", "docx")
    assert code == 2
    assert err.count("\n") == 1
    assert "--format" in err
    assert "'docx'" in err
    assert "see --help" in err
    assert not out.exists()
