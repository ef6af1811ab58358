# OncoNav: every target bootstraps .venv itself. `make run` serves on http://127.0.0.1:$(PORT).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PYTEST_ARGS ?=
# Tests run in parallel processes (pytest-xdist; each has its own test database). 1 runs them in one.
PYTEST_WORKERS ?= 2

export DJANGO_SETTINGS_MODULE ?= onconav.config.settings

.PHONY: run test lint format kb-check bench setup migrate data messages messages-update e2e clean help

help:
	@echo "make run      set up everything and serve on http://127.0.0.1:$(PORT) (SQLite)"
	@echo "make test     set up everything and run the whole test suite"
	@echo "make lint     ruff check and format check"
	@echo "make kb-check validate the knowledge base"
	@echo "make bench    run the benchmarks"

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	@$(BIN)/onconav manage compile_catalogues

# Re-extract the marked strings into the zh-Hans catalogue (needs GNU gettext); then translate the new entries.
messages-update: $(STAMP)
	cd src/onconav && ../../$(BIN)/onconav manage makemessages -l zh_Hans --no-location --no-obsolete -i "kbdata/*" -i "engine/*"

migrate: setup
	$(BIN)/onconav manage migrate --noinput

data: migrate
	$(BIN)/onconav manage load_initial_data

run: data
	@echo "OncoNav on http://127.0.0.1:$(PORT)  (demo logins: see README.md)"
	$(BIN)/onconav manage runserver 127.0.0.1:$(PORT)

kb-check: $(STAMP)
	$(BIN)/onconav kb check

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup kb-check
	DJANGO_ENV=test $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

e2e: setup
	DJANGO_ENV=test $(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

bench: data
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/http_bench.py
	$(BIN)/python benchmarks/prod_bench.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/trial_criteria.py
	$(BIN)/python benchmarks/fda_pairs.py

clean:
	rm -rf $(VENV) var .pytest_cache

# --- production shape (issue 13; docs/operations.md, docs/reliability.md) -------------------
.PHONY: production-shape loadtest intake-storm faults
production-shape: setup
	timeout 300 $(BIN)/python scripts/production_shape.py
loadtest: setup
	$(BIN)/python scripts/loadtest/run.py $(LOADTEST_ARGS)
intake-storm: setup
	$(BIN)/python scripts/intake_storm.py $(STORM_ARGS)
faults: setup
	$(BIN)/python scripts/faults/run.py $(FAULT_ARGS)
prod-bench: setup
	$(BIN)/python benchmarks/prod_bench.py $(BENCH_ARGS)
