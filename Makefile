# The kit's single entry point. `make help` lists every target.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NODE_BIN := node_modules/.bin
GENERATED := generated/octave-client
DIST ?= dist
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true
export OPTIC_TELEMETRY_LEVEL := off
# The Node tools run on the Node that package.json pins (the npm package `node`), not on
# whichever Node is on PATH: their `#!/usr/bin/env node` finds it here first.
export PATH := $(CURDIR)/$(NODE_BIN):$(PATH)
# Node keeps the code it compiles for the Node tools here, as Python keeps __pycache__: each
# start of Optic, Redocly, Spectral or Prism then skips most of its compiling.
export NODE_COMPILE_CACHE ?= $(CURDIR)/build/node-compile-cache

MOCK_HOST ?= 127.0.0.1
MOCK_PORT ?= 8765
# make mock keeps its state in a file, so updates survive a restart.
MOCK_DB ?= .mock/octave.db
MOCK_ARGS ?=

.PHONY: help
help:  ## List every target
	@colour=$$([ -t 1 ] && echo 1 || true); awk -v colour="$$colour" \
		'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {name[++n] = $$1; text[n] = $$2; \
			if (length($$1) > width) width = length($$1)} \
		END {for (i = 1; i <= n; i++) printf (colour ? "  \033[36m%-*s\033[0m  %s\n" \
			: "  %-*s  %s\n"), width, name[i], text[i]}' $(MAKEFILE_LIST)

# Python packages are installed by uv, at the version requirements.txt pins; make setup
# INSTALLER=pip uses pip instead (slower), and so does setup itself where uv cannot be had or
# cannot download (saying so in one line). uv reads the system's certificate store, as pip
# does, so a company's TLS proxy whose CA is installed there stops neither.
INSTALLER ?= uv
UV_PIN := $(shell grep -m1 '^uv==' requirements.txt)
UV_INSTALL := $(BIN)/uv pip install --quiet --system-certs --python $(BIN)/python
# uv's own words when it fails, kept for the reader of the one line that says so.
UV_LOG := $(VENV)/uv-setup.log

# The kit and the generated client are installed editable: regenerating the
# client needs no reinstall, so only the pins and the kit's metadata count here.
# Only python3 is assumed: uv comes from PyPI through python3's own pip, or through
# the pip that the venv's ensurepip brings when python3 has none.
$(BIN)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "setup: the kit needs Python 3.11 or later; $(PYTHON) is $$($(PYTHON) --version 2>&1)" >&2; exit 2; }
	$(PYTHON) -m venv --without-pip $(VENV)
	@installer=$(INSTALLER); \
	if [ $$installer = uv ] && [ ! -x $(BIN)/uv ]; then \
		$(PYTHON) -m pip --python $(BIN)/python install -qq $(UV_PIN) 2>/dev/null \
		|| { $(BIN)/python -m ensurepip >/dev/null && $(BIN)/python -m pip install -qq $(UV_PIN); } \
		|| { echo "setup: $(UV_PIN) could not be installed; installing with pip instead" >&2; \
			installer=pip; }; \
	fi; \
	if [ $$installer = uv ]; then \
		echo "setup: installing the pinned Python packages into $(VENV) with uv"; \
		{ $(UV_INSTALL) -r requirements.txt && $(UV_INSTALL) --no-deps --no-build-isolation \
			-e . -e ./$(GENERATED); } 2>$(UV_LOG) \
		|| { echo "setup: uv could not install the pins ($$(sed -n 's/^ *\(cause\|error\): //p' \
			$(UV_LOG) | tail -n 1); all of it in $(UV_LOG)); installing with pip instead" >&2; \
			installer=pip; }; \
	fi; \
	if [ $$installer = pip ]; then \
		echo "setup: installing the pinned Python packages into $(VENV) with pip"; \
		[ -x $(BIN)/pip ] || $(BIN)/python -m ensurepip >/dev/null; \
		$(BIN)/python -m pip install -qq -r requirements.txt; \
		$(BIN)/python -m pip install -qq --no-deps --no-build-isolation -e . -e ./$(GENERATED); \
	fi
	touch $@

# Why a target needs Node; set per target below (a prerequisite sees its target's value).
NODE_FOR ?= make needs the Node tools
PYTHON_TOOLS := $(BIN)/.installed
NODE_TOOLS := node_modules/.installed
NODE_VERSION := $(shell sed -n 's/^ *"node": "\(.*\)",*$$/\1/p' package.json)

