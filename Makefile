# shopdesk: every target installs what it needs first (a clean clone needs only python3).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
RASA_VENV := .venv-rasa
APP_STAMP := $(VENV)/.shopdesk-installed
RASA_STAMP := $(RASA_VENV)/.shopdesk-installed
NODE_STAMP := node_modules/.shopdesk-installed
# This machine keeps a CPU build of torch in /opt/wheels; without it pip would fetch CUDA.
WHEELS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
PIP_QUIET := --quiet --disable-pip-version-check
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: help install run test lint eval train seed demo-accounts clean chromium

help:
	@echo "make run    install, seed the demo store, train if needed, start everything"
	@echo "make test   install and run the whole test suite (lint included)"
	@echo "make lint   ruff, mypy, import layers, file sizes"
	@echo "make eval   NLU and policy-answer scores on the held-out sets (starts Rasa if needed)"

# The app environment: FastAPI, SQLAlchemy 2, rasa-sdk 3.21, test tools.
$(APP_STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@echo "installing the app environment ($(VENV))..."
	$(VENV)/bin/pip install $(PIP_QUIET) --upgrade pip
	$(VENV)/bin/pip install $(PIP_QUIET) $(WHEELS) -e '.[dev]'
	@touch $@

# Rasa 3.6 declares Python <3.11: exact pins, no resolver (requirements/rasa.txt says why).
$(RASA_STAMP): requirements/rasa.txt
	@test -x $(RASA_VENV)/bin/python || $(PYTHON) -m venv $(RASA_VENV)
	@echo "installing the Rasa environment ($(RASA_VENV), about 3 minutes the first time)..."
	$(RASA_VENV)/bin/pip install $(PIP_QUIET) --no-deps --ignore-requires-python $(WHEELS) -r requirements/rasa.txt
	@touch $@

# The widget (rasa-webchat) and the console's socket.io client, served by the hub
# from node_modules at the versions package-lock.json pins.
$(NODE_STAMP): package.json package-lock.json
	@echo "installing the widget and console scripts (node_modules)..."
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The browser tests drive Debian's chromium through Playwright (never `playwright
# install`: that downloads a browser build this machine cannot fetch).
chromium:
	@command -v chromium >/dev/null || { echo "installing chromium for the browser tests..." \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

install: $(APP_STAMP) $(RASA_STAMP) $(NODE_STAMP)

# A random secret key for the demo, made once and kept out of git.
.env:
	@echo "SHOPDESK_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(32))')" > .env
	@echo "created .env with a random SHOPDESK_SECRET_KEY"

run: install .env
	$(VENV)/bin/shopdesk run

train: install
	$(VENV)/bin/shopdesk train

seed: install
	$(VENV)/bin/shopdesk seed

demo-accounts: install
	$(VENV)/bin/shopdesk demo-accounts

lint: $(APP_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy bot actions crm bench
	$(VENV)/bin/lint-imports
	$(VENV)/bin/python -m tests.file_sizes

test: install chromium lint
	$(VENV)/bin/pytest

eval: install
	$(VENV)/bin/python -m bench.eval_nlu
	$(VENV)/bin/python -m bench.eval_kb --set heldout

clean:
	rm -rf var models .pytest_cache .mypy_cache .ruff_cache
