"""Layering, read from the package's source: only decision_aid/ui imports Qt, only the content
package reads resources and it imports nothing above it, and no module is over 600 lines (what
the commands load in a process: tests/integration/test_import_boundaries.py)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from tests.helpers import REPO

if TYPE_CHECKING:
    from pathlib import Path

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
