"""Reads a running decision-aid's accessibility tree over AT-SPI, step by step, and writes it
as JSON to standard output: for each step, the showing nodes with their role, name, the labels
they are labelled by and whether they take focus.

Run by tests/gui/test_atspi.py under the system Python, whose Debian package python3-pyatspi
speaks AT-SPI (the project's virtual environment has no binding). Steps are walked by
activating the "Next step" button through AT-SPI's action interface, as a screen reader user
would. Usage: atspi_reader.py APP_NAME TIMEOUT_SECONDS STEPS
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import pyatspi  # type: ignore[import-not-found]


def find_app(name: str, timeout: float) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name == name:
                return app
        time.sleep(0.3)
    raise SystemExit(f"no application {name!r} on the AT-SPI bus after {timeout} s")


def labels_of(node: Any) -> list[str]:
    names: list[str] = []
    for relation in node.getRelationSet():
        if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
            names += [relation.getTarget(i).name for i in range(relation.getNTargets())]
    return names


def showing(node: Any, depth: int = 0) -> list[tuple[Any, dict[str, Any]]]:
    """The node and its descendants that are showing, with what a screen reader learns."""
    try:
        states = node.getState()
        found = []
        if states.contains(pyatspi.STATE_SHOWING):
            found.append(
                (
                    node,
                    {
                        "role": node.getRoleName(),
                        "name": node.name or "",
                        "labelled_by": labels_of(node),
                        "focusable": states.contains(pyatspi.STATE_FOCUSABLE),
                    },
                )
            )
        children = list(node) if depth < 40 else []
    except Exception:  # a node can go away while it is read
        return []
    for child in children:
        if child is not None:
            found += showing(child, depth + 1)
    return found


def press(app: Any, role: str, name: str) -> None:
    for node, info in showing(app):
        if info["role"] == role and info["name"] == name:
            node.queryAction().doAction(0)
            return
    raise SystemExit(f"no {role} named {name!r} is showing")


def main() -> None:
    app = find_app(sys.argv[1], float(sys.argv[2]))
    steps = int(sys.argv[3])
    result = []
    for step in range(steps):
        time.sleep(1.0)  # the step's page is built and shown by the app's event loop
        result.append([info for _, info in showing(app)])
        if step < steps - 1:
            press(app, "push button", "Next step")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
