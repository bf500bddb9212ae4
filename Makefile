# Two commands a newcomer needs: `make run` and `make test`. Each sets up what
# it needs on a fresh machine that has Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# constraints.txt pins the whole working set so an install next month is the
# same as today's; pyproject.toml keeps the bounded ranges.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test lint typecheck pytest bench bench-node clean lock

$(VENV)/.created:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Roundtable needs Python 3.11 or newer"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	touch $@

$(VENV)/.run-deps: $(VENV)/.created pyproject.toml constraints.txt
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.test-deps: $(VENV)/.created pyproject.toml constraints.txt
	$(PIP_INSTALL) -e '.[test]'
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	$(BIN)/roundtable serve --demo

test: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q

$(VENV)/.bench-deps: $(VENV)/.created pyproject.toml constraints.txt
	$(PIP_INSTALL) -e '.[test,bench]'
	touch $@ $(VENV)/.test-deps $(VENV)/.run-deps

# Figures for the README: `make bench BENCH_ARGS="--subscribers 500"` for a quick run.
bench: $(VENV)/.bench-deps
	$(BIN)/python -m bench.fanout $(BENCH_ARGS)

# The optional Node socket.io baseline: exact versions from bench/node/package-lock.json.
bench-node:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
		cd bench/node && npm ci --no-audit --no-fund; \
	else \
		echo "bench-node: node and npm are not installed; the benchmark will skip the Node baseline."; \
	fi

# Re-pin constraints.txt after changing the ranges in pyproject.toml.
lock: $(VENV)/.test-deps
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^roundtable' > constraints.txt

clean:
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache
