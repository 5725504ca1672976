"""Runs at the start of every Python process the test suite starts: no network there."""

# Found through PYTHONPATH, which conftest.py points at this folder.
import network_guard  # type: ignore[import-not-found]

network_guard.install()
