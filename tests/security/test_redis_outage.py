"""API2 broken authentication when Redis is away (issue 18, item 7): the deny-list cannot be
read, so no token is accepted, at the gateway or at a service called directly; sign-ins are
refused too, while a public link keeps answering."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from crm_chassis.testing import free_port
from crm_e2e.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Platform, login, running_platform
from crm_localinfra.redis import RedisServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
async def outage_platform(
    secured_platform: Platform, mongo_url: str, amqp_url: str, smtp_server: Any
) -> AsyncIterator[tuple[Platform, RedisServer]]:
    """A gateway and a customer service reading a Redis of their own, which a test stops."""
    with tempfile.TemporaryDirectory() as folder:
        redis = RedisServer(free_port(), Path(folder))
        redis.start()
        others = {k: v for k, v in secured_platform.service_urls.items() if k != "customer"}
        try:
            async with running_platform(
                mongo_url=mongo_url,
                amqp_url=amqp_url,
                redis_url=redis.url,
                smtp_host=smtp_server.host,
                smtp_port=smtp_server.port,
                services=("customer",),
                elsewhere=others,
                keys=secured_platform.keys,
            ) as platform:
                yield platform, redis
        finally:
            redis.stop()


async def _get(base_url: str, path: str, token: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        return await client.get(path, headers={"Authorization": f"Bearer {token}"})


async def test_with_redis_stopped_revoked_and_valid_tokens_get_503_not_200(
    outage_platform: tuple[Platform, RedisServer],
) -> None:
    platform, redis = outage_platform
    revoked = await login(platform, ADMIN_EMAIL, ADMIN_PASSWORD)
    valid = await login(platform, ADMIN_EMAIL, ADMIN_PASSWORD)
    async with platform.client(revoked) as client:
        assert (await client.post("/api/v1/auth/logout")).status_code == 204
    gateway, customer = platform.gateway_url, platform.service_urls["customer"]
    assert (await _get(gateway, "/api/v1/customers", revoked)).status_code == 401
    assert (await _get(customer, "/api/v1/customers", valid)).status_code == 200

    redis.stop()
    answers = {
        (where, name): await _get(url, "/api/v1/customers", token)
        for where, url in (("gateway", gateway), ("customer", customer))
        for name, token in (("revoked", revoked), ("valid", valid))
    }
    async with platform.client() as client:
        sign_in = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        )
        public_link = await client.get("/api/v1/mail/click/not-a-signed-link-token")

    for where_and_name, response in answers.items():
        assert response.status_code == 503, (where_and_name, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert int(response.headers["retry-after"]) >= 1
    assert sign_in.status_code == 503
    assert "access_token" not in sign_in.text
    assert public_link.status_code == 404  # answered by the service, not refused for Redis
