"""A service refuses a token the gateway revoked, when it reads the gateway's deny-list."""

from __future__ import annotations

import socket
from typing import Annotated, Any

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from crm_chassis.auth import Principal, TokenVerifier, allowed
from crm_chassis.errors import install_problem_handlers
from crm_chassis.revocation import RevocationList, denied_key
from crm_chassis.testing import SigningKeys, auth_header
from crm_contracts.access import Permission, Role

KEYS = SigningKeys.generate()


class _DenyListRedis:
    """What the chassis asks of Redis: ``exists`` on the gateway's deny keys."""

    def __init__(self, denied: set[str], *, down: bool = False) -> None:
        self.denied = denied
        self.down = down

    async def exists(self, key: str) -> int:
        if self.down:
            raise RedisConnectionError("refused")
        return int(key in self.denied)


def _app(redis: Any) -> httpx.AsyncClient:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.token_verifier = TokenVerifier(KEYS.public_pem, issuer="crm-gateway", audience="crm")
    app.state.revocations = RevocationList(redis)

    @app.get("/customers")
    async def read(_: Annotated[Principal, allowed(Permission.CUSTOMERS_READ)]) -> None:
        return None

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_a_token_on_the_deny_list_gets_401_and_others_pass() -> None:
    client = _app(_DenyListRedis({denied_key("revoked-1")}))
    revoked = KEYS.token(Role.SALES_REP, token_id="revoked-1")
    valid = KEYS.token(Role.SALES_REP, token_id="valid-1")

    refused = await client.get("/customers", headers=auth_header(revoked))
    accepted = await client.get("/customers", headers=auth_header(valid))

    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert accepted.status_code == 200


async def test_without_redis_a_token_gets_503_with_retry_after_not_200() -> None:
    client = _app(_DenyListRedis({denied_key("revoked-1")}, down=True))
    revoked = KEYS.token(Role.SALES_REP, token_id="revoked-1")
    other = KEYS.token(Role.SALES_REP, token_id="valid-1")

    refused = await client.get("/customers", headers=auth_header(revoked))
    also_refused = await client.get("/customers", headers=auth_header(other))

    # Fails closed: a token that may have been revoked is never accepted.
    assert refused.status_code == 503
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    assert "deny-list" in refused.json()["detail"]
    assert also_refused.status_code == 503


async def test_a_deny_list_on_a_dead_port_refuses_with_503() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = _app(Redis.from_url(f"redis://127.0.0.1:{port}/0", socket_connect_timeout=0.25))
    token = KEYS.token(Role.SALES_REP, token_id="any-1")

    response = await client.get("/customers", headers=auth_header(token))

    assert response.status_code == 503
    assert int(response.headers["retry-after"]) >= 1
