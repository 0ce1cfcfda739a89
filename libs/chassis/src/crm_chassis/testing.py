"""Test support for service teams: signing keys, tokens, and apps served for real.

Used by every service's integration tests and by the end-to-end tests; nothing
here is imported by production code. The pytest fixtures built on it are in
:mod:`crm_chassis.pytest_plugin`: a service's app served over real HTTP
(:class:`RunningService`, started by a :class:`ServiceRunner`), tokens per role
(:class:`Tokens`), an event probe (:class:`EventProbe`) and :func:`wait_until`.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import EllipsisType, TracebackType
from typing import Any, ClassVar, Generic, TypeVar

import aio_pika
import httpx
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
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from crm_chassis.service import ServiceRuntime
from crm_chassis.settings import ServiceSettings
from crm_chassis.shutdown import GracefulServer
from crm_contracts.access import Role
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.registry import EventData, to_cloud_event

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)
ServiceT = TypeVar("ServiceT", bound="RunningService[Any]")
# A test's HTTP calls may wait on a loaded machine (imports, exports, 500 at once);
# pytest-timeout ends a test that hangs.
CLIENT_TIMEOUT = httpx.Timeout(60.0)


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


@dataclass(frozen=True)
class Tokens:
    """Tokens the gateway would issue, signed with one session's keys: a caller per role."""

    keys: SigningKeys

    def token_for(
        self, role: Role, *, team: str | None = None, user_id: str | None = None, **claims: Any
    ) -> str:
        """A token of ``role`` for ``user_id`` (a fresh id when none) in ``team``; further
        claims as :meth:`SigningKeys.token` takes them (``ttl``, ``kind``, ``scope``, ...)."""
        return self.keys.token(role, subject=user_id, team=team, **claims)

    def headers_for(
        self, role: Role, *, team: str | None = None, user_id: str | None = None, **claims: Any
    ) -> dict[str, str]:
        """The ``Authorization`` header of :meth:`token_for`."""
        return auth_header(self.token_for(role, team=team, user_id=user_id, **claims))


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
async def serve_app(
    app: FastAPI, port: int | None = None, *, startup_timeout: float = 60.0
) -> AsyncIterator[str]:
    """Serve ``app`` over real HTTP on loopback for the duration of the block; yields its URL.

    uvicorn runs the app's lifespan: a start-up that fails ends the block at once (the
    app's log says why) instead of waiting out ``startup_timeout``. Idle connections are
    kept as long as a deployed service keeps them: with uvicorn's 5 s, a service closed
    a connection the gateway's pool (30 s) was reusing, and a POST through it was 502.
    """
    port = port or free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        lifespan="on",
        log_config=None,
        access_log=False,
        proxy_headers=False,
        timeout_graceful_shutdown=10,
        timeout_keep_alive=ServiceSettings.model_fields["http_keep_alive_seconds"].default,
    )
    server = GracefulServer(config, app)  # as run_service: streams end when it stops

    async def serve() -> None:
        # uvicorn ends a failed start-up (lifespan, port in use) with sys.exit, which
        # would stop the test's event loop itself: keep it an error of this block.
        try:
            await server.serve()
        except SystemExit as stopped:
            raise RuntimeError(
                f"the app on port {port} stopped while starting (exit {stopped.code}; "
                "its log says why)"
            ) from None

    task = asyncio.create_task(serve())

    def started() -> bool:
        if task.done():
            task.result()  # raises what ended it, if anything did
            raise RuntimeError(f"the app on port {port} stopped while starting (see its log)")
        return server.started

    try:
        await wait_until(started, timeout=startup_timeout, what=f"app on port {port}")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def wait_until(
    condition: Callable[[], object],
    *,
    timeout: float = 15.0,
    interval: float = 0.02,
    what: str = "condition",
) -> None:
    """Poll ``condition`` (a plain or an async function) until it returns something true,
    or raise ``TimeoutError`` once ``timeout`` seconds have passed (never a bare sleep).
    The default allows a broker round trip and a write on a loaded two-core CI host."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
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
        await self.publish_event(event)
        return event.id

    async def publish_event(self, event: CloudEvent) -> None:
        """Publish an event already enveloped, routed by its type."""
        await self._exchange.publish(
            aio_pika.Message(
                event.to_json_bytes(),
                content_type="application/cloudevents+json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=event.id,
            ),
            routing_key=event.type,
        )

    async def publish_many(self, events: Sequence[EventData], concurrency: int = 50) -> None:
        for start in range(0, len(events), concurrency):
            batch = events[start : start + concurrency]
            await asyncio.gather(*(self.publish(data) for data in batch))

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [event for event in self.received if event["type"] == event_type]

    def cloud_events(self, event_type: str) -> list[CloudEvent]:
        """The events of ``event_type`` received so far, parsed."""
        return [CloudEvent.model_validate(event) for event in self.of_type(event_type)]

    async def wait_for(
        self, event_type: str, *, count: int = 1, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """The events of ``event_type`` once at least ``count`` of them arrived; raises
        ``TimeoutError`` when they have not within ``timeout`` seconds."""
        await wait_until(
            lambda: len(self.of_type(event_type)) >= count,
            timeout=timeout,
            what=f"{count} {event_type} event(s)",
        )
        return self.of_type(event_type)


@dataclass
class RunningService(Generic[SettingsT]):
    """A service's app served over real HTTP for a test, with a client, tokens, an event
    probe on its exchange and a raw client to its database.

    A service's tests subclass it to say who calls when a test names nobody (the class
    attributes below) and to add helpers of their own; :meth:`ServiceRunner.serve`
    starts one.
    """

    # ``auth()`` without arguments: this role, user id and team.
    caller_role: ClassVar[Role] = Role.ADMIN
    caller_id: ClassVar[str] = "u-admin"
    caller_team: ClassVar[str | None] = None
    # ``admin``: an administrator with this user id.
    admin_id: ClassVar[str] = "u-admin"
    # The routing keys ``bus`` records (it publishes any).
    watch: ClassVar[str] = "#"

    app: FastAPI
    url: str
    client: httpx.AsyncClient
    settings: SettingsT
    tokens: Tokens
    bus: EventProbe
    raw: AsyncMongoClient[dict[str, Any]]

    @property
    def keys(self) -> SigningKeys:
        return self.tokens.keys

    @property
    def runtime(self) -> ServiceRuntime:
        runtime: ServiceRuntime = self.app.state.runtime
        return runtime

    def auth(
        self,
        role: Role | None = None,
        subject: str | None = None,
        team: str | EllipsisType | None = ...,
    ) -> dict[str, str]:
        """Headers with a token of ``role`` for ``subject`` in ``team``; each left out is
        the class's caller's."""
        return self.tokens.headers_for(
            role or self.caller_role,
            user_id=subject or self.caller_id,
            team=self.caller_team if isinstance(team, EllipsisType) else team,
        )

    @property
    def admin(self) -> dict[str, str]:
        """Headers of an administrator (``admin_id``, no team)."""
        return self.auth(Role.ADMIN, subject=self.admin_id, team=None)

    def collection(self, name: str) -> AsyncCollection[dict[str, Any]]:
        """A collection of this service's database, read raw (no codecs, no decryption)."""
        return self.raw[self.settings.mongo_db][name]


