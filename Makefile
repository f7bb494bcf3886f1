# Vägval: `make demo` to try it, `make test` to run the whole suite.
# Everything runs from the project's own virtualenv in .venv (created on first use).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py
# Extra arguments for every pytest run, e.g. `make test PYTEST_ARGS="-x -k login"`.
PYTEST_ARGS ?=
# Extra arguments for `vagval demo`, e.g. `make demo DEMO_ARGS="--persons 300"`.
DEMO_ARGS ?=

export VENV

.DEFAULT_GOAL := help
.PHONY: help install demo test test-sqlite test-postgres test-browser lint format check messages bench clean distclean

help:
	@echo "make demo       create .venv, install, fill a demo database and serve it (PORT=8000)"
	@echo "make test       the whole suite: SQLite, PostgreSQL 15, browser tests"
	@echo "make lint       ruff check, ruff format --check, mypy, lint-imports (app layers)"
	@echo "make format     ruff format and ruff check --fix"
	@echo "make check      missing migrations and translation files"
	@echo "make messages   update locale/en from the Swedish msgids and compile them"
	@echo "make bench      the benchmark figures in benchmarks/"
	@echo "make clean      remove caches and build output (distclean: also .venv and var/)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/vagval demo $(DEMO_ARGS)

test: $(STAMP)
	scripts/test.sh $(PYTEST_ARGS)

test-sqlite: $(STAMP)
	TEST_PHASES=sqlite scripts/test.sh $(PYTEST_ARGS)

test-postgres: $(STAMP)
	TEST_PHASES=postgres scripts/test.sh $(PYTEST_ARGS)

test-browser: $(STAMP)
	TEST_PHASES=browser scripts/test.sh $(PYTEST_ARGS)

# All four run even when one fails, so one run shows every problem.
lint: $(STAMP)
	@status=0; \
	echo "== ruff check"; $(VENV)/bin/ruff check . || status=1; \
	echo "== ruff format --check"; $(VENV)/bin/ruff format --check . || status=1; \
	echo "== mypy vagval"; $(VENV)/bin/mypy vagval || status=1; \
	echo "== lint-imports"; $(VENV)/bin/lint-imports --no-cache || status=1; \
	exit $$status

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The migration check uses a throwaway SQLite file so it never touches var/vagval.sqlite3.
check: $(STAMP)
	scripts/check.sh

messages: $(STAMP)
	$(MANAGE) makemessages --locale=en --ignore='.venv/*' --ignore='build/*' --ignore='var/*' --add-location=file --no-obsolete
	$(MANAGE) compilemessages --ignore='.venv/*' --ignore='build/*' --ignore='var/*'

bench: $(STAMP)
	scripts/bench.sh

clean:
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist test-results *.egg-info var/static

distclean: clean
	rm -rf $(VENV) var
