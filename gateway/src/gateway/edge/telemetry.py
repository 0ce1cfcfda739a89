"""Traces and Prometheus metrics of the gateway's requests, cheap on the forwarding path.

The chassis' ``instrument_app`` names a request by trying every route of the app in
turn; a forwarded request matches none of the gateway's own routes, so it paid for
a full scan and still came out as "unmatched". Here a forwarded request is named by
its operation template from the routing table (``GET /api/v1/customers/{id}``), for
spans and (through ``route_name``) for the chassis' request metrics, and only the
gateway's own paths are matched against its routes. The server span comes from the maintained
ASGI instrumentation, without its per-message ``send``/``receive`` spans, and its URL
attributes carry no query values (the chassis' ``redact_server_span``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from starlette.types import Scope

from crm_chassis.tracing import redact_server_span
from gateway.domain.routing import API_PREFIX
from gateway.edge.pipeline import is_own_path, own_route

if TYPE_CHECKING:
    from gateway.domain.routing import Operation

EXCLUDED_URLS = "healthz,readyz,metrics"  # as the chassis' instrument_app


def _forwarded_route(scope: Scope) -> str | None:
    """The operation template of a path the gateway forwards, from its routing table."""
    runtime = getattr(scope["app"].state, "gateway", None)
    if runtime is None:
        return None
    found = runtime.upstreams.table.match(scope["method"], scope["path"])
    return found.operation.template if found and found.operation else None


def route_name(scope: Scope) -> str | None:
    path: str = scope["path"]
    if path.startswith(API_PREFIX) and not is_own_path(path):
        operation: Operation | None = scope.get("state", {}).get("crm_operation")
        return operation.template if operation is not None else _forwarded_route(scope)
    return own_route(scope)


def span_details(scope: Scope) -> tuple[str, dict[str, str]]:
    """Server span name and attributes, as the FastAPI instrumentation names them."""
    method: str = scope.get("method", "HTTP")
    route = route_name(scope)
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
        server_request_hook=redact_server_span,
    )
