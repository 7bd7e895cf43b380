# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := build/demo

.PHONY: demo test bench clean

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
	@echo "Interactive network: $(DEMO)/graph.html"
	@echo "Store:               $(DEMO)/store  (query it: $(BIN)/defence-kg query who-met-whom --store $(DEMO)/store)"

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/extract.py

clean:
	rm -rf build dist *.egg-info $(VENV)
