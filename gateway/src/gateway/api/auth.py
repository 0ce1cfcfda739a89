"""``/api/v1/auth``: the OAuth2 token endpoint, logout, and who am I."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Form, Header, Request, Response, status
from pydantic import BaseModel

from crm_chassis.auth import CurrentPrincipal
from crm_chassis.inputs import InputModel
from crm_contracts.access import Permission, permissions_of
from gateway import accounts
from gateway.accounts import TokenResponse
from gateway.api.deps import GatewayDep, VerifiedTokenDep, caller_address
from gateway.errors import InvalidGrant

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, _, secret = decoded.partition(":")
    return (client_id, secret) if client_id else None


@router.post(
    "/token",
    response_model_exclude_none=True,
    summary="Get an access token (password, client_credentials or refresh_token grant)",
)
async def token(
    gateway: GatewayDep,
    request: Request,
    response: Response,
    grant_type: Annotated[str, Form(min_length=1, max_length=50)],
    username: Annotated[str | None, Form(max_length=254)] = None,
    password: Annotated[str | None, Form(max_length=256)] = None,
    client_id: Annotated[str | None, Form(max_length=100)] = None,
    client_secret: Annotated[str | None, Form(max_length=256)] = None,
    refresh_token: Annotated[str | None, Form(max_length=256)] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> TokenResponse:
    """People sign in with ``grant_type=password`` (e-mail as ``username``); systems
    with ``client_credentials`` (form fields or HTTP Basic); ``refresh_token``
    rotates a refresh token. Access tokens live 15 minutes."""
    response.headers["Cache-Control"] = "no-store"
    address = caller_address(request)
    if grant_type == "password" and username and password is not None:
        return await accounts.password_grant(gateway, username, password, address)
    if grant_type == "client_credentials":
        basic = _basic_credentials(authorization)
        if basic is not None:
            client_id, client_secret = basic
        if client_id and client_secret is not None:
            return await accounts.client_credentials_grant(
                gateway, client_id, client_secret, address
            )
    if grant_type == "refresh_token" and refresh_token:
        return await accounts.refresh_grant(gateway, refresh_token)
    if grant_type not in ("password", "client_credentials", "refresh_token"):
        raise InvalidGrant(
            f"Unsupported grant_type {grant_type!r}.", error="unsupported_grant_type"
        )
    raise InvalidGrant("Missing credentials for this grant.", error="invalid_request")


class LogoutRequest(InputModel):
    refresh_token: str | None = None


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(
    gateway: GatewayDep,
    principal: CurrentPrincipal,
    token: VerifiedTokenDep,
    body: LogoutRequest | None = None,
) -> None:
    """Revoke this access token now (and the refresh token's family, if sent)."""
    await accounts.logout(gateway, token, body.refresh_token if body else None)


class Me(BaseModel):
    subject: str
    kind: str
    roles: list[str]
    team: str | None
    permissions: list[Permission]
    email: str | None = None
    display_name: str | None = None


@router.get("/me")
async def me(gateway: GatewayDep, principal: CurrentPrincipal) -> Me:
    """Who the token speaks for; for a person also their e-mail and name, which the
    console shows."""
    user = await gateway.users.get(principal.subject) if principal.kind == "user" else None
    return Me(
        subject=principal.subject,
        kind=principal.kind,
        roles=sorted(role.value for role in principal.roles),
        team=principal.team,
        permissions=sorted(permissions_of(principal.roles)),
        email=user.email if user else None,
        display_name=(user.display_name or None) if user else None,
    )
