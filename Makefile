# Two commands set everything up on a fresh machine (see README.md):
#   make run    create .venv with Python 3.12+, install decision-aid, open the app
#   make test   create .venv, install decision-aid with its test tools, run every check
# Qt also needs a few system libraries; on Debian/Ubuntu `.ci/run` installs them.

# The first interpreter that is Python 3.12 or newer: PySide6 6.12 on 3.11 corrupts a
# reference count and aborts long sessions (design.md section 2).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	2>/dev/null && { echo $$p; break; }; done)
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint unit bench clean

run: $(VENV)/.installed
	$(BIN)/decision-aid

# .ci/run sets NETWORK_JAIL to run the tests in a network namespace with no network at all.
NETWORK_JAIL ?=

# Coverage of decision_aid is reported, not enforced: no threshold fails the run.
test: $(VENV)/.installed-test lint
	$(NETWORK_JAIL) $(BIN)/python -m pytest --cov --cov-report=term

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not gui"

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.12 not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache .hypothesis
