# `make run` and `make test` do every set-up step themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck tools fonts fonts-optional migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Install, migrate, load demo data into an empty database and serve on SQLite.
run: $(STAMP) fonts-optional
	$(BIN)/officer-cert serve --demo

migrate: $(STAMP)
	$(BIN)/officer-cert migrate

demo: $(STAMP)
	$(BIN)/officer-cert demo

lint: $(STAMP)
	$(BIN)/ruff check service mobile_api admin tests bench examples
	$(BIN)/ruff format --check service mobile_api admin tests bench examples

typecheck: $(STAMP)
	$(BIN)/mypy service/domain service/usecases

## System packages: zbarimg decodes the QR codes we render and Chromium runs the browser
## tests (Playwright drives the system's Chromium; no browser is downloaded); the CJK font
## draws the Chinese on printed cards. `make run` needs only the font, and only warns
## without it (cards then answer 503 naming it).
CJK_FONT     := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
SYSTEM_TOOLS := zbarimg:zbar-tools chromium:chromium
define apt_install
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing $(1)"; \
	  apt-get install -y --no-install-recommends $(1) >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y --no-install-recommends $(1); }; \
	else echo "missing system packages: $(1) (sudo apt-get install $(1))" >&2; $(2); fi
endef

tools: fonts
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then $(call apt_install,$$missing,exit 1); fi

fonts:
	@[ -f $(CJK_FONT) ] || { $(call apt_install,fonts-wqy-microhei,exit 1); }

fonts-optional:
	@[ -f $(CJK_FONT) ] || { $(call apt_install,fonts-wqy-microhei,true); }

## Lint, type-check, then the whole suite on SQLite and PostgreSQL.
test: lint typecheck tools
	$(BIN)/python -m pytest -n auto  # one worker per core; each has its own databases

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
