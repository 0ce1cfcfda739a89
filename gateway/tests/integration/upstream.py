"""Fake upstream services built with the chassis, as the real services are: routes
declare their permission with ``allowed(...)`` and the gateway learns it from
their OpenAPI documents."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import StreamingResponse

from crm_chassis.auth import Principal, allowed
from crm_chassis.service import ServiceDefinition, create_service_app
from crm_chassis.settings import ServiceSettings
from crm_contracts.access import Permission

P = Permission


def customer_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.get("/customers")
    async def list_customers(
        principal: Annotated[Principal, allowed(P.CUSTOMERS_READ)],
    ) -> dict[str, Any]:
        return {"items": [], "total": 0, "seen_by": principal.subject}

    @router.post("/customers", status_code=201)
    async def create_customer(
        body: dict[str, Any], principal: Annotated[Principal, allowed(P.CUSTOMERS_WRITE)]
    ) -> dict[str, Any]:
        return {"id": uuid.uuid4().hex, **body}

    @router.get("/customers/{customer_id}")
    async def get_customer(
        customer_id: str, principal: Annotated[Principal, allowed(P.CUSTOMERS_READ)]
    ) -> dict[str, str]:
        return {"id": customer_id}

    @router.delete("/customers/{customer_id}", status_code=204)
    async def delete_customer(
        customer_id: str, principal: Annotated[Principal, allowed(P.CUSTOMERS_DELETE)]
    ) -> None:
        return None

    @router.post("/customers/import")
    async def import_customers(
        request: Request, principal: Annotated[Principal, allowed(P.CUSTOMERS_IMPORT)]
    ) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        return {"bytes": size}

    @router.get("/customers/{customer_id}/echo")
    async def echo(
        customer_id: str,
        request: Request,
        principal: Annotated[Principal, allowed(P.CUSTOMERS_READ)],
        x: str | None = None,
    ) -> dict[str, Any]:
        return {"headers": dict(request.headers), "query": str(request.url.query)}

    @router.get("/customer-lookups")
    async def lookup(
        principal: Annotated[Principal, allowed(P.CUSTOMERS_READ)],
        phone: str | None = None,
        token: str | None = None,
    ) -> dict[str, str | None]:
        """A route with declared query parameters, as the services' filtered lists."""
        return {"phone": phone, "token": token}

    @router.get("/customer-exports/stream")
    async def stream(
        principal: Annotated[Principal, allowed(P.CUSTOMERS_EXPORT)],
    ) -> StreamingResponse:
        async def rows() -> Any:
            for n in range(1000):
                yield f"row-{n}\n".encode()

        return StreamingResponse(rows(), media_type="text/csv")

    return router


def sales_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.get("/leads")
    async def list_leads(principal: Annotated[Principal, allowed(P.LEADS_READ)]) -> dict[str, int]:
        return {"total": 0}

    @router.patch("/opportunities/{opportunity_id}")
    async def patch_opportunity(
        opportunity_id: str,
        body: dict[str, Any],
        principal: Annotated[Principal, allowed(P.SALES_WRITE)],
    ) -> dict[str, str]:
        return {"id": opportunity_id}

    @router.get("/forecasts")
    async def forecasts(
        principal: Annotated[Principal, allowed(P.SALES_READ_ALL)],
    ) -> dict[str, str]:
        return {"total": "0.00"}

    @router.post("/web-forms/contact", status_code=202)
    async def web_form(body: dict[str, Any]) -> dict[str, str]:
        """Public: a web form posts leads without a token."""
        return {"status": "accepted"}

    return router


@dataclass
class EventStreams:
    """The fake notifications service's streams, steered by the test: each connection
    has a queue the test puts events into (``None`` ends the stream); while it is empty
    the service sends a keep-alive comment every ``keep_alive_seconds``, as the real one
    does every 15 s."""

    keep_alive_seconds: float = 15.0
    connections: list[asyncio.Queue[bytes | None]] = field(default_factory=list)
    last_event_ids: list[str | None] = field(default_factory=list)
    open: int = 0

    def reset(self, keep_alive_seconds: float = 15.0) -> None:
        self.keep_alive_seconds = keep_alive_seconds
        self.connections.clear()
        self.last_event_ids.clear()

    async def events(self, queue: asyncio.Queue[bytes | None]) -> AsyncIterator[bytes]:
        self.open += 1
        try:
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), self.keep_alive_seconds)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if item is None:
                    return
                yield item
        finally:
            self.open -= 1  # also when the caller went away (Starlette cancels us)


def notifications_router(streams: EventStreams) -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.get(
        "/notifications/stream",
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    async def stream(
        principal: Annotated[Principal, allowed(P.CUSTOMERS_READ)],
        last_event_id: Annotated[str | None, Header()] = None,
    ) -> StreamingResponse:
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        streams.connections.append(queue)
        streams.last_event_ids.append(last_event_id)
        return StreamingResponse(streams.events(queue), media_type="text/event-stream")

    return router


def fake_service(name: str, router: APIRouter, settings: ServiceSettings) -> FastAPI:
    return create_service_app(
        ServiceDefinition(title=f"fake {name}", routers=[router]),
        settings,
    )
