"""The content is found in an installed wheel, not only in a source checkout."""

from __future__ import annotations

import json
import os
import zipfile
from typing import TYPE_CHECKING

import pytest

from tests.helpers import EXAMPLES, REPO, run_command, run_python

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, unpacked as pip would install it."""
    build = tmp_path_factory.mktemp("wheel")
    run_python("-m", "hatchling", "build", "-t", "wheel", "-d", str(build), check=True)
    (wheel,) = build.glob("*.whl")
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


@pytest.mark.slow
def test_the_wheel_carries_every_content_file(installed: Path) -> None:
    shipped = {
        path.relative_to(REPO / "resources")
        for path in (REPO / "resources").rglob("*")
        if path.is_file()
    }
    packed = {
        path.relative_to(installed / "decision_aid" / "resources")
        for path in (installed / "decision_aid" / "resources").rglob("*")
        if path.is_file()
    }
    assert shipped <= packed


@pytest.mark.slow
def test_assess_runs_from_the_installed_package_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    environment = {**os.environ, "PYTHONPATH": str(installed)}
    probe = (
        "import decision_aid, decision_aid.content as c; "
        "print(decision_aid.__file__); print(c.builtin_pack())"
    )
    where = run_python("-c", probe, cwd=tmp_path, env=environment, check=True).stdout.splitlines()
    assert all(line.startswith(str(installed)) for line in where), where

    example = tmp_path / "visit.consult.json"
    example.write_bytes((EXAMPLES / "specialist-review-controlled-bp.consult.json").read_bytes())
    result = run_command(
        "assess", example.name, "--json", cwd=tmp_path, env=environment, check=True
    )
    assert json.loads(result.stdout)["status"] == "specialist_review"
