# The verbs people and CI run. Each target sets up what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install serve test lint bench docs clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

serve: install
	$(BIN)/smartcity-kg info

test: install
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
	rm -rf $(VENV) .pytest_cache .ruff_cache
