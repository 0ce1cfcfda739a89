# Entry points for people and CI. Everything runs through uv in the workspace venv.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# uv from PATH, else the module pip installs it as (pyenv shims appear only after a rehash).
UV ?= $(shell command -v uv >/dev/null 2>&1 && echo uv || echo python3 -m uv)
RUN := $(UV) run --frozen
TYPED_PATHS := libs services gateway

.PHONY: help install run stop test lint typecheck clean

help:
	@echo "make install    sync the venv (uv), install RabbitMQ/Redis if missing, build the Mongo launcher"
	@echo "make run        start the whole platform locally (Ctrl-C or 'make stop' to stop)"
	@echo "make stop       stop a platform started by 'make run'"
	@echo "make test       run every test (exit 1 when none ran)"
	@echo "make lint       ruff check + ruff format --check"
	@echo "make typecheck  mypy (strict) on libs, services and gateway"
	@echo "make clean      remove caches and .local/ (builds, data, logs, keys)"

install:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --all-packages --locked
	$(RUN) python -m crm_localinfra prepare

run: install
	$(RUN) python -m crm_localinfra run

stop:
	$(RUN) python -m crm_localinfra stop

# pytest exit code 5 means "no tests collected": a broken selection, not a success.
test: install
	@rc=0; $(RUN) pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "no tests ran" >&2; exit 1; fi; \
	exit $$rc

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck:
	$(RUN) mypy $(TYPED_PATHS)

clean:
	-$(RUN) python -m crm_localinfra stop
	rm -rf .local .pytest_cache .mypy_cache .ruff_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
