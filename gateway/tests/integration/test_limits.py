"""Rate limits shared by replicas, Redis outages (fail open), idempotent retries."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from crm_chassis.testing import SigningKeys, auth_header, free_port, unique_name
from crm_contracts.access import Role
from crm_localinfra.redis import RedisServer
from gateway.settings import Settings

from .conftest import running_gateway

pytestmark = pytest.mark.integration


async def test_rate_limit_is_shared_by_two_gateway_replicas(
    gateway_settings: Callable[..., Settings], keys: SigningKeys
) -> None:
    settings = gateway_settings(
        rate_limits={"enabled": True, "default": 5, "per_role": {}, "window_seconds": 60}
    )
    token = keys.token(Role.SALES_REP, subject=unique_name("rep"))
    async with running_gateway(settings) as first, running_gateway(settings) as second:
        statuses = []
        for n in range(8):
            replica = first if n % 2 == 0 else second
            response = await replica.get("/api/v1/leads", headers=auth_header(token))
            statuses.append(response.status_code)
        limited = response

    assert statuses == [200] * 5 + [429] * 3
    assert limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["ratelimit-remaining"] == "0"
    assert limited.headers["ratelimit-limit"] == "5"


async def test_limits_are_per_caller_and_configurable_per_role(
    gateway_settings: Callable[..., Settings], keys: SigningKeys
) -> None:
    settings = gateway_settings(
        rate_limits={"enabled": True, "default": 2, "per_role": {"analyst": 4}}
    )
    rep = keys.token(Role.SALES_REP, subject=unique_name("rep"))
    analyst = keys.token(Role.ANALYST, subject=unique_name("analyst"))
    async with running_gateway(settings) as gateway:
        rep_statuses = [
            (await gateway.get("/api/v1/leads", headers=auth_header(rep))).status_code
            for _ in range(3)
        ]
        analyst_statuses = [
            (await gateway.get("/api/v1/forecasts", headers=auth_header(analyst))).status_code
            for _ in range(5)
        ]

    assert rep_statuses == [200, 200, 429]
    assert analyst_statuses == [200, 200, 200, 200, 429]


async def test_redis_down_the_gateway_keeps_serving_and_readyz_says_fail_open(
    gateway_settings: Callable[..., Settings], keys: SigningKeys
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        redis = RedisServer(free_port(), Path(folder))
        redis.start()
        settings = gateway_settings(
            redis_url=redis.url,
            redis_retry_seconds=0.2,
            rate_limits={"enabled": True, "default": 3},
        )
        token = keys.token(Role.SALES_REP, subject=unique_name("rep"))
        try:
            async with running_gateway(settings) as gateway:
                before = await gateway.get("/readyz")
                limited = [
                    (await gateway.get("/api/v1/leads", headers=auth_header(token))).status_code
                    for _ in range(4)
                ]
                redis.stop()
                during = [
                    (await gateway.get("/api/v1/leads", headers=auth_header(token))).status_code
                    for _ in range(5)
                ]
                ready = await gateway.get("/readyz")
        finally:
            redis.stop()

    assert before.json()["checks"]["redis"]["mode"] == "enforcing"
    assert limited == [200, 200, 200, 429]
    assert during == [200] * 5
    assert ready.status_code == 200
    assert ready.json()["checks"]["redis"]["ok"] is False
    assert ready.json()["checks"]["redis"]["mode"] == "fail-open"
    assert ready.json()["status"] == "degraded"


async def test_a_retried_post_with_the_same_idempotency_key_gets_the_first_response(
    gateway: httpx.AsyncClient, keys: SigningKeys
) -> None:
    headers = {
        **auth_header(keys.token(Role.ADMIN, subject=unique_name("a"))),
        "Idempotency-Key": "k1",
    }

    first = await gateway.post("/api/v1/customers", json={"name": "Ann"}, headers=headers)
    retry = await gateway.post("/api/v1/customers", json={"name": "Ann"}, headers=headers)
    other_body = await gateway.post("/api/v1/customers", json={"name": "Bob"}, headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotency-replayed"] == "true"
    assert other_body.status_code == 422
