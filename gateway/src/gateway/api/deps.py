"""Dependency aliases for the gateway's own routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from crm_chassis.errors import Unauthenticated
from gateway.domain.tokens import VerifiedToken
from gateway.runtime import GatewayRuntime


async def get_gateway(request: Request) -> GatewayRuntime:
    runtime: GatewayRuntime = request.app.state.gateway
    return runtime


async def get_verified_token(request: Request) -> VerifiedToken:
    """The caller's token as the edge pipeline verified it (with its ``jti``)."""
    token: VerifiedToken | None = getattr(request.state, "verified_token", None)
    if token is None:
        raise Unauthenticated("Send an Authorization: Bearer token.")
    return token


def caller_address(request: Request) -> str:
    """The caller's address (forwarded headers count only from trusted proxies)."""
    return request.client.host if request.client else "unknown"


GatewayDep = Annotated[GatewayRuntime, Depends(get_gateway)]
VerifiedTokenDep = Annotated[VerifiedToken, Depends(get_verified_token)]
