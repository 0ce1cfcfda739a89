"""The app factory every service uses: the one place where the chassis is wired.

A service describes itself with a :class:`ServiceDefinition` (its routers, its
indexes, the collections carrying an outbox, its event handler table) and gets a
FastAPI app with health, readiness, metrics, problem+json errors, tracing, token
verification and the event bus started and stopped with the app's lifespan. Its
requests carry only what each operation declares: a body model that would drop unknown
fields stops the app from being built, and undeclared query parameters get 422.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from uvicorn.config import STARTUP_FAILURE

from crm_chassis.auth import TokenVerifier, allowed
from crm_chassis.errors import Problem, install_problem_handlers
from crm_chassis.events import EventHandler, Eventing, EventingSettings
from crm_chassis.events.eventing import eventing_indexes
from crm_chassis.forwarded import TrustedProxyMiddleware
from crm_chassis.inputs import UnknownQueryParameters, require_strict_bodies
from crm_chassis.logging import configure_logging
from crm_chassis.metrics import HttpMetricsMiddleware, metrics_endpoint
from crm_chassis.middleware import BodySizeLimitMiddleware, RequestIdMiddleware
from crm_chassis.mongo import (
    Document,
    IndexPlan,
    create_client,
    database,
    ensure_indexes,
    indexes_on_same_key,
    merge_index_plans,
    ping,
)
from crm_chassis.revocation import revocation_list
from crm_chassis.settings import ServiceSettings
from crm_chassis.shutdown import GracefulServer
from crm_chassis.tracing import configure_tracing, instrument_app
from crm_contracts.access import Permission

log = logging.getLogger(__name__)

PartT = TypeVar("PartT")


@dataclass
class ServiceRuntime:
    """What a running service holds: its settings, database and event bus.

    Handler tables are built from the runtime before the bus exists (the bus needs
    them), so the bus is attached afterwards and reached through ``eventing``.
    """

    settings: ServiceSettings
    mongo: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    extras: dict[str, Any] = field(default_factory=dict)
    _eventing: Eventing | None = None

    @property
    def eventing(self) -> Eventing:
        if self._eventing is None:
            raise RuntimeError("the event bus is not attached yet")
        return self._eventing

    def notify_outbox(self) -> None:
        """Wake the outbox relay after a write that added events."""
        self.eventing.notify_outbox()

    def part(self, build: Callable[[ServiceRuntime], PartT]) -> PartT:
        """What ``build`` makes from this runtime, made once and kept: a service's
        ``components(runtime)`` is ``runtime.part(build_components)``. Event handlers may
        ask before the start-up hooks run, so the first caller builds it."""
        key = f"part:{build.__module__}.{build.__qualname__}"
        if key not in self.extras:
            self.extras[key] = build(self)
        made: PartT = self.extras[key]
        return made


HandlerFactory = Callable[[ServiceRuntime], Mapping[str, EventHandler]]
RuntimeHook = Callable[[ServiceRuntime], Awaitable[None]]


def _no_handlers(_: ServiceRuntime) -> Mapping[str, EventHandler]:
    return {}


@dataclass
class ServiceDefinition:
    """Everything the chassis needs to know about one service."""

    title: str
    routers: Sequence[APIRouter]
    indexes: IndexPlan = field(default_factory=dict)
    outbox_collections: Sequence[str] = ()
    handlers: HandlerFactory = _no_handlers
    bindings: Sequence[str] | None = None
    on_start: Sequence[RuntimeHook] = ()
    on_stop: Sequence[RuntimeHook] = ()
    version: str = "0.1.0"
    description: str = ""


async def get_runtime(request: Request) -> ServiceRuntime:
    # Dependencies are ``async def`` even without an await: FastAPI runs a plain ``def``
    # dependency in a worker thread, a hand-off per request that cost more than the work.
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]

_PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {"application/problem+json": {}}}
    for status in (400, 401, 403, 404, 409, 412, 413, 422, 428, 503)
}


def require_distinct_indexes(definition: ServiceDefinition, eventing: EventingSettings) -> None:
    """Refuse a service whose indexes, with those the event machinery creates, index one
    key of a collection twice: real MongoDB would refuse to create the second."""
    plan = merge_index_plans(
        definition.indexes, eventing_indexes(definition.outbox_collections, eventing)
    )
    twice = indexes_on_same_key(plan)
    if twice:
        raise ValueError(f"{definition.title}: indexes on the same key: {'; '.join(twice)}")


def create_service_app(definition: ServiceDefinition, settings: ServiceSettings) -> FastAPI:
    require_strict_bodies(definition.routers)
    require_distinct_indexes(definition, settings.eventing())
    configure_logging(settings.service_name, settings.log_level)
    configure_tracing(settings.service_name, settings.otlp_endpoint, settings.trace_sample_ratio)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        mongo = create_client(
            settings.mongo_url.get_secret_value(), timeout_ms=settings.mongo_timeout_ms
        )
        db = database(mongo, settings.mongo_db)
        runtime: ServiceRuntime | None = None
        if settings.revocation_redis_url is not None:
            app.state.revocations = revocation_list(
                settings.revocation_redis_url.get_secret_value()
            )
        try:
            await ensure_indexes(db, definition.indexes)
            runtime = ServiceRuntime(settings=settings, mongo=mongo, db=db)
            eventing = Eventing(
                settings.eventing(),
                db,
                service=settings.service_name,
                outbox_collections=definition.outbox_collections,
                handlers=definition.handlers(runtime),
                bindings=definition.bindings,
            )
            runtime._eventing = eventing
            app.state.runtime = runtime
            app.include_router(
                eventing.dead_letters_router,
                dependencies=[allowed(Permission.EVENTS_ADMIN)],
                include_in_schema=False,
            )
            await eventing.start()
            for hook in definition.on_start:
                await hook(runtime)
            log.info("service %s ready", settings.service_name)
            yield
        finally:
            if runtime is not None:
                for hook in definition.on_stop:
                    await hook(runtime)
                await runtime.eventing.stop()
            await mongo.close()
            if getattr(app.state, "revocations", None) is not None:
                await app.state.revocations.close()

    app = FastAPI(
        title=definition.title,
        version=definition.version,
        description=definition.description,
        lifespan=lifespan,
        responses=_PROBLEM_RESPONSES,
        # Every route refuses query parameters it does not declare, as bodies do fields.
        dependencies=[Depends(UnknownQueryParameters())],
    )
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier(
        settings.jwt_verification_key(), issuer=settings.jwt_issuer, audience=settings.jwt_audience
    )
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(HttpMetricsMiddleware, service=settings.service_name)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxies)
    app.include_router(_operations_router())
    for router in definition.routers:
        app.include_router(router)
    instrument_app(app)
    return app


def _operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @router.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        runtime: ServiceRuntime | None = getattr(request.app.state, "runtime", None)
        if runtime is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        # Only the database decides readiness: while the broker is away, writes still
        # succeed (their events wait in the outbox), so taking every pod out of the
        # load balancer would turn a broker outage into a full outage.
        checks = {"mongo": await ping(runtime.db), **await runtime.eventing.ready()}
        ready = checks["mongo"]
        status = "ready" if all(checks.values()) else "degraded" if ready else "not ready"
        return JSONResponse({"status": status, "checks": checks}, status_code=200 if ready else 503)

    router.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    return router


def run_service(app: FastAPI, settings: ServiceSettings) -> None:
    """Serve the app with uvicorn; SIGTERM ends the responses that wait on
    :func:`crm_chassis.shutdown.stopping` (event streams), drains in-flight requests, then
    the lifespan stops consuming and flushes the outbox."""
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
        timeout_keep_alive=settings.http_keep_alive_seconds,
        # Off: uvicorn would believe X-Forwarded-For from loopback. The app's
        # TrustedProxyMiddleware believes it only from CRM_TRUSTED_PROXIES.
        proxy_headers=False,
    )
    server = GracefulServer(config, app)
    server.run()
    if not server.started:  # as uvicorn.run: a start-up that failed is the process' failure
        sys.exit(STARTUP_FAILURE)
