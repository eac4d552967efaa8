# Two commands for a new user: `make run` (the app on the sample story) and `make test`.
# Every target installs what it needs first; re-running is fast when nothing changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.parallax-installed
# The browser test (tests/test_browser.py) drives the app in Debian's chromium at this path;
# Playwright downloads no browser of its own. The other variables exist so the logic can be tested.
CHROMIUM ?= /usr/bin/chromium
APT_GET ?= apt-get
SUDO ?= sudo
AS_ROOT ?= $(shell [ "$$(id -u)" = 0 ] && echo yes)
CHROMIUM_HINT := sudo $(APT_GET) install -y chromium

.PHONY: setup run test eval bench clean system-deps

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

run: setup
	$(VENV)/bin/streamlit run app.py

test: setup system-deps
	$(PY) -m pytest

# What the tests need from the system: chromium, installed with apt when run as root or with
# sudo; otherwise one line naming the command (an error under CI=true, where the browser test
# would fail; elsewhere that test is skipped). Nothing to do, and instant, once it is there.
system-deps:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if ! command -v $(APT_GET) >/dev/null 2>&1; then \
	    echo "make test: $(CHROMIUM) is missing and $(APT_GET) is not available: install Chromium so that $(CHROMIUM) exists (the browser test needs it)" >&2; \
	    if [ -n "$$CI" ]; then exit 1; else exit 0; fi; \
	fi; \
	if [ -n "$(AS_ROOT)" ]; then sudo=""; \
	elif command -v $(SUDO) >/dev/null 2>&1; then sudo="$(SUDO)"; \
	else \
	    echo "make test: $(CHROMIUM) is missing (the browser test needs it): run '$(CHROMIUM_HINT)' once, then make test again" >&2; \
	    if [ -n "$$CI" ]; then exit 1; else exit 0; fi; \
	fi; \
	echo "make test: installing chromium for the browser test ($${sudo:+$$sudo }$(APT_GET) install -y chromium)" >&2; \
	if ! { $$sudo $(APT_GET) update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq chromium; }; then \
	    echo "make test: could not install chromium: run '$(CHROMIUM_HINT)', then make test again" >&2; exit 1; \
	fi; \
	if [ ! -x "$(CHROMIUM)" ]; then echo "make test: chromium was installed but $(CHROMIUM) is still missing" >&2; exit 1; fi

eval: setup
	$(PY) -m compare.evaluation
	$(PY) -m summarize.evaluation

bench: setup
	$(PY) bench/run.py --output bench/results.json
	$(PY) bench/batch.py --output bench/batch_results.json

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-artifacts
