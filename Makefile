# Two commands for a new user: `make run` (the app on the sample story) and `make test`.
# Every target installs what it needs first; re-running is fast when nothing changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.parallax-installed

.PHONY: setup run test eval bench clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

run: setup
	$(VENV)/bin/streamlit run app.py

test: setup
	$(PY) -m pytest

eval: setup
	$(PY) -m compare.evaluation
	$(PY) -m summarize.evaluation

bench: setup
	$(PY) bench/run.py --output bench/results.json
	$(PY) bench/batch.py --output bench/batch_results.json

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-artifacts
