# Two entry points for a fresh machine: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
VENV := .venv
PYTHON ?= python3
INSTALLED := $(VENV)/.installed
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
ASSIGNMENTS := $(notdir $(wildcard source/*))

.PHONY: install system-packages run test release bench clean
# Debian packages the platform needs: bubblewrap sandboxes every graded submission.
SYSTEM_PACKAGES := bubblewrap

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade "pip==26.3"
	$(VENV)/bin/python -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

install: system-packages $(INSTALLED)

## system packages: installed through apt when missing (needs root; otherwise says what to install)
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: missing system packages:$$missing (as root: apt-get install$$missing)" >&2; fi; \
	fi

## make run: the course hub on http://127.0.0.1:8000 with the demo course (Ctrl-C stops it);
## `course demo` runs the command-line grading pipeline instead
run: install
	course hub

# Debian packages the hub's tests drive: Chromium for the browser test, docker-compose to
# validate docker-compose.yml (installed like system-packages: through apt, as root, when missing).
HUB_TEST_PACKAGES := chromium docker-compose
.PHONY: hub-test-packages
hub-test-packages:
	@missing=""; for p in $(HUB_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing test packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "warning: missing test packages:$$missing (the hub tests that need them skip)" >&2; fi; \
	fi

## make test: the whole test suite
test: install hub-test-packages
	python -m pytest

## make release: regenerate release/ from source/ (commit the result)
release: install
	@for a in $(ASSIGNMENTS); do nbgrader generate_assignment $$a --force --log-level=WARN || exit 1; done

## make bench: the benchmarks in bench/
bench: install
	@for b in bench/bench_*.py; do echo "== $$b"; python $$b || exit 1; done

clean:
	rm -rf demo autograded/*/ submitted feedback exchange gradebook.db
