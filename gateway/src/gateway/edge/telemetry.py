"""Traces and Prometheus metrics of the gateway's requests, cheap on the forwarding path.

The chassis' ``instrument_app`` and ``HttpMetricsMiddleware`` name a request by
trying every route of the app in turn; a forwarded request matches none of the
gateway's own routes, so each of them paid for a full scan, twice, and still came
out as "unmatched". Here a forwarded request is named by its operation template
from the routing table (``GET /api/v1/customers/{id}``), and only the gateway's own
paths are matched against its routes. The server span comes from the maintained
ASGI instrumentation, without its per-message ``send``/``receive`` spans.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from fastapi import FastAPI
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_chassis.metrics import HTTP_LATENCY, HTTP_REQUESTS
from gateway.domain.routing import API_PREFIX
from gateway.edge.pipeline import is_own_path, own_route

if TYPE_CHECKING:
    from gateway.domain.routing import Operation

UNMATCHED = "unmatched"
EXCLUDED_URLS = "healthz,readyz,metrics"  # as the chassis' instrument_app


def _forwarded_route(scope: Scope) -> str | None:
    """The operation template of a path the gateway forwards, from its routing table."""
    runtime = getattr(scope["app"].state, "gateway", None)
    if runtime is None:
        return None
    found = runtime.upstreams.table.match(scope["method"], scope["path"])
    return found.operation.template if found and found.operation else None


def _route(scope: Scope) -> str | None:
    path: str = scope["path"]
    if path.startswith(API_PREFIX) and not is_own_path(path):
        operation: Operation | None = scope.get("state", {}).get("crm_operation")
        return operation.template if operation is not None else _forwarded_route(scope)
    return own_route(scope)


def span_details(scope: Scope) -> tuple[str, dict[str, str]]:
    """Server span name and attributes, as the FastAPI instrumentation names them."""
    method: str = scope.get("method", "HTTP")
    route = _route(scope)
    if route is None:
        return method, {}
    return f"{method} {route}", {"http.route": route}


def instrument(app: FastAPI) -> None:
    """Trace every request but health, readiness and metrics (outermost middleware)."""
    app.add_middleware(
        OpenTelemetryMiddleware,
        excluded_urls=EXCLUDED_URLS,
        default_span_details=span_details,
        exclude_spans=["receive", "send"],
    )


class HttpMetricsMiddleware:
    """The chassis' HTTP request counter and latency histogram, labelled by route."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = _route(scope) or UNMATCHED
            method = scope["method"]
            HTTP_REQUESTS.labels(self.service, method, route, str(status)).inc()
            HTTP_LATENCY.labels(self.service, method, route).observe(time.perf_counter() - started)
