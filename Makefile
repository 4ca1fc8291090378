# Two entry points on a fresh Debian machine with Python 3.11: `make run` and `make test`.
# Both install what is missing first (Debian packages, a virtualenv with the package).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
BENCH ?= ../shared/benchmarks
OUT ?= out

.PHONY: setup run test lint bench clean

setup: $(VENV)/.installed

.system-packages.stamp: scripts/install-system-packages.sh
	sh scripts/install-system-packages.sh
	touch $@

$(VENV)/.installed: pyproject.toml .system-packages.stamp
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[all,dev]'
	touch $@

# The main job. Until the generator lands it renders the real Design2Code pages.
run: setup
	$(BIN)/napkin doctor
	$(BIN)/napkin render $(BENCH)/design2code-dev -o $(OUT)/design2code-renders

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/render_throughput.py

clean:
	rm -rf $(VENV) .system-packages.stamp $(OUT)
