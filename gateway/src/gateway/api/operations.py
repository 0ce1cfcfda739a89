"""Health, readiness, metrics, the merged OpenAPI document and the interactive docs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from crm_chassis.metrics import metrics_endpoint
from crm_chassis.mongo import ping
from gateway.runtime import GatewayRuntime

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "alive"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Ready while its own database answers. Redis down does not make it unready
    (requests with a token get 503 then, as the detail says, while the public links
    and forms stay up); nor does a down service (its routes get 503)."""
    runtime: GatewayRuntime | None = getattr(request.app.state, "gateway", None)
    if runtime is None:
        return JSONResponse({"status": "starting"}, status_code=503)
    await runtime.redis.probe()
    mongo_ok = await ping(runtime.db)
    checks: dict[str, Any] = {
        "mongo": mongo_ok,
        "redis": runtime.redis.detail(),
        "services": await runtime.upstreams.reachability(),
        "route_conflicts": runtime.upstreams.table.conflicts,
    }
    if runtime.eventing is not None:
        checks["events"] = await runtime.eventing.ready()
    degraded = not runtime.redis.available or not all(
        service["reachable"] for service in checks["services"].values()
    )
    state = "not ready" if not mongo_ok else ("degraded" if degraded else "ready")
    return JSONResponse({"status": state, "checks": checks}, status_code=200 if mongo_ok else 503)


@router.get("/openapi.json")
async def openapi(request: Request) -> JSONResponse:
    runtime: GatewayRuntime = request.app.state.gateway
    return JSONResponse(runtime.upstreams.merged_openapi())


@router.get("/docs")
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="CRM platform API")


router.add_route("/metrics", metrics_endpoint)
