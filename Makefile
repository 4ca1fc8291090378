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
	$(BIN)/python -m pip install -q -e '.[all,clip,dev]'
	touch $@

# The main job: the embedded generator on a few real screenshots (scored against their
# reference HTML with the Design2Code metrics) and on the real sketches.
RUN_PAGES ?= 8
run: setup
	$(BIN)/napkin doctor
	rm -rf $(OUT)/run && mkdir -p $(OUT)/run/screenshots $(OUT)/run/references
	for png in $$(ls $(BENCH)/design2code-dev/*.png | head -n $(RUN_PAGES)); do \
	  id=$$(basename $$png .png); \
	  ln -s "$$(realpath $$png)" $(OUT)/run/screenshots/$$id.png; \
	  ln -s "$$(realpath $(BENCH)/design2code-dev/$$id.html)" $(OUT)/run/references/$$id.html; \
	done
	$(BIN)/napkin generate $(OUT)/run/screenshots -o $(OUT)/run/pages --kind screenshot
	$(BIN)/napkin generate $(BENCH)/sketches -o $(OUT)/run/sketch-pages --kind sketch
	$(BIN)/napkin eval --pred $(OUT)/run/pages --ref $(OUT)/run/references -o $(OUT)/run/report
	@echo "pages: $(OUT)/run/pages and $(OUT)/run/sketch-pages; report: $(OUT)/run/report/report.html"

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/render_throughput.py
	$(BIN)/python benchmarks/score_throughput.py
	$(BIN)/python benchmarks/generate_latency.py
	$(BIN)/python benchmarks/data_throughput.py

clean:
	rm -rf $(VENV) .system-packages.stamp $(OUT)
