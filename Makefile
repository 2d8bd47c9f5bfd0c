# The few commands a person types. See README.md.
#
# Python: the newest python3.13, python3.12 or python3.11 found (bin/find-python), unless
# given: `make test PYTHON=python3.11`. Dependencies come from the lock files in
# requirements/ (exact versions, hashes checked): `make run` installs the runtime ones
# only, `make test` the dev extras too. `make lock` refreshes the lock files.
PYTHON ?= $(shell bin/find-python)
VENV   ?= .venv
PY     := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed
# pytest-xdist: one worker per core, each with its own test database and Redis key prefix;
# the slowest tests are queued first (tests/conftest.py). PYTEST_ARGS adds to or narrows it.
XDIST       ?= -n auto --dist worksteal
PYTEST_ARGS ?=
# The fresh-clone check (bin/fresh-clone-check): a clone of HEAD, as a throwaway non-root
# user, on Python 3.11, runs `make run` then `make test`. On in CI, off by default on a
# developer's machine (FRESH=1 to run it).
FRESH ?= $(if $(CI),1,0)
LOCK := $(VENV)/bin/uv pip compile --quiet --universal --generate-hashes --python-version 3.11 --no-header

.PHONY: run test lint bench install install-dev lock messages python

python:
	@test -n "$(PYTHON)" || { echo "Kendra needs Python 3.11 or newer (python3.13, python3.12 or python3.11) and none was found. Install one, or name it: make PYTHON=/path/to/python3.x"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "$(PYTHON) is older than Python 3.11: Kendra needs 3.11 or newer."; exit 1; }
	@echo "Python: $(PYTHON) ($$($(PYTHON) --version 2>&1))$$(test -x $(PY) && echo "; $(VENV) has $$($(PY) --version 2>&1)")."

$(PY):
	@$(MAKE) --no-print-directory python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements/runtime.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/runtime.txt
	touch $@

$(DEV_STAMP): requirements/dev.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	touch $@ $(RUNTIME_STAMP)

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

run: python $(RUNTIME_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --once
	@VENV=$(VENV) bin/run-dev

test: python $(DEV_STAMP)
	@VENV=$(VENV) bin/ensure-services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r . --severity-level high
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kendra} $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(XDIST) $(PYTEST_ARGS)
	@if [ "$(FRESH)" = 1 ]; then bin/fresh-clone-check; else echo "Fresh-clone check (Python 3.11, non-root) not run: FRESH=1 runs it (CI does)."; fi

lint: python $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Refresh the lock files from pyproject.toml (needs the network): one set for every
# platform and every Python from 3.11 on. Commit requirements/*.txt with the change.
lock: $(DEV_STAMP)
	$(LOCK) pyproject.toml -o requirements/runtime.txt
	$(LOCK) --extra dev pyproject.toml -o requirements/dev.txt
	$(LOCK) --extra dev --extra bench pyproject.toml -o requirements/bench.txt

messages: $(DEV_STAMP)
	$(PY) manage.py makemessages -l hi --ignore=.venv --ignore=static/vendor --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages -l hi -l en --ignore=.venv

bench: $(DEV_STAMP)
	@VENV=$(VENV) bin/ensure-services
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/bench.txt
	$(PY) bench/run.py
