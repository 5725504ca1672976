"""The import boundaries seen from outside: what each command loads in a fresh process, and the
import contracts (lint-imports) catching a new module in a copy of the package."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, REPO, heavy_modules_loaded_by, run_python
from tests.unit.handout.test_handout_cli_and_content import EXAMPLE
from tests.unit.test_architecture import PACKAGE


@pytest.mark.slow
@pytest.mark.parametrize("command", ["assess", "note"])
def test_text_commands_import_neither_qt_nor_reportlab(command: str) -> None:
    assert heavy_modules_loaded_by(command, str(EXAMPLES / "may-discuss.consult.json")) == []


def test_handout_command_imports_no_qt(tmp_path: Path) -> None:
    out = tmp_path / "h.pdf"
    script = (
        "import sys\n"
        "import decision_aid.cli, decision_aid.rules, decision_aid.content, decision_aid.handout\n"
        "assert 'reportlab' not in sys.modules, 'reportlab imported too early'\n"
        "assert 'pikepdf' not in sys.modules, 'pikepdf imported too early'\n"
        f"code = decision_aid.cli.main(['handout', {str(EXAMPLE)!r}, '-o', {str(out)!r}])\n"
        "assert code == 0\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
        # pikepdf writes the structure tree; its XMP is written as text, so never lxml.
        "assert 'pikepdf' in sys.modules and 'lxml' not in sys.modules\n"
    )
    run_python("-c", script, check=True)
    assert out.exists()


def test_plan_command_imports_no_qt(tmp_path: Path) -> None:
    from tests.unit.handout.test_plan_command import consult_file, planned

    source = consult_file(tmp_path, "planned", planned())
    out = tmp_path / "plan.pdf"
    script = (
        "import sys\n"
        "import decision_aid.cli\n"
        "assert 'reportlab' not in sys.modules, 'reportlab imported too early'\n"
        f"code = decision_aid.cli.main(['plan', {str(source)!r}, '-o', {str(out)!r}])\n"
        "assert code == 0\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert 'reportlab' in sys.modules\n"
    )
    run_python("-c", script, check=True)
    assert out.read_bytes().startswith(b"%PDF")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # The tool of this environment, run in the copy: the copy's package and contracts are the
    # ones checked (the working directory comes first on its path).
    tool = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(tool), "--no-cache", "--no-logo"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_a_new_module_that_imports_qt_or_reportlab_breaks_the_import_contracts(
    tmp_path: Path,
) -> None:
    """The bans on Qt and reportlab cover the whole package (issue 21, item 4): a module
    nobody has listed anywhere yet is under them from its first line."""
    shutil.copytree(
        PACKAGE, tmp_path / "decision_aid", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    unchanged = _lint_imports(tmp_path)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    (tmp_path / "decision_aid" / "clinic_window.py").write_text(
        "from PySide6.QtWidgets import QWidget\n\nWIDGET = QWidget\n"
    )
    (tmp_path / "decision_aid" / "content" / "letterhead.py").write_text(
        "from reportlab.lib.pagesizes import A4\n\nSIZE = A4\n"
    )
    changed = _lint_imports(tmp_path)
    assert changed.returncode != 0
    report = changed.stdout
    assert "Only decision_aid.ui imports Qt BROKEN" in report
    assert "decision_aid.clinic_window -> PySide6" in report
    assert "Only decision_aid.handout imports reportlab BROKEN" in report
    assert "decision_aid.content.letterhead -> reportlab" in report
