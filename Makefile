# `make run` and `make test` do every set-up step themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck tools migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Install, migrate, load demo data into an empty database and serve on SQLite.
run: $(STAMP)
	$(BIN)/officer-cert serve --demo

migrate: $(STAMP)
	$(BIN)/officer-cert migrate

demo: $(STAMP)
	$(BIN)/officer-cert demo

lint: $(STAMP)
	$(BIN)/ruff check service mobile_api admin tests bench
	$(BIN)/ruff format --check service mobile_api admin tests bench

typecheck: $(STAMP)
	$(BIN)/mypy service/domain service/usecases

## System tools the tests drive: zbarimg decodes the QR codes we render, Chromium runs the
## browser tests (Playwright drives the system's Chromium; no browser is downloaded).
SYSTEM_TOOLS := zbarimg:zbar-tools chromium:chromium
tools:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing$$missing"; \
	    apt-get install -y --no-install-recommends $$missing >/dev/null 2>&1 || \
	    { apt-get update -qq && apt-get install -y --no-install-recommends $$missing; }; \
	  else echo "missing system packages:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; \
	fi

## Lint, type-check, then the whole suite on SQLite and PostgreSQL.
test: lint typecheck tools
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
