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

MOCK_HOST ?= 127.0.0.1
MOCK_PORT ?= 8765
# make mock keeps its state in a file, so updates survive a restart.
MOCK_DB ?= .mock/octave.db
MOCK_ARGS ?=

.PHONY: help
help:  ## List every target
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-15s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The kit and the generated client are installed editable: regenerating the
# client needs no reinstall, so only the pins and the kit's metadata count here.
$(BIN)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . -e ./$(GENERATED)
	touch $@

node_modules/.installed: package.json package-lock.json
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
setup: $(BIN)/.installed node_modules/.installed  ## Create .venv and node_modules from the pinned requirements (idempotent)

.PHONY: generate
generate: $(BIN)/.installed  ## Regenerate generated/octave-client from openapi.yaml
	# The generator's post-hooks run ruff from PATH: the pinned one in .venv.
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/openapi-python-client generate --path openapi.yaml \
		--config generator-config.yml --custom-template-path templates \
		--output-path $(GENERATED) --overwrite --fail-on-warning

.PHONY: dist
dist: $(BIN)/.installed  ## Build the wheels and sdists of the client (version: openapi.yaml info.version) and of the kit (octave-mock) into dist/
	$(BIN)/python -m build --no-isolation --outdir $(DIST) $(GENERATED)
	$(BIN)/python -m build --no-isolation --outdir $(DIST) .

.PHONY: template-changes
template-changes: $(BIN)/.installed  ## Record how templates/ differs from the pinned generator's templates
	$(BIN)/python -m tests.spec.upstream_templates

.PHONY: lint
lint: setup  ## ruff on hand-written code, openapi-spec-validator and Redocly on the spec
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/openapi-spec-validator openapi.yaml
	$(NODE_BIN)/redocly lint openapi.yaml --format stylish

.PHONY: typecheck
typecheck: setup  ## mypy --strict on hand-written code and on the generated client
	$(BIN)/mypy
	cd $(GENERATED) && ../../$(BIN)/mypy --strict octave_client

.PHONY: test
# One pytest worker per core (pytest-xdist): the suite is mostly waiting on servers and subprocesses.
test: setup chromium  ## Run the whole test suite (spec, client, mock, contract, docs page), one worker per core
	$(BIN)/pytest -n auto

.PHONY: check
check: lint typecheck versions test  ## Everything CI runs

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
	+@MAKEFLAGS= $(MAKE) --no-print-directory setup
	+@mkdir -p $(dir $(DIFF_STATUS)); status=0; \
		$(BIN)/python -m spec_tools.versions diff $(if $(BASE),--base $(BASE)) || status=$$?; \
		echo $$status > $(DIFF_STATUS)

.PHONY: versions
versions: setup  ## info.version and CHANGELOG.md follow openapi.yaml's changes since the last release
	@$(BIN)/python -m spec_tools.versions check

.PHONY: release
release: setup  ## Record the committed openapi.yaml as the release of its info.version, in releases.yaml
	@$(BIN)/python -m spec_tools.versions release

DOCS_DIR ?= build/docs
.PHONY: docs
docs: setup  ## One offline HTML page of the reference: DOCS_DIR/index.html
	$(NODE_BIN)/redocly bundle openapi.yaml --dereferenced --ext json --output $(DOCS_DIR)/openapi.json
	$(BIN)/python -m spec_tools.reference_page $(DOCS_DIR)/openapi.json $(DOCS_DIR)/index.html

.PHONY: mock
mock: setup  ## Serve the mock on MOCK_HOST:MOCK_PORT, state in MOCK_DB (seeded when new)
	$(BIN)/octave-mock serve --host $(MOCK_HOST) --port $(MOCK_PORT) --db $(MOCK_DB) $(MOCK_ARGS)

.PHONY: contract
contract: setup  ## Run the contract (every schemathesis phase) against the mock; reports in reports/mock
	$(BIN)/python -m octave_contract mock

.PHONY: contract-live
contract-live: setup  ## Run the safe contract subset against the real API (needs OCTAVE_API_KEY)
	$(BIN)/python -m octave_contract live

BENCH_ARGS ?=
# The load generator of make bench: Debian's package, at this exact version.
WRK_VERSION := 4.1.0-3+b2

.PHONY: wrk
wrk:  ## Install wrk, at the Debian version pinned here, if it is missing (needs root)
	$(call debian_package,wrk,$(WRK_VERSION),make bench)

.PHONY: bench
bench: setup wrk  ## Mock throughput, p99 and start-up vs Prism and a bare endpoint, driven by wrk (~5 min); rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench $(BENCH_ARGS)

.PHONY: bench-requests
bench-requests: setup  ## The mock's own work per request, step by step (in-process); rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.request_costs $(BENCH_ARGS)

.PHONY: bench-proxy
bench-proxy: setup wrk  ## The validating proxy's added latency next to Prism's proxy mode (~1.5 min); rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.proxy_latency $(BENCH_ARGS)

.PHONY: bench-contract
bench-contract: setup  ## Contract test speed and how reliably broken servers are caught; rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.contract_speed

.PHONY: bench-diff
bench-diff: setup  ## The corpus of spec changes judged by Optic alone, Specmatic alone and make diff, and each one's cost; rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.spec_diff $(BENCH_ARGS)

.PHONY: bench-sdk
bench-sdk: setup  ## SDK call cost vs raw httpx + .json() on the same mock; rewrites its BENCHMARKS.md section
	$(BIN)/python -m bench.sdk_overhead $(BENCH_ARGS)

.PHONY: clean
clean:  ## Remove the virtual environment, node_modules, caches and reports
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache reports dist build
