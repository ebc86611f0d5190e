# The verbs people and CI run. Each target sets up what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
YASGUI := src/smartcity_kg/web/static/vendor/yasgui/VERSION
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install serve test lint bench docs chromium clean

install: $(STAMP) $(YASGUI)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The SPARQL editor's browser files, from the npm registry (never from a CDN at run time).
$(YASGUI): scripts/fetch-yasgui.sh
	scripts/fetch-yasgui.sh

# Debian's Chromium, for the browser tests.
chromium:
	command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)

serve: install
	$(BIN)/smartcity-kg serve

test: install chromium
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python ontology/imports/extract.py --check

bench: install
	$(BIN)/python -m bench.run

docs: install
	$(BIN)/smartcity-kg docs

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache src/smartcity_kg/web/static/vendor
