"""Access tokens (short-lived signed JWTs) and refresh tokens (opaque, rotated).

Claims, as every service's ``TokenVerifier`` expects them: ``sub``, ``roles``,
``team``, ``kind`` (user or client), ``scope``, ``iss``, ``aud``, ``iat``, ``exp``,
``jti``. Refresh tokens are random strings; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from crm_chassis.auth import Principal
from crm_chassis.token_cache import VerifiedTokenCache
from crm_contracts.access import Role

REFRESH_TOKEN_PREFIX = "crt_"  # noqa: S105 - a prefix


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: str
    issued_at: datetime
    expires_at: datetime

    @property
    def expires_in(self) -> int:
        return int((self.expires_at - self.issued_at).total_seconds())


@dataclass(frozen=True)
class VerifiedToken:
    """A verified access token: who it speaks for and its identity for revocation."""

    principal: Principal
    jti: str
    issued_at: datetime
    expires_at: datetime


class InvalidToken(Exception):
    """The token is malformed, forged, expired or not for this platform."""


class TokenIssuer:
    def __init__(
        self,
        private_key: str,
        public_key: str,
        *,
        issuer: str,
        audience: str,
        access_ttl: timedelta,
    ) -> None:
        self._private_key = private_key
        # Parsed once: PyJWT would parse the PEM text again on every verification.
        key = load_pem_public_key(public_key.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("The token verification key must be an Ed25519 public key.")
        self._public_key = key
        self._verified: VerifiedTokenCache[VerifiedToken] = VerifiedTokenCache()
        self._issuer = issuer
        self._audience = audience
        self.access_ttl = access_ttl

    def issue_access(
        self,
        *,
        subject: str,
        kind: str,
        roles: Iterable[Role],
        team: str | None,
        scope: str = "",
        now: datetime | None = None,
    ) -> IssuedToken:
        issued_at = (now or datetime.now(UTC)).replace(microsecond=0)
        expires_at = issued_at + self.access_ttl
        jti = uuid.uuid4().hex
        claims = {
            "sub": subject,
            "roles": sorted(role.value for role in roles),
            "team": team,
            "kind": kind,
            "scope": scope,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": issued_at,
            "exp": expires_at,
            "jti": jti,
        }
        token = jwt.encode(claims, self._private_key, algorithm="EdDSA")
        return IssuedToken(token, jti, issued_at, expires_at)

    def verify(self, token: str) -> VerifiedToken:
        """The token's claims, once its signature, issuer, audience and expiry hold."""
        cached = self._verified.get(token)
        if cached is not None:
            return cached
        verified = self._decode(token)
        self._verified.put(token, verified, expires_at=verified.expires_at.timestamp())
        return verified

    def _decode(self, token: str) -> VerifiedToken:
        try:
            claims = jwt.decode(
                token,
                self._public_key,
                algorithms=["EdDSA"],
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None
        roles = frozenset(Role(r) for r in claims.get("roles", []) if r in Role._value2member_map_)
        principal = Principal(
            subject=str(claims["sub"]),
            kind=str(claims.get("kind", "user")),
            roles=roles,
            team=claims.get("team"),
            scopes=frozenset(str(claims.get("scope") or "").split()),
            token=token,
        )
        return VerifiedToken(
            principal=principal,
            jti=str(claims.get("jti") or ""),
            issued_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        )


def new_refresh_token() -> str:
    return REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a secret token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()
