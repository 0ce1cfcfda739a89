"""API4 unrestricted resource consumption, storage (issue 18, item 7): what anyone can send
without a token leaves no audit entry and nothing in Redis behind it."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from redis.asyncio import Redis

from crm_e2e.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Platform
from gateway.runtime import GatewayRuntime

pytestmark = pytest.mark.e2e

# An address of this test's own, so the anonymous limit it runs into is no other test's.
ADDRESS = "127.0.88.1"


def _gateway(platform: Platform) -> GatewayRuntime:
    runtime: GatewayRuntime = platform.apps["gateway"].state.gateway
    return runtime


async def test_a_thousand_anonymous_write_attempts_create_no_audit_entry(
    secured_platform: Platform,
) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=ADDRESS)
    in_flight = asyncio.Semaphore(20)
    async with httpx.AsyncClient(
        base_url=secured_platform.gateway_url, transport=transport, timeout=30
    ) as client:

        async def attempt(number: int) -> int:
            async with in_flight:
                if number % 3 == 0:  # a forged token
                    response = await client.post(
                        "/api/v1/customers",
                        json={"name": "x"},
                        headers={"Authorization": "Bearer forged.token.value"},
                    )
                elif number % 3 == 1:  # no token, at a route that needs one
                    response = await client.delete(f"/api/v1/customers/c-{number}")
                else:  # a made-up route with a long path
                    response = await client.post(f"/api/v1/{'x' * 1500}/{number}", json={})
            return response.status_code

        statuses = await asyncio.gather(*(attempt(number) for number in range(1000)))
    runtime = _gateway(secured_platform)
    await runtime.audit.drain()

    stored = await runtime.db["audit_log"].count_documents({"client_address": ADDRESS})

    assert set(statuses) == {401, 404, 429}, {code: statuses.count(code) for code in statuses}
    assert stored == 0


async def test_an_anonymous_idempotency_key_keeps_and_replays_nothing(
    secured_platform: Platform, redis_url: str
) -> None:
    sign_in = {"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    key = "sign-in-key-of-the-storage-test"
    async with secured_platform.client() as client:
        first = await client.post(
            "/api/v1/auth/token", data=sign_in, headers={"Idempotency-Key": key}
        )
        again = await client.post(
            "/api/v1/auth/token", data=sign_in, headers={"Idempotency-Key": key}
        )
    async with Redis.from_url(redis_url) as redis:
        kept = [name async for name in redis.scan_iter(match=f"crm:gw:idem:*{key}")]

    assert (first.status_code, again.status_code) == (200, 200)
    assert "idempotency-replayed" not in again.headers
    assert again.json()["access_token"] != first.json()["access_token"]
    assert kept == []
