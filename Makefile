# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := build/demo

CHROMIUM := /usr/bin/chromium

.PHONY: demo test bench soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/defence-kg build examples --out $(DEMO)
	$(BIN)/defence-kg query who-met-whom --store $(DEMO)/store
	@echo "Interactive network: $(DEMO)/graph.html (countries), $(DEMO)/parties.html (persons, forces, organisations)"
	@echo "Store:               $(DEMO)/store  (query it: $(BIN)/defence-kg query who-met-whom --store $(DEMO)/store)"

# Debian's Chromium for the browser tests (Playwright drives it; nothing is downloaded by Playwright).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

test: $(VENV)/.installed-dev $(CHROMIUM)
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/ingest.py

soak: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/soak.py

clean:
	rm -rf build dist *.egg-info $(VENV)
