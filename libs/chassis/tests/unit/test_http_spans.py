"""An HTTP request is one server span, not one per ASGI message, named by its route
template; no span records the values of a query string."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.instrumentation._semconv import (
    _OpenTelemetrySemanticConventionStability as Stability,
)
from opentelemetry.instrumentation._semconv import (
    _OpenTelemetryStabilitySignalType as Signal,
)
from opentelemetry.instrumentation._semconv import _StabilityMode
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from crm_chassis.testing import serve_app
from crm_chassis.tracing import instrument_app, instrument_http_clients


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


SECRETS = ("survey-token-123", "13912345678", "li.wei@example.com")
QUERY = {"token": SECRETS[0], "phone": SECRETS[1], "email": SECRETS[2]}


@pytest.fixture(params=[_StabilityMode.DEFAULT, _StabilityMode.HTTP_DUP], ids=["old", "both"])
def semconv(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> _StabilityMode:
    """The HTTP attribute names the instrumentations record: the older ones (``http.url``,
    the default) or those and the stable ones (``url.full``, ``url.query``) together, as
    ``OTEL_SEMCONV_STABILITY_OPT_IN=http/dup`` chooses."""
    Stability._initialize()
    mapping = {**Stability._OTEL_SEMCONV_STABILITY_SIGNAL_MAPPING, Signal.HTTP: request.param}
    monkeypatch.setattr(Stability, "_OTEL_SEMCONV_STABILITY_SIGNAL_MAPPING", mapping)
    mode: _StabilityMode = request.param
    return mode


def _values(span: ReadableSpan) -> str:
    return " ".join(str(value) for value in (span.attributes or {}).values())


async def test_a_server_span_names_the_route_template_and_records_no_query_values(
    spans: InMemorySpanExporter, semconv: _StabilityMode
) -> None:
    app = FastAPI()

    @app.get("/api/v1/surveys/{survey_id}/answer")
    async def answer(survey_id: str, token: str, phone: str, email: str) -> dict[str, str]:
        return {"survey_id": survey_id}

    instrument_app(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/api/v1/surveys/s-1/answer", params=QUERY)

    assert response.status_code == 200
    [span] = spans.get_finished_spans()
    assert span.name == "GET /api/v1/surveys/{survey_id}/answer"
    attributes = span.attributes or {}
    assert attributes["http.route"] == "/api/v1/surveys/{survey_id}/answer"
    hidden = "token=REDACTED&phone=REDACTED&email=REDACTED"
    assert attributes["http.url"] == f"http://test/api/v1/surveys/s-1/answer?{hidden}"
    if semconv is _StabilityMode.HTTP_DUP:
        assert attributes["url.query"] == hidden
    assert not [secret for secret in SECRETS if secret in _values(span)]


async def test_a_client_span_records_no_query_values(
    spans: InMemorySpanExporter, semconv: _StabilityMode
) -> None:
    app = FastAPI()

    @app.get("/api/v1/customers")
    async def customers(phone: str) -> list[str]:
        return []

    HTTPXClientInstrumentor().uninstrument()  # another test may have instrumented without hooks
    instrument_http_clients()
    try:
        async with serve_app(app) as url, httpx.AsyncClient() as client:
            response = await client.get(f"{url}/api/v1/customers", params={"phone": SECRETS[1]})
    finally:
        HTTPXClientInstrumentor().uninstrument()

    assert response.status_code == 200
    [span] = [s for s in spans.get_finished_spans() if s.kind is SpanKind.CLIENT]
    attributes = span.attributes or {}
    url_key = "url.full" if semconv is _StabilityMode.HTTP_DUP else "http.url"
    assert attributes[url_key] == f"{url}/api/v1/customers?phone=REDACTED"
    assert SECRETS[1] not in _values(span)
