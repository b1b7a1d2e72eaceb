# Two commands set up a fresh machine: `make run` (the app) and `make test` (the tests).
# Both create .venv and install the project on first use; later calls reuse it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/overview.py
	$(BIN)/python bench/needs_map.py
	$(BIN)/python bench/access.py
	$(BIN)/python bench/cohorts.py
	$(BIN)/python bench/briefing.py
	$(BIN)/python bench/release.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/fuzz.py
	$(BIN)/python bench/load.py
