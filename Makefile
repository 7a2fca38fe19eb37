# Quick start: `make run` opens the application, `make test` runs every check.
# Both create the virtual environment and install what they need on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit screenshots bench clean qt-libs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

qt-libs: $(STAMP)
	$(BIN)/python -m allervers_desktop.qt_libs --platform xcb

run: $(STAMP) qt-libs
	$(BIN)/python main.py $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m allervers_desktop.qt_libs --platform offscreen
	$(BIN)/python -m pytest -q

test: lint unit

screenshots: $(STAMP)
	$(BIN)/python -m allervers_desktop.qt_libs --platform offscreen
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.screenshots docs

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
