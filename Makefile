# Two commands set everything up on a fresh machine (see README.md):
#   make run    create .venv with Python 3.12+, install decision-aid, open the app
#   make test   create .venv, install decision-aid with its test tools, run every check
#   make dist   build the standalone desktop bundle dist/decision-aid/ (PyInstaller, one folder)
# Qt also needs a few system libraries; on Debian/Ubuntu `.ci/run` installs them.

# The first interpreter that is Python 3.12 or newer: PySide6 6.12 on 3.11 corrupts a
# reference count and aborts long sessions (docs/design.md section 2).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	2>/dev/null && { echo $$p; break; }; done)
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint unit integration gates gui bench dist dist-check packages packages-check \
	packages-lint clean

run: $(VENV)/.installed
	$(BIN)/decision-aid

# .ci/run sets NETWORK_JAIL to run the tests in a network namespace with no network at all.
NETWORK_JAIL ?=

# The tests run in one process per core (pytest-xdist; PYTEST_WORKERS=0 runs them in this one),
# each example's gates on one worker so that it is rendered once (tests/gates/conftest.py).
# Coverage (sysmon core, pyproject.toml) is combined across the workers.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

# The handout gates that run over every example (x languages x papers x sizes) take three
# representative examples on a developer's machine and every example under CI=true (as
# .ci/run is run) or HANDOUT_GATES=full; HANDOUT_GATES=quick takes the three in CI too
# (tests/gates/gate_sets.py; the run's first lines name the set).
# Coverage of decision_aid is reported, not enforced: no threshold fails the run. It costs 12-20%
# of the suite's CPU time (two samples) even with the sysmon core; COVERAGE= runs without it
# (.ci/run does, for CI's time budget: docs/design.md section 10.1).
# The package is compiled to bytecode first: where PYTHONDONTWRITEBYTECODE is set (as on
# the machines here) an editable install is otherwise compiled from source again by each of
# the hundreds of processes the tests start (docs/design.md section 10.1).
COVERAGE ?= --cov --cov-report=term
test: $(VENV)/.installed-test lint
	$(BIN)/python -m compileall -q decision_aid
	$(NETWORK_JAIL) $(PYTEST) $(COVERAGE)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# One folder each, without coverage, for a quicker answer while working on one part:
# tests/unit (no Qt, no process started), tests/integration (the commands in processes,
# clinic packs, the wheel), tests/gates (the rendered handouts), tests/gui (the
# window, Xvfb, the soak).
unit: $(VENV)/.installed-test
	$(PYTEST) -m "not gui" tests/unit

integration: $(VENV)/.installed-test
	$(PYTEST) tests/integration

gates: $(VENV)/.installed-test
	$(PYTEST) tests/gates

gui: $(VENV)/.installed-test
	$(PYTEST) tests/gui

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# The desktop bundle for clinics (docs/design.md section 12; docs/it-guide.md): one
# folder, dist/decision-aid/, that runs with no Python and no virtual environment, and the
# same folder as dist/decision-aid-VERSION-linux-ARCH.tar.gz with its SHA-256, to hand to IT.
dist: $(VENV)/.installed-dist
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/decision-aid.spec
	@archive=decision-aid-$$($(BIN)/python -c 'from importlib.metadata import version; \
		print(version("decision-aid"))')-$$(uname -s | tr A-Z a-z)-$$(uname -m).tar.gz && \
	tar -C dist -czf dist/$$archive decision-aid && \
	(cd dist && sha256sum $$archive > $$archive.sha256) && \
	echo "dist/decision-aid/ ($$(du -sh dist/decision-aid | cut -f1)), dist/$$archive" \
		"($$(du -sh dist/$$archive | cut -f1))"

# Runs the bundle as a clinic's machine would (a bare environment, outside the checkout) and
# compares its handout with the installed program's, byte for byte.
dist-check: dist
	$(NETWORK_JAIL) packaging/check-bundle dist/decision-aid $(BIN)/decision-aid

# The packages a clinic's IT installs (docs/it-guide.md, "Installing the package"), from the
# bundle of `make dist` (built first only when there is none): dist/decision-aid_VERSION_amd64.deb
# and dist/decision-aid-VERSION-1.x86_64.rpm, each with its .sha256, byte-identical for the
# same SOURCE_DATE_EPOCH (default: the last commit's time) and bundle (packaging/build-packages).
packages: $(VENV)/.installed-packages dist/decision-aid/decision-aid
	NFPM=$(BIN)/nfpm packaging/build-packages dist/decision-aid dist

dist/decision-aid/decision-aid:
	$(MAKE) dist

# Installs the .deb on this machine with apt (as root: CI, or a test machine), runs it from
# /usr/bin, opens a consult through the desktop file, upgrades over an older version and purges
# it (packaging/check-package).
packages-check: packages
	packaging/check-package dist/decision-aid dist

# lintian's view of the .deb, with the overrides the package ships (packaging/linux/README.md);
# about 40 s, so not in CI.
packages-lint:
	lintian --info --pedantic --fail-on error,warning dist/decision-aid_*_amd64.deb

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

# An extra's requirements (pyproject.toml), one a line, for pip install -r /dev/stdin: on top
# of the installed program, since pip install -e ".[dist]" would build and install the program
# again (about 5 s, twice in .ci/run: dist, then packages).
EXTRA = $(BIN)/python -c 'import sys, tomllib; \
	extras = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]; \
	print(*extras[sys.argv[1]], sep="\n")'

$(VENV)/.installed-dist: $(VENV)/.installed pyproject.toml
	$(EXTRA) dist | $(BIN)/python -m pip install --quiet -r /dev/stdin
	touch $@

$(VENV)/.installed-packages: $(VENV)/.installed pyproject.toml
	$(EXTRA) packages | $(BIN)/python -m pip install --quiet -r /dev/stdin
	touch $@

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache .hypothesis
