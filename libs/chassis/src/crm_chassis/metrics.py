"""Prometheus metrics for HTTP traffic, exposed at ``/metrics``.

Metric objects are process-wide (the Prometheus client's registry is), labelled by
service so several apps in one test process stay apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_REQUESTS = Counter(
    "crm_http_requests_total", "HTTP requests answered", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "crm_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0),
)


UNMATCHED = "unmatched"

RouteNamer = Callable[[Scope], str | None]


def matched_route_template(scope: Scope) -> str | None:
    """The matched route's path template, so ids do not explode label cardinality.

    The router records the route it matched in the request's scope, which this
    middleware shares; reading it back costs nothing, where matching every route
    again would cost a scan per request.
    """
    path = getattr(scope.get("route"), "path", None)
    return str(path) if path is not None else None


class HttpMetricsMiddleware:
    """Counts and times every HTTP request, labelled by the route ``route_of`` names
    (the matched route's template by default; the gateway names forwarded paths)."""

    def __init__(
        self, app: ASGIApp, service: str, route_of: RouteNamer = matched_route_template
    ) -> None:
        self.app = app
        self.service = service
        self.route_of = route_of

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
            route = self.route_of(scope) or UNMATCHED
            method = scope["method"]
            HTTP_REQUESTS.labels(self.service, method, route, str(status)).inc()
            HTTP_LATENCY.labels(self.service, method, route).observe(time.perf_counter() - started)


async def metrics_endpoint(_: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
