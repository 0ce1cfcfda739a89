"""The whole platform behind the gateway, once for the security suite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from crm_e2e.harness import Platform, running_platform

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
async def secured_platform(
    mongo_url: str, amqp_url: str, redis_url: str, smtp_server: Any
) -> AsyncIterator[Platform]:
    async with running_platform(
        mongo_url=mongo_url,
        amqp_url=amqp_url,
        redis_url=redis_url,
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
    ) as platform:
        yield platform


@pytest.fixture(scope="session")
async def merged_openapi(secured_platform: Platform) -> dict[str, Any]:
    async with secured_platform.client() as client:
        response = await client.get("/openapi.json")
    response.raise_for_status()
    spec: dict[str, Any] = response.json()
    return spec
