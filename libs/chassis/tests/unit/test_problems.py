"""problem+json for every error path: validation, unknown routes, oversize bodies, crashes."""

from __future__ import annotations

from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI, Query
from pydantic import BaseModel, ConfigDict, Field

from crm_chassis.errors import Conflict, install_problem_handlers
from crm_chassis.middleware import BodySizeLimitMiddleware, RequestIdMiddleware
from crm_chassis.pagination import parse_sort


class ThingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    size: int


def build_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=2048)
    app.add_middleware(RequestIdMiddleware)

    @app.post("/things")
    async def create(thing: ThingCreate) -> ThingCreate:
        return thing

    @app.get("/things")
    async def list_things(sort: Annotated[str | None, Query()] = None) -> list[str]:
        return [f"{field}:{direction}" for field, direction in parse_sort(sort, ["name"], "name")]

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("Email already used.", field="email")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    return app


@pytest.fixture
async def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=build_app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_wrong_types_and_unknown_fields_list_each_field_path(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/things", json={"name": "", "size": "big", "colour": "red"})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/validation-error")
    fields = {error["field"] for error in problem["errors"]}
    assert fields == {"body.name", "body.size", "body.colour"}


async def test_malformed_json_is_a_validation_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/things", content=b'{"name": "x",', headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "json_invalid"


async def test_oversize_body_is_refused_with_413(client: httpx.AsyncClient) -> None:
    response = await client.post("/things", json={"name": "x" * 5000, "size": 1})

    assert response.status_code == 413
    assert response.json()["type"].endswith("/payload-too-large")


async def test_streamed_oversize_body_is_refused_with_413(client: httpx.AsyncClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(10):
            yield b"x" * 1000

    response = await client.post(
        "/things", content=chunks(), headers={"content-type": "application/json"}
    )

    assert response.status_code == 413


async def test_unknown_route_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/nowhere")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_domain_error_keeps_its_extensions(client: httpx.AsyncClient) -> None:
    response = await client.get("/conflict")

    assert response.status_code == 409
    assert response.json() == {
        "type": "https://crm.example.org/problems/conflict",
        "title": "Conflicts with the current state",
        "status": 409,
        "detail": "Email already used.",
        "instance": "/conflict",
        "field": "email",
    }


async def test_unexpected_error_hides_internals(client: httpx.AsyncClient) -> None:
    response = await client.get("/boom")

    assert response.status_code == 500
    assert "secret" not in response.text


async def test_unknown_sort_field_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/things", params={"sort": "-password"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.sort"


async def test_sort_is_made_stable_by_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/things", params={"sort": "-name"})

    assert response.json() == ["name:-1", "_id:1"]


async def test_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/things", headers={"X-Request-ID": "abc-123"})

    assert response.headers["x-request-id"] == "abc-123"


def test_secrets_in_query_strings_are_blanked_in_logs() -> None:
    import logging

    from crm_chassis.logging import RedactQuerySecrets

    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s"',
        ("127.0.0.1", "GET", "/api/v1/customers?limit=5&access_token=abc.def.ghi"), None,
    )  # fmt: skip

    RedactQuerySecrets().filter(record)

    assert record.getMessage() == '127.0.0.1 - "GET /api/v1/customers?limit=5&access_token=***"'


async def test_request_metrics_are_labelled_by_route_template() -> None:
    from crm_chassis.metrics import HTTP_REQUESTS, HttpMetricsMiddleware

    app = FastAPI()

    @app.get("/widgets/{widget_id}")
    async def widget(widget_id: str) -> dict[str, str]:
        return {"id": widget_id}

    app.add_middleware(HttpMetricsMiddleware, service="metrics-test")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.get("/widgets/42")
        await client.get("/nowhere")

    def served(route: str, status: str) -> float:
        labels = HTTP_REQUESTS.labels("metrics-test", "GET", route, status)
        return labels._value.get()  # type: ignore[attr-defined, no-any-return]

    assert served("/widgets/{widget_id}", "200") == 1
    assert served("unmatched", "404") == 1
