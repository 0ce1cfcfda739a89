"""A request carries only what its operation declares: unknown query parameters and body
fields are refused with 422 naming them, and the published schemas say so."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Query
from pydantic import BaseModel, ConfigDict, Field

from crm_chassis.errors import install_problem_handlers
from crm_chassis.inputs import (
    InputModel,
    UnknownQueryParameters,
    models_accepting_unknown_fields,
    require_strict_bodies,
)


class Window(BaseModel):
    since: str | None = None
    until: str | None = Field(default=None, alias="until_date")


class Anything(BaseModel):
    model_config = ConfigDict(extra="allow")


async def paging(limit: int = 50, cursor: str | None = None) -> int:
    return limit


async def router_wide(team: str | None = None) -> None:
    return None


router = APIRouter(prefix="/things", dependencies=[Depends(router_wide)])


@router.get("")
async def list_things(
    _limit: Annotated[int, Depends(paging)],
    tier: str | None = None,
    tags: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies defaults
    sort_by: Annotated[str | None, Query(alias="sort")] = None,
) -> dict[str, object]:
    return {"tier": tier, "tags": tags}


@router.get("/windows")
async def windows(window: Annotated[Window, Query()]) -> dict[str, str | None]:
    return {"since": window.since, "until": window.until}


@router.get("/open")
async def open_query(_: Annotated[Anything, Query()]) -> None:
    return None


@router.get("/plain")
async def plain() -> None:
    return None


class ThingCreate(InputModel):
    name: str


@router.post("")
async def create(thing: ThingCreate) -> ThingCreate:
    return thing


def build_app() -> FastAPI:
    app = FastAPI(dependencies=[Depends(UnknownQueryParameters())])
    install_problem_handlers(app)
    app.include_router(router)
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_an_operator_smuggled_into_a_parameter_name_is_refused_with_422(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/things", params={"tier[$ne]": "normal"})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert error["field"] == "query.tier[$ne]"
    assert error["type"] == "extra_forbidden"
    assert "tier" in error["reason"]


async def test_every_unknown_parameter_is_named_once(client: httpx.AsyncClient) -> None:
    response = await client.get("/things?colour=red&colour=blue&size=9&tier=vip")

    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["query.colour", "query.size"]


async def test_declared_parameters_are_accepted_wherever_they_are_declared(
    client: httpx.AsyncClient,
) -> None:
    # The endpoint's own (repeated for a list, by alias), its dependency's and its router's.
    response = await client.get(
        "/things?tier=vip&tags=a&tags=b&sort=name&limit=5&cursor=x&team=north"
    )

    assert response.status_code == 200
    assert response.json() == {"tier": "vip", "tags": ["a", "b"]}


async def test_a_query_model_declares_its_fields_by_alias(client: httpx.AsyncClient) -> None:
    accepted = await client.get("/things/windows?since=2024&until_date=2025")
    refused = await client.get("/things/windows?after=2024")

    assert accepted.status_code == 200
    assert accepted.json() == {"since": "2024", "until": "2025"}
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["query.after"]


async def test_a_query_model_allowing_extras_takes_any_parameter(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/things/open?whatever=1")

    assert response.status_code == 200


async def test_a_route_without_parameters_refuses_any(client: httpx.AsyncClient) -> None:
    response = await client.get("/things/plain?debug=1")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.debug"


async def test_an_unknown_body_field_of_an_input_model_is_refused_with_422(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/things", json={"name": "a", "nmae": "b"})

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "body.nmae"
    assert error["type"] == "extra_forbidden"


def test_the_published_schema_of_an_input_model_refuses_additional_properties() -> None:
    document = build_app().openapi()

    assert document["components"]["schemas"]["ThingCreate"]["additionalProperties"] is False


class Line(BaseModel):  # lenient: drops unknown fields
    sku: str


class OrderIn(InputModel):
    lines: list[Line]


class StrictLine(InputModel):
    sku: str


class StrictOrderIn(InputModel):
    lines: dict[str, StrictLine | None]


def test_a_body_model_nested_anywhere_that_drops_unknown_fields_is_found() -> None:
    lenient = APIRouter()

    @lenient.post("/orders")
    async def create_order(order: OrderIn) -> None:
        return None

    found = models_accepting_unknown_fields([lenient])

    assert found == [f"{__name__}.Line (POST /orders)"]
    with pytest.raises(TypeError, match="Line"):
        require_strict_bodies([lenient])


def test_strict_bodies_and_free_form_bodies_pass() -> None:
    strict = APIRouter()

    @strict.post("/orders")
    async def create_order(order: StrictOrderIn) -> None:
        return None

    @strict.put("/settings")
    async def put_settings(settings: dict[str, str]) -> None:
        return None

    assert models_accepting_unknown_fields([strict]) == []
    require_strict_bodies([strict])
