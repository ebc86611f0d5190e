# The verbs people and CI run. Each target sets up what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
VENDOR := src/smartcity_kg/web/static/vendor/swagger-ui/VERSION

.PHONY: install serve test lint bench docs chromium virtuoso clean

install: $(STAMP) $(VENDOR)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The browser files of the SPARQL editor and the API docs, from the npm registry (never from a
# CDN at run time).
$(VENDOR): scripts/fetch-vendor.sh
	scripts/fetch-vendor.sh

# Debian's Chromium, for the browser tests.
chromium:
	command -v chromium >/dev/null || scripts/apt-install.sh chromium

serve: install
	$(BIN)/smartcity-kg serve

# Debian's Virtuoso 7, for the remote-store tests (tests/store starts it with the same script).
virtuoso:
	scripts/virtuoso.sh install

test: install chromium virtuoso
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/python ontology/imports/extract.py --check
	$(BIN)/python scripts/build_registry.py --check

bench: install
	$(BIN)/python -m bench.run

docs: install
	$(BIN)/smartcity-kg docs

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache src/smartcity_kg/web/static/vendor
