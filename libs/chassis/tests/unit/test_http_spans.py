"""An HTTP request is one server span, not one per ASGI message."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from crm_chassis.tracing import instrument_app


async def test_a_request_is_traced_as_one_server_span(spans: InMemorySpanExporter) -> None:
    app = FastAPI()

    @app.post("/api/v1/things")
    async def create(thing: dict[str, str]) -> dict[str, str]:
        return thing

    instrument_app(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/api/v1/things", json={"name": "a"})

    assert response.status_code == 200
    finished = spans.get_finished_spans()
    assert [(span.name, span.kind) for span in finished] == [
        ("POST /api/v1/things", SpanKind.SERVER)
    ]
