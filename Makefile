# `make run` and `make test` do every set-up step themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
LOCK   := $(UV) pip compile --generate-hashes --universal --python-version 3.11 --quiet

.PHONY: run test lint typecheck tools fonts fonts-optional migrate demo clean lock

## Installs come from hash-checked locks (requirements/*.lock, made by `make lock`): the
## same versions on every machine, and nothing installed whose hash the lock does not give.
## pip installs uv from its lock (tools.lock), uv the rest: `make run` the runtime lock
## only, `make test` the test lock (the runtime's plus the test tools).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): requirements/tools.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/tools.lock
	touch $@

define install_lock
	$(UV) pip install --quiet --python $(BIN)/python --require-hashes --no-deps -r $(1)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
endef

$(VENV)/.runtime: requirements/runtime.lock pyproject.toml | $(UV)
	$(call install_lock,requirements/runtime.lock)
	touch $@

$(VENV)/.test: requirements/test.lock pyproject.toml | $(UV)
	$(call install_lock,requirements/test.lock)
	touch $@ $(VENV)/.runtime

## Regenerate the locks from pyproject.toml after changing a dependency: uv resolves one
## lock for every platform and Python the project supports (--universal).
lock: | $(UV)
	$(LOCK) pyproject.toml requirements/build.in -o requirements/runtime.lock
	$(LOCK) pyproject.toml requirements/build.in --extra test -o requirements/test.lock
	$(LOCK) requirements/tools.in -o requirements/tools.lock

## Install, migrate, load demo data into an empty database and serve on SQLite.
run: $(VENV)/.runtime fonts-optional
	$(BIN)/officer-cert serve --demo

migrate: $(VENV)/.runtime
	$(BIN)/officer-cert migrate

demo: $(VENV)/.runtime
	$(BIN)/officer-cert demo

lint: $(VENV)/.test
	$(BIN)/ruff check service mobile_api admin tests bench examples
	$(BIN)/ruff format --check service mobile_api admin tests bench examples

typecheck: $(VENV)/.test
	$(BIN)/mypy service/domain service/usecases

## System packages: zbarimg decodes the QR codes we render and Chromium runs the browser
## tests (Playwright drives the system's Chromium; no browser is downloaded); nginx checks
## and runs deploy/nginx; pg_dump backs PostgreSQL up; the CJK font
## draws the Chinese on printed cards. `make run` needs only the font, and only warns
## without it (cards then answer 503 naming it).
CJK_FONT     := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
SYSTEM_TOOLS := zbarimg:zbar-tools chromium:chromium nginx:nginx-light pg_dump:postgresql-client pdftotext:poppler-utils
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
	$(BIN)/python -m pytest -n auto --dist worksteal  # a worker per core, own databases; idle ones take over queued tests

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
