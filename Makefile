# Two commands a newcomer needs: `make run` and `make test`. Everything else is here for them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export HF_HUB_DISABLE_TELEMETRY := 1

.PHONY: run test setup setup-dev browser lint format bench clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

## Set everything up and start the app at http://127.0.0.1:7860
run: setup
	$(PY) app.py

## Set everything up (browser included) and run the whole test suite, offline
test: setup-dev browser
	HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m pytest

## Headless Chromium for the browser test (Debian's package; test tools' own downloads fail offline)
browser:
	@scripts/install_chromium.sh

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

## Every benchmark; figures land in benchmarks/results/ and belong in the README
bench: setup-dev
	HF_HUB_OFFLINE=1 $(PY) -m benchmarks.run_all

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
