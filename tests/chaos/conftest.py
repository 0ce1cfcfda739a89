"""Fault injection. The quick faults run in `make test`; those marked ``slow_fault`` restart
servers and take minutes, so they run only under `make chaos` (CRM_CHAOS=1)."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.e2e


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow_fault: restarts servers; runs under make chaos")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CRM_CHAOS") == "1":
        return
    skip = pytest.mark.skip(reason="restarts servers: run with `make chaos` (CRM_CHAOS=1)")
    for item in items:
        if "slow_fault" in item.keywords:
            item.add_marker(skip)
