"""Services verify the gateway's tokens themselves and check each route's permission."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import httpx
import jwt
import pytest
from fastapi import FastAPI

from crm_chassis.auth import Principal, TokenVerifier, allowed
from crm_chassis.errors import Unauthenticated, install_problem_handlers
from crm_chassis.testing import SigningKeys, auth_header
from crm_contracts.access import Permission, Role

KEYS = SigningKeys.generate()


def build_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.token_verifier = TokenVerifier(KEYS.public_pem, issuer="crm-gateway", audience="crm")

    @app.get("/customers")
    async def read(
        principal: Annotated[Principal, allowed(Permission.CUSTOMERS_READ)],
    ) -> dict[str, str]:
        return {"subject": principal.subject}

    @app.delete("/customers")
    async def erase(_: Annotated[Principal, allowed(Permission.CUSTOMERS_ERASE)]) -> None:
        return None

    return app


@pytest.fixture
def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app()), base_url="http://t")


async def test_permitted_role_passes(client: httpx.AsyncClient) -> None:
    token = KEYS.token(Role.SALES_REP, subject="rep-1")

    response = await client.get("/customers", headers=auth_header(token))

    assert response.status_code == 200
    assert response.json() == {"subject": "rep-1"}


async def test_role_without_permission_gets_403(client: httpx.AsyncClient) -> None:
    response = await client.delete("/customers", headers=auth_header(KEYS.token(Role.SALES_REP)))

    assert response.status_code == 403


async def test_missing_token_gets_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/customers")

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "token",
    [
        KEYS.token(Role.ADMIN, ttl=timedelta(seconds=-5)),
        SigningKeys.generate().token(Role.ADMIN),
        KEYS.token(Role.ADMIN, audience="someone-else"),
        jwt.encode({"sub": "x", "roles": ["admin"]}, key="", algorithm="none"),
        KEYS.token(Role.ADMIN)[:-4] + "AAAA",
    ],
    ids=["expired", "wrong-key", "wrong-audience", "alg-none", "tampered"],
)
async def test_bad_tokens_get_401(client: httpx.AsyncClient, token: str) -> None:
    response = await client.get("/customers", headers=auth_header(token))

    assert response.status_code == 401


def test_permission_is_published_as_openapi_scope() -> None:
    schema = build_app().openapi()

    security = schema["paths"]["/customers"]["get"]["security"]
    assert security == [{"OAuth2PasswordBearer": ["customers:read"]}]


async def test_client_token_is_narrowed_to_its_scopes(client: httpx.AsyncClient) -> None:
    token = KEYS.token(Role.ADMIN, kind="client", scope="customers:erase")

    read = await client.get("/customers", headers=auth_header(token))
    erase = await client.delete("/customers", headers=auth_header(token))

    assert read.status_code == 403
    assert erase.status_code == 200


def test_a_token_verified_once_is_answered_from_the_cache() -> None:
    verifier = TokenVerifier(KEYS.public_pem, issuer="crm-gateway", audience="crm")
    token = KEYS.token(Role.SALES_REP, subject="rep-1")

    first = verifier.verify(token)

    assert verifier.verify(token) is first


def test_a_forged_token_is_refused_after_the_genuine_one_was_cached() -> None:
    verifier = TokenVerifier(KEYS.public_pem, issuer="crm-gateway", audience="crm")
    genuine = KEYS.token(Role.SALES_REP, subject="rep-1")
    verifier.verify(genuine)
    header, _, signature = genuine.split(".")
    forged_claims = jwt.utils.base64url_encode(b'{"sub":"rep-1","roles":["admin"]}').decode()

    with pytest.raises(Unauthenticated):
        verifier.verify(f"{header}.{forged_claims}.{signature}")
