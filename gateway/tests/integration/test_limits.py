"""Rate limits shared by replicas, Redis outages (fail closed), idempotent retries."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from crm_chassis.testing import SigningKeys, auth_header, free_port, unique_name
from crm_contracts.access import Role
from crm_localinfra.redis import RedisServer
from gateway.settings import Settings

from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD, running_gateway

pytestmark = pytest.mark.integration


async def test_rate_limit_is_shared_by_two_gateway_replicas(
    gateway_settings: Callable[..., Settings], signing_keys: SigningKeys
) -> None:
    settings = gateway_settings(
        rate_limits={"enabled": True, "default": 5, "per_role": {}, "window_seconds": 60}
    )
    token = signing_keys.token(Role.SALES_REP, subject=unique_name("rep"))
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
    gateway_settings: Callable[..., Settings], signing_keys: SigningKeys
) -> None:
    settings = gateway_settings(
        rate_limits={"enabled": True, "default": 2, "per_role": {"analyst": 4}}
    )
    rep = signing_keys.token(Role.SALES_REP, subject=unique_name("rep"))
    analyst = signing_keys.token(Role.ANALYST, subject=unique_name("analyst"))
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


async def test_redis_down_a_token_gets_503_and_readyz_says_fail_closed(
    gateway_settings: Callable[..., Settings], signing_keys: SigningKeys
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        redis = RedisServer(free_port(), Path(folder))
        redis.start()
        settings = gateway_settings(
            redis_url=redis.url,
            redis_retry_seconds=0.2,
            rate_limits={"enabled": True, "default": 3},
        )
        token = signing_keys.token(Role.SALES_REP, subject=unique_name("rep"))
        try:
            async with running_gateway(settings) as gateway:
                before = await gateway.get("/readyz")
                limited = [
                    (await gateway.get("/api/v1/leads", headers=auth_header(token))).status_code
                    for _ in range(4)
                ]
                redis.stop()
                during = [
                    await gateway.get("/api/v1/leads", headers=auth_header(token)) for _ in range(5)
                ]
                ready = await gateway.get("/readyz")
        finally:
            redis.stop()

    assert before.json()["checks"]["redis"]["mode"] == "enforcing"
    assert limited == [200, 200, 200, 429]
    assert [response.status_code for response in during] == [503] * 5
    refused = during[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["status"] == 503
    assert ready.status_code == 200
    assert ready.json()["checks"]["redis"]["ok"] is False
    assert ready.json()["checks"]["redis"]["mode"] == "fail-closed"
    assert ready.json()["status"] == "degraded"


async def test_with_redis_on_a_dead_port_a_token_gets_503_not_200(
    gateway_settings: Callable[..., Settings], signing_keys: SigningKeys
) -> None:
    settings = gateway_settings(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    token = signing_keys.token(Role.ADMIN, subject=unique_name("admin"))
    async with running_gateway(settings) as gateway:
        forwarded = await gateway.get("/api/v1/customers", headers=auth_header(token))
        own = await gateway.get("/api/v1/users", headers=auth_header(token))
        operations = await gateway.get("/admin/dead-letters", headers=auth_header(token))
        written = await gateway.post(
            "/api/v1/customers",
            json={"name": "Ann"},
            headers={**auth_header(token), "Idempotency-Key": "k1"},
        )

    for response in (forwarded, own, operations, written):
        assert response.status_code == 503, response.text
        assert int(response.headers["retry-after"]) >= 1
        assert "deny-list" in response.json()["detail"]


async def test_with_redis_down_sign_in_gets_503_and_is_not_checked_unthrottled(
    gateway_settings: Callable[..., Settings],
) -> None:
    settings = gateway_settings(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    async with running_gateway(settings) as gateway:
        response = await gateway.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        )

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    assert "access_token" not in response.text


async def test_with_redis_down_callers_without_a_token_are_limited_in_the_gateway(
    gateway_settings: Callable[..., Settings],
) -> None:
    settings = gateway_settings(
        redis_url=f"redis://127.0.0.1:{free_port()}/0",
        rate_limits={"enabled": True, "anonymous": 3, "window_seconds": 60},
    )
    async with running_gateway(settings) as gateway:
        responses = [
            await gateway.post("/api/v1/web-forms/contact", json={"name": "Ann"}) for _ in range(5)
        ]

    assert [response.status_code for response in responses] == [202, 202, 202, 429, 429]
    assert responses[0].headers["ratelimit-limit"] == "3"
    assert int(responses[-1].headers["retry-after"]) >= 1


async def test_a_retried_post_with_the_same_idempotency_key_gets_the_first_response(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    headers = {
        **auth_header(signing_keys.token(Role.ADMIN, subject=unique_name("a"))),
        "Idempotency-Key": "k1",
    }

    first = await gateway.post("/api/v1/customers", json={"name": "Ann"}, headers=headers)
    retry = await gateway.post("/api/v1/customers", json={"name": "Ann"}, headers=headers)
    other_body = await gateway.post("/api/v1/customers", json={"name": "Bob"}, headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotency-replayed"] == "true"
    assert other_body.status_code == 422


async def test_an_idempotency_key_without_a_token_is_not_stored(
    gateway: httpx.AsyncClient, redis_url: str
) -> None:
    key = unique_name("anonymous-key")
    headers = {"Idempotency-Key": key}

    first = await gateway.post("/api/v1/web-forms/contact", json={"n": 1}, headers=headers)
    again = await gateway.post("/api/v1/web-forms/contact", json={"n": 1}, headers=headers)
    refused = await gateway.post("/api/v1/customers", json={"name": "Ann"}, headers=headers)

    assert (first.status_code, again.status_code, refused.status_code) == (202, 202, 401)
    assert "idempotency-replayed" not in again.headers
    async with Redis.from_url(redis_url) as redis:
        stored = [name async for name in redis.scan_iter(match=f"crm:gw:idem:*{key}")]
    assert stored == []


async def test_an_idempotency_key_is_kept_under_the_callers_subject(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys, redis_url: str
) -> None:
    subject, key = unique_name("rep"), unique_name("key")
    headers = {
        **auth_header(signing_keys.token(Role.ADMIN, subject=subject)),
        "Idempotency-Key": key,
    }

    created = await gateway.post("/api/v1/customers", json={"name": "Ann"}, headers=headers)

    assert created.status_code == 201
    async with Redis.from_url(redis_url) as redis:
        stored = [name async for name in redis.scan_iter(match=f"crm:gw:idem:*{key}")]
    assert stored == [f"crm:gw:idem:user:{subject}:{key}".encode()]
