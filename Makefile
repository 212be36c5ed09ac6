# VPC Flow Logs investigation kit — build / test entry points.
#
#   make setup   .venv (python3.11) + pinned deps + editable flowkit, and node_modules (npm ci)
#   make lint    ruff check + mypy
#   make test    setup, lint, chromium (for the report test), Trino (the real-engine tier), then the full
#                pytest suite (2 xdist workers; the Trino tests share one worker and one server)
#   make trino-test  only the real-engine tier, with its per-layout summary
#   make demo    flowlogs demo: synth summary, every saved query on sample data, the HTML report
#   make bench   benchmarks (tests/bench): BENCHMARKS.md and benchmarks.json
#   make synth   cdk synth -q  (synthesizes every stack)
#   make clean   remove .venv, node_modules, cdk.out and stamps
#
# Setup is stamp-based: the venv is re-synced only when requirements-dev.txt / pyproject.toml change,
# node_modules only when package.json / package-lock.json change. The stamps live inside .venv and
# node_modules, so deleting either directory forces a clean reinstall of it.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := setup
.DELETE_ON_ERROR:

# Resolve the base interpreter before .venv/bin is put first on PATH.
BASE_PYTHON := $(or $(shell command -v python3.11 2>/dev/null),python3.11)

VENV := .venv
VBIN := $(VENV)/bin
PY   := $(VBIN)/python
PIP  := $(PY) -m pip

STAMP_DEPS     := $(VENV)/.stamp-deps
STAMP_EDITABLE := $(VENV)/.stamp-editable
STAMP_NODE     := node_modules/.stamp-npm-ci

export PATH := $(CURDIR)/$(VBIN):$(CURDIR)/node_modules/.bin:$(PATH)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# pip: -qq keeps errors but drops warnings (this machine's pip config names extra local
# indexes that may not exist, which otherwise prints a warning per package).
PIP_QUIET := -qq
NPM_QUIET := --no-audit --no-fund --loglevel=error

.PHONY: setup lint trino test trino-test demo bench synth clean

setup: $(STAMP_DEPS) $(STAMP_EDITABLE) $(STAMP_NODE)

$(PY):
	$(BASE_PYTHON) -m venv $(VENV)

$(STAMP_DEPS): requirements-dev.txt $(PY)
	$(PIP) install $(PIP_QUIET) -r requirements-dev.txt
	@touch $@

$(STAMP_EDITABLE): pyproject.toml $(STAMP_DEPS)
	$(PIP) install $(PIP_QUIET) --no-deps -e .
	@touch $@

$(STAMP_NODE): package-lock.json package.json
	npm ci $(NPM_QUIET)
	@touch $@

lint: setup
	$(VBIN)/ruff check .
	$(VBIN)/mypy

# The pinned Trino 483 (Java 25, Maven Central) goes to ~/.cache/flowkit-trino, reused when present;
# a missing Java 25, Maven or registry stops here with one line.
trino:
	@scripts/install-trino >/dev/null

# The report's browser test needs Debian's chromium; scripts/install-chromium installs it when missing.
test: setup lint trino
	scripts/install-chromium
	$(VBIN)/pytest -n 2 --dist loadgroup

trino-test: setup trino
	$(VBIN)/pytest -p no:xdist tests/trino

demo: setup
	$(VBIN)/flowlogs demo

# Writes BENCHMARKS.md and benchmarks.json (about 15 minutes on 2 cores; see tests/bench/run.py).
bench: setup
	$(PY) -m tests.bench.run

synth: setup
	npx --loglevel=error --no -- cdk synth -q

clean:
	rm -rf $(VENV) node_modules cdk.out .stamp-* *.egg-info
