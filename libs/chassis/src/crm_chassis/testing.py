"""Test support for service teams: signing keys, tokens, and apps served for real.

Used by every service's integration tests and by the end-to-end tests; nothing
here is imported by production code.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

import aio_pika
import jwt
import uvicorn
from aio_pika.abc import AbstractIncomingMessage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from crm_contracts.access import Role
from crm_contracts.events.registry import EventData, to_cloud_event


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
        token_id: str | None = None,
    ) -> str:
        now = datetime.now(UTC)
        claims: dict[str, Any] = {
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
        if token_id is not None:
            claims["jti"] = token_id
        return jwt.encode(claims, self.private_pem, algorithm="EdDSA")


@contextmanager
def recorded_spans() -> Iterator[InMemorySpanExporter]:
    """Every span finished in this process meanwhile, kept in memory for assertions (the
    process-wide tracer provider is installed if none is yet)."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    provider.add_span_processor(processor)
    try:
        yield exporter
    finally:
        processor.shutdown()


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
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False, proxy_headers=False
    )
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


class EventProbe:
    """Stands on a test's exchange as the other services would: publishes their events,
    and records every event whose type matches ``watch`` (e.g. ``crm.customer.#``).

    Enter it after the app under test has started: the app declares the exchange.
    """

    def __init__(self, amqp_url: str, exchange: str, *, watch: str) -> None:
        self._url = amqp_url
        self._exchange_name = exchange
        self._watch = watch
        self.received: list[dict[str, Any]] = []

    async def __aenter__(self) -> EventProbe:
        self._connection = await aio_pika.connect_robust(self._url)
        channel = await self._connection.channel(publisher_confirms=True)
        self._exchange = await channel.get_exchange(self._exchange_name)
        self._queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await self._queue.bind(self._exchange, routing_key=self._watch)
        await self._queue.consume(self._record)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._connection.close()

    async def _record(self, message: AbstractIncomingMessage) -> None:
        async with message.process():
            self.received.append(json.loads(message.body))

    async def publish(self, data: EventData, *, event_id: str | None = None) -> str:
        """Publish ``data`` as its producing service would; returns the event id."""
        extra = {} if event_id is None else {"id": event_id}
        event = to_cloud_event(data, **extra)
        await self._exchange.publish(
            aio_pika.Message(
                event.to_json_bytes(),
                content_type="application/cloudevents+json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=event.id,
            ),
            routing_key=event.type,
        )
        return event.id

    async def publish_many(self, events: Sequence[EventData], concurrency: int = 50) -> None:
        for start in range(0, len(events), concurrency):
            batch = events[start : start + concurrency]
            await asyncio.gather(*(self.publish(data) for data in batch))

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [event for event in self.received if event["type"] == event_type]
