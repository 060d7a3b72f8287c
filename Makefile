# The two entry points the README starts with: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup system-deps demo test lint templates bench clean

$(BIN)/vn-congvan: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/vn-congvan

system-deps:  ## LibreOffice (PDF), Liberation fonts, poppler (PDF tests): installed when root
	bash scripts/install_system_deps.sh

demo: setup system-deps  ## render every bundled example into out/
	$(BIN)/vn-congvan render $$(find examples -name "*.yaml" ! -name "*.trace.yaml" | sort) -o out --pdf
	@echo "Trong mỗi shell mới (in each new shell): . $(BIN)/activate   → vn-congvan --help"

test: setup system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

templates: setup  ## rebuild templates/*.docx from vn_congvan/data/nd30.yaml
	$(BIN)/python scripts/build_templates.py

bench: setup
	$(BIN)/python benchmarks/batch.py

clean:
	rm -rf out .pytest_cache .ruff_cache