class ServiceRunner:
    """Starts a test's services: settings of its own database, with a fresh service name
    and exchange each time, and apps served for real on the given servers."""

    def __init__(
        self,
        *,
        tokens: Tokens,
        mongo_url: str,
        amqp_url: str,
        mongo_db: str,
        smtp: Callable[[], Any] | None = None,
    ) -> None:
        self.tokens = tokens
        self.mongo_url = mongo_url
        self.amqp_url = amqp_url
        self.mongo_db = mongo_db
        self._smtp = smtp

    def settings(
        self,
        settings_class: type[SettingsT],
        name: str,
        *,
        events: Mapping[str, Any] | None = None,
        **overrides: Any,
    ) -> SettingsT:
        """``settings_class`` for this test at test speed: the test's database, a service
        name and an exchange of its own, the session's public key; ``events`` adds to the
        eventing settings, other keywords override fields."""
        values: dict[str, Any] = {
            "service_name": unique_name(name),
            "jwt_public_key": self.tokens.keys.public_pem,
            "mongo_url": self.mongo_url,
            "mongo_db": self.mongo_db,
            "amqp_url": self.amqp_url,
            **overrides,
            "events": {
                "exchange": unique_name("crm_test"),
                "retry_delays_seconds": [0.2],
                "relay_poll_seconds": 0.1,
                **(events or {}),
            },
        }
        return settings_class(**values)

    def smtp(self) -> dict[str, Any]:
        """The ``smtp`` settings of the session's SMTP capture server (started on first use)."""
        if self._smtp is None:
            raise RuntimeError("this runner was made without an SMTP server")
        capture = self._smtp()
        return {"host": capture.host, "port": capture.port}

    def serve(self, kind: type[ServiceT], app: FastAPI) -> AbstractAsyncContextManager[ServiceT]:
        """Serve ``app`` (made by ``create_service_app``, whose settings it reads) over real
        HTTP for the block: ``async with runner.serve(Service, create_app(settings)) as s``."""
        return self._serve(kind, app)

    @asynccontextmanager
    async def _serve(self, kind: type[ServiceT], app: FastAPI) -> AsyncIterator[ServiceT]:
        settings = app.state.settings
        raw: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(self.mongo_url, tz_aware=True)
        try:
            async with (
                serve_app(app) as url,
                EventProbe(self.amqp_url, settings.events.exchange, watch=kind.watch) as bus,
                httpx.AsyncClient(base_url=url, timeout=CLIENT_TIMEOUT) as client,
            ):
                yield kind(app, url, client, settings, self.tokens, bus, raw)
        finally:
            await raw.close()
