"""Layering: only decision_aid/ui imports Qt, and the commands import only what they need."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, REPO, heavy_modules_loaded_by

PACKAGE = REPO / "decision_aid"
# issue 21: no module so long that its parts cannot be told apart at a glance.
MAX_MODULE_LINES = 600


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_ui_package_imports_qt() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in PACKAGE.rglob("*.py")
        if "ui" not in path.relative_to(PACKAGE).parts
        and any(name.split(".")[0] in ("PySide6", "shiboken6") for name in imported_modules(path))
    ]
    assert offenders == []


def test_only_the_content_package_reads_resources() -> None:
    readers = [
        str(path.relative_to(REPO))
        for path in PACKAGE.rglob("*.py")
        if "resources" in path.read_text(encoding="utf-8")
        and "content" not in path.relative_to(PACKAGE).parts
        and "importlib.resources" in path.read_text(encoding="utf-8")
    ]
    assert readers == []


@pytest.mark.slow
@pytest.mark.parametrize("command", ["assess", "note"])
def test_text_commands_import_neither_qt_nor_reportlab(command: str) -> None:
    assert heavy_modules_loaded_by(command, str(EXAMPLES / "may-discuss.consult.json")) == []


def test_no_module_of_the_package_is_over_600_lines() -> None:
    long = {
        str(path.relative_to(REPO)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_the_content_package_imports_nothing_above_it() -> None:
    """The content package is read by everything else; an import of decision_aid from it
    names only itself and the two packages under it."""
    below = ("decision_aid.content", "decision_aid.consult", "decision_aid.catalogue")
    upward = {
        f"{path.relative_to(REPO)}: {name}"
        for path in (PACKAGE / "content").rglob("*.py")
        for name in imported_modules(path)
        if name.startswith("decision_aid")
        and not name.startswith(below)
        # content.loader reads a pack's files through decision_aid.files, a layer below it
        and name != "decision_aid.files"
    }
    assert upward == set()


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
