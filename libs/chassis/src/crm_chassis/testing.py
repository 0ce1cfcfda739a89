"""Test support for service teams: signing keys, tokens, and apps served for real.

Used by every service's integration tests and by the end-to-end tests; nothing
here is imported by production code.
"""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from crm_contracts.access import Role


@dataclass(frozen=True)
class SigningKeys:
    """An Ed25519 key pair in PEM, as the gateway and the services are configured."""

    private_pem: str
    public_pem: str

    @classmethod
    def generate(cls) -> SigningKeys:
        key = Ed25519PrivateKey.generate()
        private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        public_pem = (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        return cls(private_pem=private_pem, public_pem=public_pem)

    def token(
        self,
        *roles: Role,
        subject: str | None = None,
        team: str | None = None,
        ttl: timedelta = timedelta(minutes=15),
        issuer: str = "crm-gateway",
        audience: str = "crm",
        kind: str = "user",
        scope: str = "",
    ) -> str:
        now = datetime.now(UTC)
        claims = {
            "sub": subject or f"user-{uuid.uuid4().hex[:8]}",
            "roles": [role.value for role in roles],
            "team": team,
            "kind": kind,
            "scope": scope,
            "iss": issuer,
            "aud": audience,
            "iat": now,
            "exp": now + ttl,
        }
        return jwt.encode(claims, self.private_pem, algorithm="EdDSA")


def auth_header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@asynccontextmanager
async def serve_app(app: FastAPI, port: int | None = None) -> AsyncIterator[str]:
    """Serve ``app`` over real HTTP on loopback for the duration of the block; yields its URL."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        await wait_until(lambda: _started(server), timeout=30, what=f"app on port {port}")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def _started(server: uvicorn.Server) -> bool:
    return server.started


async def wait_until(
    condition: Callable[[], Awaitable[bool]],
    *,
    timeout: float = 10.0,
    interval: float = 0.02,
    what: str = "condition",
) -> None:
    """Poll ``condition`` until it holds or the deadline passes (never a bare sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        if await condition():
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout} s")
        await asyncio.sleep(interval)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"
