"""Verifying the gateway's tokens inside a service (defence in depth).

The gateway signs short-lived JWTs with its private key; every service checks the
signature, issuer, audience and expiry itself with the public key, whether the token
was revoked (when the service reads the gateway's deny-list, see
:mod:`crm_chassis.revocation`), and the caller's permission for each route, so a
request that bypasses the gateway gets nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi import Depends, Request, Security
from fastapi.security import OAuth2PasswordBearer, SecurityScopes
from pydantic import BaseModel, ConfigDict

from crm_chassis.errors import Forbidden, Unauthenticated
from crm_chassis.revocation import RevocationList
from crm_chassis.token_cache import VerifiedTokenCache
from crm_contracts.access import (
    Permission,
    RecordScope,
    Role,
    customer_scope,
    granted_permissions,
    sales_scope,
)

ALGORITHMS = ["EdDSA", "RS256", "ES256"]


class Principal(BaseModel):
    """Who is calling: a person (``user``) or another system (``client``). Frozen: one
    verified token's principal is shared by all the requests that send it."""

    model_config = ConfigDict(frozen=True)

    subject: str
    kind: str = "user"
    roles: frozenset[Role] = frozenset()
    team: str | None = None
    scopes: frozenset[str] = frozenset()
    token: str = ""
    token_id: str = ""  # the token's ``jti``, by which the gateway revokes it

    def can(self, permission: Permission) -> bool:
        return permission.value in granted_permissions(self.roles, self.kind, self.scopes)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def customer_scope(self) -> RecordScope:
        """The customers this caller may see, in any service that shows customers."""
        return customer_scope(self.roles, self.subject, self.team)

    def sales_scope(self) -> RecordScope:
        """The sales records and figures this caller may see, in any service."""
        return sales_scope(self.roles, self.subject, self.team)


class TokenVerifier:
    def __init__(self, public_key: str, *, issuer: str, audience: str) -> None:
        # Parsed once: PyJWT would parse the PEM text again on every verification.
        key = load_pem_public_key(public_key.encode())
        if not isinstance(key, Ed25519PublicKey | RSAPublicKey | EllipticCurvePublicKey):
            raise ValueError("The token verification key must be an Ed25519, RSA or EC key.")
        self._key = key
        self._issuer = issuer
        self._audience = audience
        self._verified: VerifiedTokenCache[Principal] = VerifiedTokenCache()

    def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            return cached
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=ALGORITHMS,
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"Invalid token: {error}.") from None
        roles = frozenset(Role(r) for r in claims.get("roles", []) if r in Role._value2member_map_)
        principal = Principal(
            subject=str(claims["sub"]),
            kind=str(claims.get("kind", "user")),
            roles=roles,
            team=claims.get("team"),
            scopes=frozenset(str(claims.get("scope", "")).split()),
            token=token,
            token_id=str(claims.get("jti") or ""),
        )
        self._verified.put(token, principal, expires_at=float(claims["exp"]))
        return principal


bearer_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    scopes={
        permission.value: permission.name.replace("_", " ").lower() for permission in Permission
    },
    auto_error=False,
)


async def authorize(
    security_scopes: SecurityScopes,
    request: Request,
    token: Annotated[str | None, Depends(bearer_scheme)],
) -> Principal:
    """Verify the caller's token and that their roles grant every required permission."""
    if not token:
        raise Unauthenticated(
            "Send an Authorization: Bearer token.",
            headers={"WWW-Authenticate": 'Bearer realm="crm"'},
        )
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = verifier.verify(token)
    revocations: RevocationList | None = getattr(request.app.state, "revocations", None)
    if revocations is not None and await revocations.is_revoked(principal.token_id):
        raise Unauthenticated(
            "This token has been revoked.",
            headers={"WWW-Authenticate": 'Bearer realm="crm", error="invalid_token"'},
        )
    for scope in security_scopes.scopes:
        if not principal.can(Permission(scope)):
            raise Forbidden(f"Your role does not allow {scope}.")
    return principal


def allowed(permission: Permission) -> Any:
    """Declare a route's permission: checked here, and published in the OpenAPI document
    as the operation's security scope, which is how the gateway learns it.

    Use as ``principal: Annotated[Principal, allowed(Permission.CUSTOMERS_READ)]``.
    """
    return Security(authorize, scopes=[permission.value])


CurrentPrincipal = Annotated[Principal, Security(authorize)]
