"""Forwarding to the services: headers, streaming, failures, the merged OpenAPI."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from crm_chassis.testing import SigningKeys, auth_header, free_port
from crm_contracts.access import Role
from gateway.settings import Settings

from .conftest import running_gateway

pytestmark = pytest.mark.integration

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


async def test_forwards_the_callers_token_trace_context_and_request_id(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    token = signing_keys.token(Role.SALES_REP, subject="u1", team="north")

    response = await gateway.get(
        "/api/v1/customers/c1/echo?x=1",
        headers={**auth_header(token), "traceparent": TRACEPARENT, "X-Request-ID": "req-42"},
    )

    seen = response.json()["headers"]
    assert response.status_code == 200
    assert seen["authorization"] == f"Bearer {token}"
    assert seen["x-request-id"] == "req-42"
    assert seen["traceparent"].split("-")[1] == TRACEPARENT.split("-")[1]
    assert response.json()["query"] == "x=1"
    assert response.headers["x-request-id"] == "req-42"


async def test_query_parameters_are_judged_by_the_route_that_declares_them(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    admin = auth_header(signing_keys.token(Role.ADMIN))

    # The gateway forwards what a service declares, though its own routes do not know it,
    forwarded = await gateway.get("/api/v1/customer-lookups", params={"phone": "1"}, headers=admin)
    # and the service's refusal of what it does not declare comes back as it is;
    upstream = await gateway.get("/api/v1/customer-lookups", params={"ph[$ne]": "1"}, headers=admin)
    # the gateway's own routes refuse what they do not declare.
    own = await gateway.get("/api/v1/users", params={"role[$ne]": "admin"}, headers=admin)

    assert forwarded.status_code == 200
    assert forwarded.json()["phone"] == "1"
    assert upstream.status_code == 422
    assert [e["field"] for e in upstream.json()["errors"]] == ["query.ph[$ne]"]
    assert own.status_code == 422
    assert own.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in own.json()["errors"]] == ["query.role[$ne]"]


async def test_streams_large_bodies_both_ways(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    token = signing_keys.token(Role.ADMIN)

    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(64):
            yield b"x" * 16384

    upload = await gateway.post(
        "/api/v1/customers/import", content=chunks(), headers=auth_header(token)
    )
    download = await gateway.get("/api/v1/customer-exports/stream", headers=auth_header(token))

    assert upload.json() == {"bytes": 64 * 16384}
    assert download.text.count("\n") == 1000


async def test_a_down_service_gets_503_with_retry_after_at_once(
    gateway_settings: Callable[..., Settings],
    signing_keys: SigningKeys,
    upstream_urls: dict[str, str],
) -> None:
    async with running_gateway(gateway_settings()) as gateway:
        # The gateway learnt the sales routes; now sales goes away.
        gateway.app.state.gateway.upstreams.urls["sales"] = f"http://127.0.0.1:{free_port()}"
        token = signing_keys.token(Role.SALES_REP)
        started = time.monotonic()

        answers = [await gateway.get("/api/v1/leads", headers=auth_header(token)) for _ in range(7)]

        assert time.monotonic() - started < 5
        assert {a.status_code for a in answers} == {503}
        assert all(int(a.headers["retry-after"]) >= 1 for a in answers)
        assert answers[0].headers["content-type"] == "application/problem+json"
        breaker = gateway.app.state.gateway.upstreams.breakers["sales"]
        assert breaker.state.value == "open"
        other = await gateway.get("/api/v1/customers", headers=auth_header(token))
        assert other.status_code == 200


async def test_routes_of_a_service_down_at_start_up_are_remembered(
    gateway_settings: Callable[..., Settings], signing_keys: SigningKeys
) -> None:
    async with running_gateway(gateway_settings()):
        pass  # learns the routes and stores them
    down = f"http://127.0.0.1:{free_port()}"
    settings = gateway_settings(service_urls={"customer": down, "sales": down})
    async with running_gateway(settings) as gateway:
        response = await gateway.get(
            "/api/v1/leads", headers=auth_header(signing_keys.token(Role.ADMIN))
        )
        unknown = await gateway.get(
            "/api/v1/nothing-here", headers=auth_header(signing_keys.token(Role.ADMIN))
        )
        ready = await gateway.get("/readyz")

    assert response.status_code == 503
    assert unknown.status_code == 404
    assert ready.json()["checks"]["services"]["sales"]["reachable"] is False


async def test_wrong_method_gets_405_with_allow(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    response = await gateway.put(
        "/api/v1/leads", headers=auth_header(signing_keys.token(Role.ADMIN))
    )

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


async def test_merged_openapi_has_every_service_and_one_security_scheme(
    gateway: httpx.AsyncClient,
) -> None:
    document = (await gateway.get("/openapi.json")).json()
    docs = await gateway.get("/docs")

    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/customers", "/api/v1/leads", "/api/v1/users", "/api/v1/auth/token"} <= set(
        document["paths"]
    )
    scheme = document["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    assert "customers:read" in scheme["flows"]["password"]["scopes"]
    assert all(p.startswith("/api/v1/") for p in document["paths"])
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_oversized_body_is_refused_with_413(
    gateway_settings: Callable[..., Settings], signing_keys: SigningKeys
) -> None:
    async with running_gateway(gateway_settings(max_body_bytes=4096)) as gateway:
        response = await gateway.post(
            "/api/v1/customers",
            content=b"x" * 10000,
            headers=auth_header(signing_keys.token(Role.ADMIN)),
        )

    assert response.status_code == 413


async def test_oversized_chunked_body_is_refused_with_413_while_streaming_up(
    gateway_settings: Callable[..., Settings], signing_keys: SigningKeys
) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: found out on the way
        for _ in range(10):
            yield b"x" * 1000

    async with running_gateway(gateway_settings(max_body_bytes=4096)) as gateway:
        response = await gateway.post(
            "/api/v1/customers",
            content=chunks(),
            headers=auth_header(signing_keys.token(Role.ADMIN)),
        )

    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_responses_carry_security_headers(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/api/v1/leads")

    assert response.status_code == 401
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


async def test_cors_preflight_is_answered_for_configured_origins_only(
    gateway_settings: Callable[..., Settings],
) -> None:
    settings = gateway_settings(cors_allow_origins=["https://console.example.org"])
    preflight = {"Access-Control-Request-Method": "POST"}
    async with running_gateway(settings) as gateway:
        allowed = await gateway.options(
            "/api/v1/leads", headers={**preflight, "Origin": "https://console.example.org"}
        )
        other = await gateway.options(
            "/api/v1/leads", headers={**preflight, "Origin": "https://evil.example.org"}
        )

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://console.example.org"
    assert "access-control-allow-origin" not in other.headers
