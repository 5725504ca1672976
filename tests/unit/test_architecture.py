"""Layering: only decision_aid/ui imports Qt, and the commands import only what they need."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import pytest

from tests.helpers import EXAMPLES, REPO, heavy_modules_loaded_by

if TYPE_CHECKING:
    from pathlib import Path

PACKAGE = REPO / "decision_aid"


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
