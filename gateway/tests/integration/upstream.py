"""Fake upstream services built with the chassis, as the real services are: routes
declare their permission with ``allowed(...)`` and the gateway learns it from
their OpenAPI documents."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Request
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


def fake_service(name: str, router: APIRouter, settings: ServiceSettings) -> FastAPI:
    return create_service_app(
        ServiceDefinition(title=f"fake {name}", routers=[router]),
        settings,
    )
