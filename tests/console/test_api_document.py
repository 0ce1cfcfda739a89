"""The console's client is typed from ``console/openapi.json``; it must be what the
running gateway serves, or the console's type check would prove nothing."""

from __future__ import annotations

import json

import pytest

from crm_e2e.harness import Platform

from .browser import REPO

pytestmark = pytest.mark.e2e


async def test_console_api_document_is_the_one_the_gateway_serves(
    console_platform: Platform,
) -> None:
    async with console_platform.client() as client:
        served = (await client.get("/openapi.json")).json()
    written = json.loads((REPO / "console" / "openapi.json").read_text())

    assert sorted(written["paths"]) == sorted(served["paths"])
    assert written == served, (
        "console/openapi.json is stale: run `python -m crm_localinfra openapi "
        "console/openapi.json` (make install does) and commit it"
    )
