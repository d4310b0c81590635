# Two entry points for a fresh machine: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
VENV := .venv
PYTHON ?= python3
INSTALLED := $(VENV)/.installed
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
ASSIGNMENTS := $(notdir $(wildcard source/*))

.PHONY: install run test release bench clean

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade "pip==26.3"
	$(VENV)/bin/python -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

install: $(INSTALLED)

## make run: the grading pipeline on a demo course (three students, every assignment)
run: install
	course demo

## make test: the whole test suite
test: install
	python -m pytest

## make release: regenerate release/ from source/ (commit the result)
release: install
	@for a in $(ASSIGNMENTS); do nbgrader generate_assignment $$a --force --log-level=WARN || exit 1; done

## make bench: the benchmarks in bench/
bench: install
	@for b in bench/bench_*.py; do echo "== $$b"; python $$b || exit 1; done

clean:
	rm -rf demo autograded/*/ submitted feedback exchange gradebook.db
