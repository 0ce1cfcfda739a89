"""One domain-error model: each kind of refusal answers one status and type in every
service, with the field it is about named as ``body.<field>``."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from crm_chassis import domain_errors
from crm_chassis.domain_errors import (
    DomainError,
    DuplicateValue,
    InvalidTransition,
    NotAllowed,
    RecordNotFound,
    RuleViolation,
    StateConflict,
    VersionConflict,
)
from crm_chassis.errors import install_problem_handlers

BASE = "https://crm.example.org/problems/"


class DuplicateThing(DuplicateValue):
    slug, title = "duplicate-thing", "Another thing has this value"


REFUSALS: dict[str, DomainError] = {
    "forbidden": NotAllowed("Only the owner may change it."),
    "missing": RecordNotFound("No such thing."),
    "state": StateConflict("The thing is archived."),
    "transition": InvalidTransition("A closed thing cannot move to open.", field="status"),
    "duplicate": DuplicateValue("email"),
    "own-type": DuplicateThing("email"),
    "rule": RuleViolation("Close date is needed to reach this stage.", field="close_date"),
    "stale": VersionConflict("thing-1"),
    "several": RuleViolation(
        "Two custom fields are invalid.",
        field_errors=[
            ("body.custom_fields.size", "must be a number"),
            ("body.custom_fields.colour", "is not defined"),
        ],
    ),
}


def build_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/refuse/{kind}")
    async def refuse(kind: str) -> None:
        raise REFUSALS[kind]

    return app


@pytest.fixture
async def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=build_app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.mark.parametrize(
    ("kind", "status", "slug", "errors"),
    [
        ("forbidden", 403, "forbidden", None),
        ("missing", 404, "not-found", None),
        ("state", 409, "conflict", None),
        (
            "transition",
            409,
            "conflict",
            [{"field": "body.status", "reason": "A closed thing cannot move to open."}],
        ),
        (
            "duplicate",
            409,
            "conflict",
            [{"field": "body.email", "reason": "already used by another record"}],
        ),
        (
            "own-type",
            409,
            "duplicate-thing",
            [{"field": "body.email", "reason": "already used by another record"}],
        ),
        (
            "rule",
            422,
            "validation-error",
            [{"field": "body.close_date", "reason": "Close date is needed to reach this stage."}],
        ),
        ("stale", 412, "precondition-failed", None),
        (
            "several",
            422,
            "validation-error",
            [
                {"field": "body.custom_fields.size", "reason": "must be a number"},
                {"field": "body.custom_fields.colour", "reason": "is not defined"},
            ],
        ),
    ],
)
async def test_each_refusal_has_one_status_and_type(
    client: httpx.AsyncClient, kind: str, status: int, slug: str, errors: object
) -> None:
    response = await client.post(f"/refuse/{kind}")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == BASE + slug
    assert body["status"] == status
    assert body["detail"] == REFUSALS[kind].message
    assert body["instance"] == f"/refuse/{kind}"
    assert body.get("errors") == errors


async def test_a_duplicate_names_its_field_at_the_top(client: httpx.AsyncClient) -> None:
    response = await client.post("/refuse/own-type")
    assert response.json()["field"] == "email"
    assert "field" not in (await client.post("/refuse/rule")).json()


def test_the_model_has_no_web_framework_in_it() -> None:
    source = Path(domain_errors.__file__).read_text(encoding="utf-8")
    assert "fastapi" not in source
    assert "starlette" not in source
