"""The shared test harness (``crm_chassis.pytest_plugin``): a service served for real,
tokens per role, an event probe and polling with a deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, FastAPI

from crm_chassis.auth import Principal, TokenVerifier, allowed
from crm_chassis.service import ServiceDefinition, create_service_app
from crm_chassis.settings import ServiceSettings
from crm_chassis.testing import RunningService, ServiceRunner, Tokens, serve_app, wait_until
from crm_contracts.access import Permission, Role
from crm_contracts.events.customer import CustomerCreated


class Probed(RunningService[ServiceSettings]):
    caller_role = Role.SALES_REP
    caller_id = "rep-1"
    caller_team = "north"


def whoami_app(settings: ServiceSettings) -> FastAPI:
    router = APIRouter()

    @router.get("/whoami")
    async def whoami(
        principal: Annotated[Principal, allowed(Permission.CUSTOMERS_READ)],
    ) -> dict[str, Any]:
        return {"subject": principal.subject, "team": principal.team, "roles": principal.roles}

    return create_service_app(ServiceDefinition(title="probed", routers=[router]), settings)


async def test_a_served_service_answers_over_http_with_tokens_of_the_caller_asked_for(
    service_runner: ServiceRunner,
) -> None:
    settings = service_runner.settings(ServiceSettings, "probed")
    async with service_runner.serve(Probed, whoami_app(settings)) as service:
        assert service.url.startswith("http://127.0.0.1:")
        assert service.settings.mongo_db == service_runner.mongo_db
        assert service.runtime.db.name == service_runner.mongo_db

        unsigned = await service.client.get("/whoami")
        assert unsigned.status_code == 401
        default = await service.client.get("/whoami", headers=service.auth())
        assert default.status_code == 200
        assert default.json() == {"subject": "rep-1", "team": "north", "roles": ["sales_rep"]}
        chosen = await service.client.get(
            "/whoami", headers=service.auth(Role.ADMIN, subject="boss", team=None)
        )
        assert chosen.json() == {"subject": "boss", "team": None, "roles": ["admin"]}
        admin = await service.client.get("/whoami", headers=service.admin)
        assert admin.json() == {"subject": "u-admin", "team": None, "roles": ["admin"]}


async def test_each_settings_call_gets_a_service_name_and_exchange_of_its_own(
    service_runner: ServiceRunner,
) -> None:
    first = service_runner.settings(ServiceSettings, "twice", events={"relay_poll_seconds": 1.5})
    second = service_runner.settings(ServiceSettings, "twice", log_level="DEBUG")
    assert first.service_name != second.service_name
    assert first.events.exchange != second.events.exchange
    assert first.mongo_db == second.mongo_db == service_runner.mongo_db
    assert first.events.relay_poll_seconds == 1.5
    assert first.events.retry_delays_seconds == [0.2]
    assert second.log_level == "DEBUG"


async def test_the_probe_publishes_as_another_service_and_waits_for_events_of_a_type(
    service_runner: ServiceRunner,
) -> None:
    settings = service_runner.settings(ServiceSettings, "probed")
    created = CustomerCreated(
        customer_id="c-1", member_id="VIP0000000001", name="Ada", created_at="2026-01-01T00:00:00Z"
    )
    async with service_runner.serve(Probed, whoami_app(settings)) as service:
        event_id = await service.bus.publish(created)
        [received] = await service.bus.wait_for(CustomerCreated.TYPE, timeout=10)
        assert received["id"] == event_id
        [parsed] = service.bus.cloud_events(CustomerCreated.TYPE)
        assert parsed.data["customer_id"] == "c-1"
        started = time.monotonic()
        with pytest.raises(TimeoutError, match=r"2 crm\.customer"):
            await service.bus.wait_for(CustomerCreated.TYPE, count=2, timeout=0.3)
        assert time.monotonic() - started < 5


def test_tokens_carry_the_role_team_and_user_asked_for(tokens: Tokens) -> None:
    verifier = TokenVerifier(tokens.keys.public_pem, issuer="crm-gateway", audience="crm")
    marketer = verifier.verify(tokens.token_for(Role.MARKETER, team="growth", user_id="m-1"))
    assert (marketer.subject, marketer.team, marketer.roles) == (
        "m-1",
        "growth",
        frozenset({Role.MARKETER}),
    )
    client = verifier.verify(tokens.token_for(Role.INTEGRATION, kind="client"))
    assert client.kind == "client"
    assert client.subject.startswith("user-")
    header = tokens.headers_for(Role.ADMIN, user_id="a-1")["Authorization"]
    assert verifier.verify(header.removeprefix("Bearer ")).subject == "a-1"


async def test_wait_until_takes_plain_and_async_predicates_and_gives_up_at_the_deadline() -> None:
    calls: list[int] = []

    def third_time() -> bool:
        calls.append(1)
        return len(calls) >= 3

    await wait_until(third_time, timeout=5, interval=0.01)
    assert len(calls) == 3

    async def later() -> int:
        await asyncio.sleep(0)
        return 7

    await wait_until(later, timeout=1)
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="nothing"):
        await wait_until(lambda: False, timeout=0.2, what="nothing")
    assert 0.2 <= time.monotonic() - started < 2


async def test_an_app_that_fails_to_start_ends_serving_at_once() -> None:
    @asynccontextmanager
    async def failing(_: FastAPI) -> AsyncIterator[None]:
        raise RuntimeError("no database")
        yield

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="stopped while starting"):
        async with serve_app(FastAPI(lifespan=failing), startup_timeout=30):
            pass
    assert time.monotonic() - started < 10
