# Two entry points: `make run` (the atlas in the browser) and `make test` (lint, types, the whole
# suite). Each does all set-up on a fresh machine: Debian packages, uv, the virtual environment
# exactly as uv.lock pins it, the map libraries from npm, and the verified boundary cache.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# `make run PORT=9000`, or Streamlit's own STREAMLIT_SERVER_PORT, else 8501
PORT ?= $(or $(STREAMLIT_SERVER_PORT),8501)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_PYTHON_DOWNLOADS := never
# Installed packages are compiled to bytecode once, at set-up: where PYTHONDONTWRITEBYTECODE is set
# (as on the project machines) every command would otherwise compile pandas & co. again at start.
export UV_COMPILE_BYTECODE := 1
LINTED := atlas tests benchmarks app.py geodata

# The pinned boundary files come from an offline mirror when one sits beside the project
# (../shared on the project machines and CI); otherwise they are downloaded and verified.
MIRROR_DEFAULT := $(abspath ../shared/geodata/wilayah_boundaries)
ifeq ($(origin ATLAS_DATA_MIRROR), undefined)
  ifneq ($(wildcard $(MIRROR_DEFAULT)/SHA256SUMS),)
    export ATLAS_DATA_MIRROR := $(MIRROR_DEFAULT)
  endif
endif

.PHONY: run serve-ogc test check lint setup system-deps data bench clean

run: data
	$(BIN)/python -m atlas.web.server --server.port $(PORT)

# the layers as OGC API - Features (pygeoapi) on http://127.0.0.1:$(OGC_PORT); docs/publishing.md
OGC_PORT ?= 5000
serve-ogc: data
	$(BIN)/atlas serve-ogc --port $(OGC_PORT)

test: data lint
	$(BIN)/python -m pytest

# the fast tier while developing (tests marked slow left out; tests/conftest.py), under two minutes
check: data
	$(BIN)/ruff check $(LINTED)
	$(BIN)/python -m pytest -m "not slow" -q

lint: setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

setup: system-deps $(BIN)/.installed static/node_modules/.installed

system-deps:
	bash scripts/install-system-deps.sh

# uv itself, pinned, in a small tools environment of its own
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# exactly the locked versions (uv sync --locked fails when uv.lock is out of date)
$(BIN)/.installed: pyproject.toml uv.lock atlas/analysis/_coverage.pyx | $(UV)
	$(UV) sync --locked --python $(PYTHON) --extra test --group lint
	touch $@

# Leaflet and topojson-client from the npm registry, served locally (no CDN)
static/node_modules/.installed: static/package.json static/package-lock.json
	cd static && npm ci --no-audit --no-fund --loglevel=error
	touch $@

data: setup
	$(BIN)/atlas prepare --region all

bench: data
	$(UV) sync --locked --python $(PYTHON) --extra test --extra bench --group lint
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_boundaries.py
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_app.py
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_load.py
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_ogc.py
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_vector_overlay.py
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_directory.py
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_overlay.py
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/bench_figures.py
	$(UV) sync --locked --python $(PYTHON) --extra test --group lint

clean:
	rm -rf $(VENV) $(TOOLS) .cache