# npm installs Node $(NODE_VERSION) itself (package.json's `node`); it needs some Node to
# run, the one on PATH. Only the targets that use a Node tool depend on this.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "$(NODE_FOR), on Node $(NODE_VERSION): npm \
	installs both from package.json, so it needs npm on PATH (with any Node.js); make \
	contract, mock, generate, dist, versions and test need only Python" >&2; exit 2; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browser of the reference page's test: Debian's package, at this exact version.
CHROMIUM_VERSION := 150.0.7871.100-1~deb12u1

# Install Debian's package $(1) at version $(2) unless /usr/bin/$(1) is there; as root only,
# anyone else is told the apt line ($(3) says who needs it).
define debian_package
	@if [ ! -x /usr/bin/$(1) ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "$(3) needs $(1): sudo apt-get install $(1)=$(2)" >&2; exit 2; fi; \
		apt-get install -y --no-install-recommends $(1)=$(2) \
			|| { apt-get update && apt-get install -y --no-install-recommends $(1)=$(2); }; \
	fi
endef

.PHONY: chromium
chromium:  ## Install Chromium for the reference page's test, at the Debian version pinned here, if it is missing (needs root)
	$(call debian_package,chromium,$(CHROMIUM_VERSION),the reference page's test)

.PHONY: setup
setup: $(PYTHON_TOOLS)  ## Create .venv, and node_modules when npm is on PATH, from the pins (idempotent)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(NODE_TOOLS); \
	else echo "setup: no npm on PATH, so no node_modules: make lint, docs, diff, test-all, check and bench need it"; fi

.PHONY: node-tools
node-tools: NODE_FOR = make node-tools installs the Node tools
node-tools: $(NODE_TOOLS)  ## Create node_modules (Node itself, Redocly, pyright, Optic, Prism) from package-lock.json

.PHONY: generate
generate: $(PYTHON_TOOLS)  ## Regenerate generated/octave-client from openapi.yaml
	# The generator's post-hooks run ruff from PATH: the pinned one in .venv.
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/openapi-python-client generate --path openapi.yaml \
		--config generator-config.yml --custom-template-path templates \
		--output-path $(GENERATED) --overwrite --fail-on-warning
	# Then client_lib/ (the SDK's hand-written modules) goes in as octave_client/_lib, and
	# every generated file gets its "do not edit" header.
	$(BIN)/python -m spec_tools.finish_client $(GENERATED)

.PHONY: dist
dist: $(PYTHON_TOOLS)  ## Build the wheels and sdists of the client (version: openapi.yaml info.version) and of the kit (octave-mock) into dist/
	@$(BIN)/python -m build --quiet --no-isolation --outdir $(DIST) $(GENERATED) >/dev/null
	@$(BIN)/python -m build --quiet --no-isolation --outdir $(DIST) . >/dev/null
	@echo "dist: built into $(DIST)/:"; cd $(DIST) && ls -1 octave_client-* octave_contract_kit-* | sed 's/^/  /'

.PHONY: template-changes
template-changes: $(PYTHON_TOOLS)  ## Record how templates/ differs from the pinned generator's templates
	$(BIN)/python -m tests.spec.upstream_templates

.PHONY: lint
lint: NODE_FOR = make lint runs Redocly and Spectral on the spec
lint: $(PYTHON_TOOLS) $(NODE_TOOLS)  ## ruff on hand-written code, the layers (import-linter), no conflict marker, openapi-spec-validator, Redocly and Spectral on the spec
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(MAKE) --no-print-directory lint-imports lint-conflicts
	$(BIN)/openapi-spec-validator openapi.yaml
	$(NODE_BIN)/redocly lint openapi.yaml --format stylish
	$(NODE_BIN)/spectral lint openapi.yaml --ruleset .spectral.yaml --fail-severity hint

# The layers of pyproject.toml's [tool.importlinter]: a broken contract names the import.
.PHONY: lint-imports
lint-imports: $(PYTHON_TOOLS)
	$(BIN)/lint-imports --no-cache --no-logo

# A merge-conflict marker left in any tracked file: git grep names the file and line.
.PHONY: lint-conflicts
lint-conflicts:
	@if git grep -nE '^(<{7}|={7}|>{7})( |$$)'; then \
		echo "lint: the lines above are merge-conflict markers; resolve them" >&2; exit 1; fi

.PHONY: typecheck
typecheck: NODE_FOR = make typecheck runs pyright on examples/
typecheck: $(PYTHON_TOOLS) $(NODE_TOOLS)  ## mypy --strict on hand-written code and the generated client; pyright strict on examples/
	$(BIN)/mypy
	cd $(GENERATED) && ../../$(BIN)/mypy --strict octave_client
	$(NODE_BIN)/pyright

# The suite's two tiers (tests/tiers.py decides which tests are slow): make test runs the fast
# one, which needs Python alone, for the inner loop; make test-all runs both, as make check
# does. Work that several tests need is done once per run and shared through files
# (tests/installing.py, once_per_run), not by keeping tests on one worker: pytest 9's node ids
# no longer take the group that --dist loadgroup adds.
# PYTEST_ARGS narrows a run, e.g. make test PYTEST_ARGS=tests/mock.
# Two pytest-xdist workers per core: the suite waits on sockets, subprocesses and the live
# tests' rate limit for about a third of its time, and more workers fill those waits (each
# count's timing: BENCHMARKS.md, "make check, warm").
PYTEST := $(BIN)/pytest -n $$(( 2 * $$(nproc) ))
PYTEST_ARGS ?=

# Each worker, and each mock or proxy a test starts as a process, imports the kit and its
# dependencies afresh: Python keeps their bytecode (in __pycache__, which git ignores) even
# where the environment asks it not to (PYTHONDONTWRITEBYTECODE, set in many container
# images), or every one of them compiles it again, 3 s of CPU more per worker.
test test-all: export PYTHONDONTWRITEBYTECODE :=

.PHONY: test
test: $(PYTHON_TOOLS)  ## The fast tier of the suite: every test that needs Python alone (no Node, Java or Chromium)
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)

.PHONY: test-all
test-all: NODE_FOR = make test-all runs Redocly, Optic and swagger-ui
test-all: $(PYTHON_TOOLS) $(NODE_TOOLS) chromium  ## Both tiers of the suite: the fast one and the slow one (Node tools, Java, Chromium, wheels, whole contract runs)
	$(PYTEST) $(PYTEST_ARGS)

.PHONY: specmatic
specmatic: $(PYTHON_TOOLS)  ## Specmatic's contract tests, from the examples and generated, against a fresh mock (needs Java 17)
	@$(BIN)/python -m spec_tools.specmatic_tests $(SPECMATIC_ARGS)

# make check runs its steps at once (each one's output shows when it ends): the linters, type
# checkers and Specmatic take the suite's waits, as its workers do.
.PHONY: check
check:  ## Everything CI runs, all at once: lint, typecheck, versions, specmatic and both tiers of the suite
	@$(MAKE) --no-print-directory --jobs --output-sync=target lint typecheck versions specmatic test-all

SPECMATIC_ARGS ?=
BASE ?=
# make exits 2 whenever a recipe fails, so a breaking change (1) would look like a failed
# comparison (2). Only question mode (-q) makes make exit 1: `make diff` runs in it. Its first
# step's lines start with `+`, which question mode still runs: they set the kit up and record
# the comparison's exit code. The second step's line expands to a command only for a 1, and
# question mode answers 1 for a command it would run; a 2 stops make with its own 2.
DIFF_STATUS := build/diff-exit-status
ifeq ($(MAKECMDGOALS),diff)
MAKEFLAGS += --question
endif
.PHONY: diff diff-compare
diff: diff-compare  ## Each change to openapi.yaml since BASE (a git ref; default: the last release) and its verdict; exits 0 no break, 1 breaking, 2 the comparison failed
	$(if $(filter 1,$(file < $(DIFF_STATUS))),breaking)$(if $(filter 2,$(file < $(DIFF_STATUS))),$(error the comparison failed (exit 2): see above))
diff-compare:
	+@MAKEFLAGS= $(MAKE) --no-print-directory $(PYTHON_TOOLS) $(NODE_TOOLS) NODE_FOR="make diff runs Optic"
	+@mkdir -p $(dir $(DIFF_STATUS)); status=0; \
		$(BIN)/python -m spec_tools.versions diff $(if $(BASE),--base $(BASE)) || status=$$?; \
		echo $$status > $(DIFF_STATUS)

.PHONY: versions
versions: $(PYTHON_TOOLS)  ## info.version and CHANGELOG.md follow openapi.yaml's changes since the last release
	@$(BIN)/python -m spec_tools.versions check

.PHONY: release
release: $(PYTHON_TOOLS)  ## Record the committed openapi.yaml as the release of its info.version, in releases.yaml
	@$(BIN)/python -m spec_tools.versions release

DOCS_DIR ?= build/docs
.PHONY: docs
docs: NODE_FOR = make docs runs Redocly and swagger-ui
docs: $(PYTHON_TOOLS) $(NODE_TOOLS)  ## One offline HTML page of the reference: DOCS_DIR/index.html
	$(NODE_BIN)/redocly bundle openapi.yaml --dereferenced --ext json --output $(DOCS_DIR)/openapi.json
	$(BIN)/python -m spec_tools.reference_page $(DOCS_DIR)/openapi.json $(DOCS_DIR)/index.html

.PHONY: mock
mock: $(PYTHON_TOOLS)  ## Serve the mock on MOCK_HOST:MOCK_PORT, state in MOCK_DB (seeded when new)
	$(BIN)/octave-mock serve --host $(MOCK_HOST) --port $(MOCK_PORT) --db $(MOCK_DB) $(MOCK_ARGS)

.PHONY: contract
contract: $(PYTHON_TOOLS)  ## Run the contract (every schemathesis phase) against the mock; reports in reports/mock
	$(BIN)/python -m octave_contract mock

.PHONY: contract-live
contract-live: $(PYTHON_TOOLS)  ## Run the safe contract subset against the real API (needs OCTAVE_API_KEY)
	$(BIN)/python -m octave_contract live

BENCH_ARGS ?=
# The load generator of make bench: Debian's package, at this exact version.
WRK_VERSION := 4.1.0-3+b2

.PHONY: wrk
wrk:  ## Install wrk, at the Debian version pinned here, if it is missing (needs root)
	$(call debian_package,wrk,$(WRK_VERSION),make bench)

.PHONY: bench
bench: NODE_FOR = make bench runs Prism as the mock's peer
bench: $(PYTHON_TOOLS) $(NODE_TOOLS) wrk  ## Mock throughput, p99 and start-up vs Prism and a bare endpoint, driven by wrk (~6 min); rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench $(BENCH_ARGS)

.PHONY: bench-requests
bench-requests: $(PYTHON_TOOLS)  ## The mock's own work per request, step by step (in-process); rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.request_costs $(BENCH_ARGS)

.PHONY: bench-proxy
bench-proxy: NODE_FOR = make bench-proxy runs Prism as the proxy's peer
bench-proxy: $(PYTHON_TOOLS) $(NODE_TOOLS) wrk  ## The validating proxy's added latency next to Prism's proxy mode (~1.5 min); rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.proxy_latency $(BENCH_ARGS)

.PHONY: bench-double
bench-double: $(PYTHON_TOOLS) wrk  ## Throughput with the request journal on over off, one worker and two (wrk), and the fixture's reset (~3 min); rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.double $(BENCH_ARGS)

.PHONY: bench-contract
bench-contract: $(PYTHON_TOOLS)  ## Contract test speed and how reliably broken servers are caught; rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.contract_speed

.PHONY: bench-coverage
bench-coverage: $(PYTHON_TOOLS)  ## A team's test session with --octave-coverage over without, and coverage of 10,000 requests (~3 min); rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.coverage_cost $(BENCH_ARGS)

.PHONY: bench-diff
bench-diff: NODE_FOR = make bench-diff runs Optic
bench-diff: $(PYTHON_TOOLS) $(NODE_TOOLS)  ## The corpus of spec changes judged by Optic alone, Specmatic alone and make diff, and each one's cost; rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.spec_diff $(BENCH_ARGS)

.PHONY: bench-seed
bench-seed: setup  ## Start-up, memory, reset and reads with seeds of 13, 1,000 and 10,000 objects (~3 min); rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.seed_scale $(BENCH_ARGS)

.PHONY: bench-sdk
bench-sdk: $(PYTHON_TOOLS)  ## SDK call cost vs raw httpx + .json() on the same mock; rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.sdk_overhead $(BENCH_ARGS)

.PHONY: bench-suite
bench-suite: $(PYTHON_TOOLS)  ## make test and make check, warm, timed twice each with the load average (~8 min); rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.suite_time $(BENCH_ARGS)

.PHONY: clean
clean:  ## Remove the virtual environment, node_modules, caches and reports
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache reports dist build
