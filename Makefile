# Two commands set up a fresh machine: `make run` (the app) and `make test` (the tests).
# Both create .venv and install the pinned dependencies of requirements.lock (and the project, without its
# dependencies) on first use; later calls reuse it. `make lock` refreshes the lock after pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint lock bench bench-smoke

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# streamlit run app.py, warmed before the first visitor: it prints READY once every public page has been opened
run: $(STAMP)
	$(BIN)/python -m components.server

# everything (lint, unit, AppTest, browser) on two xdist workers, one per core: the browser modules one after another on
# one worker, the rest beside them (tests/scheduling.py); prints the ten slowest tests and the whole time it took.
# The lint runs beside the tests (it is one process, ~12 s: one core was idle while it ran alone), its output after
# theirs; a failure of either fails the target
test: $(STAMP)
	@start=$$(date +%s); lint_log=$$(mktemp); \
	$(MAKE) --no-print-directory lint > $$lint_log 2>&1 & lint=$$!; \
	$(BIN)/python -m pytest -n 2; status=$$?; \
	wait $$lint; lint_status=$$?; echo "--- make lint:"; cat $$lint_log; rm -f $$lint_log; \
	if [ $$lint_status -ne 0 ]; then echo "make test: the lint failed (above)"; status=1; fi; \
	echo "make test: $$(( $$(date +%s) - start )) s (lint and tests)"; exit $$status

# the inner loop: lint, unit and AppTest tests, no browser
test-fast: lint
	$(BIN)/python -m pytest -n 2 -m "not e2e"

# ruff on everything; the layer contracts (import-linter, pyproject.toml); mypy on core, geo, data, services, cli
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# the pinned versions and their hashes, from pyproject.toml (pip-tools; commit the result)
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --allow-unsafe --extra=test --generate-hashes --no-emit-index-url --no-emit-find-links \
		--strip-extras --output-file=requirements.lock pyproject.toml

# every benchmark of bench/ in full (minutes: the national register included); bench-smoke runs each with --smoke, the
# same code on a tiny register in seconds, as tests/unit/test_bench_smoke.py does (which also checks this list is whole)
BENCHES := overview needs_map access cohorts briefing release import fuzz load first_visit

bench: $(STAMP)
	for b in $(BENCHES); do $(BIN)/python bench/$$b.py || exit 1; done

bench-smoke: $(STAMP)
	for b in $(BENCHES); do $(BIN)/python bench/$$b.py --smoke || exit 1; done
