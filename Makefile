# Entry points for people and CI. Everything runs through uv in the workspace venv.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# uv from PATH, else the module pip installs it as (pyenv shims appear only after a rehash).
UV ?= $(shell command -v uv >/dev/null 2>&1 && echo uv || echo python3 -m uv)
RUN := $(UV) run --frozen
# Strict typing covers the code that ships; tests are checked by running them.
TYPED_PATHS := libs/*/src services/*/src gateway/src

.PHONY: help install run stop test lint typecheck clean

help:
	@echo "make install    sync the venv (uv), install RabbitMQ/Redis if missing, build the Mongo launcher"
	@echo "make run        start the whole platform locally (Ctrl-C or 'make stop' to stop)"
	@echo "make stop       stop a platform started by 'make run'"
	@echo "make test       run every test (exit 1 when none ran)"
	@echo "make lint       ruff check + ruff format --check"
	@echo "make typecheck  mypy (strict) on the packages of libs, services and gateway"
	@echo "make bench      load figures of the platform, the console and notifications (BENCHMARKS.md)"
	@echo "make clean      remove caches and .local/ (builds, data, logs, keys)"

install:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --all-packages --locked
	$(RUN) python -m crm_localinfra prepare

run: install
	$(RUN) python -m crm_localinfra run

stop:
	$(RUN) python -m crm_localinfra stop

# Every suite in its own pytest process, sharing one set of servers; a suite that
# collects nothing (pytest's exit code 5) fails the run. SUITES=services/sales narrows it.
test: install
	$(RUN) python -m crm_localinfra test $(foreach suite,$(SUITES),--suite $(suite)) $(PYTEST_ARGS)

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck:
	$(RUN) mypy $(TYPED_PATHS)

clean:
	-$(RUN) python -m crm_localinfra stop
	rm -rf .local .pytest_cache .mypy_cache .ruff_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +

# Load, fault and fuzz proof (issue 10), the console's figures (issue 16) and the
# notifications' (issue 17); BENCHMARKS.md has the figures and how to read them.
.PHONY: bench bench-console bench-notifications chaos

bench: install bench-console bench-notifications
	$(RUN) python -m crm_bench $(BENCH_ARGS)

bench-console: install
	$(RUN) python -m crm_bench.console

bench-notifications: install
	$(RUN) python -m crm_bench.notifications $(BENCH_NOTIFICATIONS_ARGS)

chaos: install
	CRM_CHAOS=1 CRM_FUZZ_EXAMPLES=$${CRM_FUZZ_EXAMPLES:-25} \
		$(RUN) pytest tests/chaos tests/fuzz tests/security $(PYTEST_ARGS)
	CRM_CHAOS=1 $(RUN) pytest gateway/tests/integration/test_stream_burst.py $(PYTEST_ARGS)
	CRM_CHAOS=1 $(RUN) pytest libs/chassis/tests/events/test_relay.py $(PYTEST_ARGS)
