# The few commands a person types. See README.md.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench install messages

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Kendra needs Python 3.11 ($(PYTHON) not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --once
	@bin/run-dev

test: $(STAMP)
	bin/ensure-services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r . --severity-level high
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kendra} $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: $(STAMP)
	$(PY) manage.py makemessages -l hi --ignore=.venv --ignore=static/vendor --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages -l hi -l en --ignore=.venv

bench: $(STAMP)
	bin/ensure-services
	$(PY) -m pip install --quiet '.[dev,bench]'
	$(PY) bench/run.py
