# The two commands of the README: `make crawl` (set up, then crawl the bundled newsvault.toml) and
# `make test` (set up, then run the test suite). Everything lives in .venv, installed by the pip the
# venv comes with: the pip users have (tests/test_packaging.py installs the wheel the same way).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup crawl test lint bench

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/.installed

crawl: setup
	$(BIN)/newsvault crawl

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python bench/run_all.py
