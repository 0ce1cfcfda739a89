"""``/api/v1/auth/session``: sign-in for the console, as OAuth 2.0 for browser-based
apps advises.

The access token goes to the page, which keeps it in memory only. The refresh token
never reaches script: it is an ``HttpOnly``, ``Secure``, ``SameSite=Strict`` cookie
whose path is this prefix, so the browser sends it here and nowhere else. Every call
here must carry ``X-CRM-Console: 1``: a page on another site cannot add that header
without a CORS preflight this gateway refuses, so no cross-site form or image can
sign a person in, refresh or out (login CSRF included).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Depends, Header, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from gateway import accounts
from gateway.api.deps import GatewayDep, caller_address
from gateway.errors import InvalidGrant

SESSION_PATH = "/api/v1/auth/session"
SESSION_COOKIE = "crm_session"
CONSOLE_HEADER = "X-CRM-Console"


async def _from_the_console(
    x_crm_console: Annotated[str | None, Header(alias=CONSOLE_HEADER)] = None,
) -> None:
    if x_crm_console != "1":
        raise InvalidGrant(
            f"Browser sessions need the {CONSOLE_HEADER}: 1 header.", error="invalid_request"
        )


router = APIRouter(prefix=SESSION_PATH, tags=["auth"], dependencies=[Depends(_from_the_console)])


class SessionStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class SessionToken(BaseModel):
    """The access token for the page's memory; the refresh token is in the cookie."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int


def _keep_refresh_token(
    response: Response, token: accounts.TokenResponse, max_age_seconds: int
) -> SessionToken:
    response.headers["Cache-Control"] = "no-store"
    if token.refresh_token:
        response.set_cookie(
            SESSION_COOKIE,
            token.refresh_token,
            max_age=max_age_seconds,
            path=SESSION_PATH,
            secure=True,
            httponly=True,
            samesite="strict",
        )
    return SessionToken(access_token=token.access_token, expires_in=token.expires_in)


def _forget_refresh_token(response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path=SESSION_PATH, secure=True, httponly=True, samesite="strict"
    )


@router.post("", summary="Sign a person in (refresh token kept in an HttpOnly cookie)")
async def start_session(
    gateway: GatewayDep, body: SessionStart, request: Request, response: Response
) -> SessionToken:
    token = await accounts.password_grant(
        gateway, body.email, body.password, caller_address(request)
    )
    return _keep_refresh_token(response, token, gateway.settings.refresh_token_days * 86400)


@router.post("/refresh", summary="A new access token for the signed-in browser")
async def refresh_session(
    gateway: GatewayDep,
    response: Response,
    crm_session: Annotated[str | None, Cookie(max_length=256)] = None,
) -> SessionToken:
    """Rotates the cookie's refresh token; a reused one revokes its whole family."""
    if not crm_session:
        raise InvalidGrant("No session: sign in again.", error="invalid_grant")
    try:
        token = await accounts.refresh_grant(gateway, crm_session)
    except InvalidGrant:
        _forget_refresh_token(response)
        raise
    return _keep_refresh_token(response, token, gateway.settings.refresh_token_days * 86400)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out this browser")
async def end_session(
    gateway: GatewayDep,
    response: Response,
    crm_session: Annotated[str | None, Cookie(max_length=256)] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> None:
    """Revokes the cookie's refresh-token family and the access token sent with it."""
    await accounts.end_browser_session(gateway, crm_session, authorization)
    _forget_refresh_token(response)
