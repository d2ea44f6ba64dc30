# Two entry points: `make run` (the atlas in the browser) and `make test` (the whole suite).
# Each does all set-up on a fresh machine: Debian packages, virtual environment, Python
# packages, and the verified boundary cache.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

# The pinned boundary files come from an offline mirror when one sits beside the project
# (../shared on the project machines and CI); otherwise they are downloaded and verified.
MIRROR_DEFAULT := $(abspath ../shared/geodata/wilayah_boundaries)
ifeq ($(origin ATLAS_DATA_MIRROR), undefined)
  ifneq ($(wildcard $(MIRROR_DEFAULT)/SHA256SUMS),)
    export ATLAS_DATA_MIRROR := $(MIRROR_DEFAULT)
  endif
endif

.PHONY: run test setup system-deps data bench clean

run: data
	$(BIN)/python -m atlas.web.server --server.port $(PORT)

test: data
	$(BIN)/python -m pytest

setup: system-deps $(BIN)/.installed static/node_modules/.installed

system-deps:
	bash scripts/install-system-deps.sh

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Leaflet and topojson-client from the npm registry, served locally (no CDN)
static/node_modules/.installed: static/package.json static/package-lock.json
	cd static && npm ci --no-audit --no-fund --loglevel=error
	touch $@

data: setup
	$(BIN)/atlas prepare --region all

bench: data
	$(BIN)/pip install --quiet -e '.[test,bench]'
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_boundaries.py
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_app.py
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_overlay.py
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_figures.py

clean:
	rm -rf $(VENV) .cache
