"""Suite-wide guards: no network, no real user state, no unexpected warning logged, Qt
offscreen, GUI tests marked; the report names the set of handout gates that runs."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

from tests import log_guard
from tests.gates import gate_sets
from tests.helpers import copy_pack
from tests.netguard import network_guard
from tests.renders import FOLDER_VARIABLE

if TYPE_CHECKING:
    from collections.abc import Iterator

GUARD_FOLDER = Path(__file__).resolve().parent / "netguard"

# Headless by default: a test run never needs a screen (docs/design.md section 11; style 9).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_configure(config: pytest.Config) -> None:
    # For the whole run, not per test, and in every process the tests start: the product
    # must never reach the network, and the whole suite passing under this guard is the
    # proof (docs/design.md section 11).
    network_guard.install()
    paths = [str(GUARD_FOLDER), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    # One folder for the run's example handouts, made here before xdist starts its workers
    # (they inherit the variable) and removed with the run (tests/renders.py).
    if not hasattr(config, "workerinput") and FOLDER_VARIABLE not in os.environ:
        folder = tempfile.mkdtemp(prefix="decision-aid-renders-")
        os.environ[FOLDER_VARIABLE] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_report_header() -> str:
    # Here, not in tests/gates/conftest.py: pytest asks only the root conftest for the header.
    return gate_sets.describe()


# The modules whose tests share one fixture for the whole process: the AT-SPI tests read the
# window's accessibility tree once (about 25 s), the printing tests hold one CUPS queue.
ONE_PROCESS_MODULES: Final = frozenset({"tests/gui/test_atspi.py", "tests/gui/test_printing.py"})


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` with its groups made here, from the node ids.

    pytest-xdist 3.8 puts a test in its ``xdist_group`` by adding "@group" to its node id, which
    pytest 9.2 no longer lets a plugin change (the id is read from the node's structured id):
    every test was then scheduled alone, and each worker read the accessibility tree again.
    Here a module of :data:`ONE_PROCESS_MODULES` is one group, and each example's handout gates
    are one group (tests/gates/conftest.py), so that a worker renders an example once.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling  # type: ignore[import-untyped]

    examples = sorted(gate_sets.EXAMPLES, key=len, reverse=True)

    class Groups(LoadGroupScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            module, _, rest = nodeid.partition("::")
            if module in ONE_PROCESS_MODULES:
                return module
            if module.startswith("tests/gates/") and "[" in rest:
                parameters = rest[rest.index("[") :]
                for example in examples:
                    if example in parameters:
                        return f"gates-{example}"
            return nodeid

    return Groups(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures or "gui" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Points HOME and the config folders at a fresh folder: no test touches real user state."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("DECISION_AID_CONTENT", raising=False)
    return home


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the built-in content pack (without the examples) for the test to edit."""
    return copy_pack(tmp_path / "pack")


@pytest.fixture(autouse=True)
def _fail_on_unexpected_log(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails the test on any WARNING or above from the decision_aid loggers that the test
    does not declare with ``@pytest.mark.expected_log("pattern")`` (tests/log_guard.py)."""
    recorder = log_guard.Recorder()
    logger = logging.getLogger(log_guard.LOGGER)
    logger.addHandler(recorder)
    try:
        yield
    finally:
        logger.removeHandler(recorder)
    expected = [str(marker.args[0]) for marker in request.node.iter_markers("expected_log")]
    found = log_guard.problems(recorder.records, expected)
    if found:
        pytest.fail("\n".join(found), pytrace=False)
