# Two entry points on a fresh Debian machine with Python 3.11: `make run` and `make test`.
# Both install what is missing first (Debian packages, a virtualenv with the package).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
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

# The main job: the embedded generator on screenshots and sketches, scored against their
# reference HTML with the Design2Code metrics. Without BENCH the inputs are made here: the data
# engine renders RUN_PAGES synthetic pages from seed RUN_SEED in Chromium (screenshots, and
# sketches through the sketch skin), so nothing outside the repository is read. BENCH=DIR runs
# on a folder laid out like the Design2Code test set (ID.png beside ID.html), with sketches from
# SKETCHES=DIR (default BENCH/sketches); a sketch with an ID.html beside it is scored too.
RUN_PAGES ?= 8
RUN_SEED ?= 7
BENCH ?=
SKETCHES ?= $(if $(BENCH),$(BENCH)/sketches,$(OUT)/run/bench/sketches)
run: setup
	$(BIN)/napkin doctor
	rm -rf $(OUT)/run && mkdir -p $(OUT)/run/screenshots $(OUT)/run/references
	@if [ -z "$(BENCH)" ]; then \
	  echo "inputs: $(RUN_PAGES) synthetic pages from the data engine (seed $(RUN_SEED)), rendered now"; \
	  $(BIN)/napkin data synth --n $(RUN_PAGES) --seed $(RUN_SEED) --viewports desktop --variants screenshot,sketch \
	    --out $(OUT)/run/synth --quiet && \
	  $(BIN)/napkin data unpack $(OUT)/run/synth -o $(OUT)/run/bench; \
	else \
	  test -d "$(BENCH)" || { echo "error: BENCH=$(BENCH) is not a folder" >&2; exit 2; }; \
	fi
	@bench="$(if $(BENCH),$(BENCH),$(OUT)/run/bench/screenshots)"; n=0; \
	for png in $$(ls "$$bench"/*.png 2>/dev/null); do \
	  id=$$(basename $$png .png); \
	  [ -f "$$bench/$$id.html" ] || continue; \
	  [ $$n -lt $(RUN_PAGES) ] || break; n=$$((n+1)); \
	  ln -s "$$(realpath $$png)" $(OUT)/run/screenshots/$$id.png; \
	  ln -s "$$(realpath $$bench/$$id.html)" $(OUT)/run/references/$$id.html; \
	done; \
	[ $$n -gt 0 ] || { echo "error: no screenshots with reference HTML (ID.png beside ID.html) in $$bench" >&2; exit 2; }
	$(BIN)/napkin generate $(OUT)/run/screenshots -o $(OUT)/run/pages --kind screenshot
	$(BIN)/napkin eval --pred $(OUT)/run/pages --ref $(OUT)/run/references -o $(OUT)/run/report
	@if [ -d "$(SKETCHES)" ]; then \
	  $(BIN)/napkin generate "$(SKETCHES)" -o $(OUT)/run/sketch-pages --kind sketch && \
	  if ls "$(SKETCHES)"/*.html >/dev/null 2>&1; then \
	    $(BIN)/napkin eval --pred $(OUT)/run/sketch-pages --ref "$(SKETCHES)" -o $(OUT)/run/sketch-report; fi; \
	else echo "no sketches folder ($(SKETCHES)): sketches skipped"; fi
	@echo
	@if [ -z "$(BENCH)" ]; then \
	  echo "ran on $(RUN_PAGES) synthetic pages rendered from seed $(RUN_SEED) ($(OUT)/run/bench); make run BENCH=DIR SKETCHES=DIR runs on real data"; \
	else echo "ran on BENCH=$(BENCH) (screenshots) and $(SKETCHES) (sketches)"; fi
	@echo "pages: $(OUT)/run/pages and $(OUT)/run/sketch-pages"
	@echo "report: $(OUT)/run/report/report.html$$( [ -d $(OUT)/run/sketch-report ] && echo " and $(OUT)/run/sketch-report/report.html")"

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
