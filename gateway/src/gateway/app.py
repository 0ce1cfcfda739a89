"""The gateway app factory: the one place where the gateway is wired.

The chassis' ``create_service_app`` does not fit the gateway (it signs tokens,
serves a merged OpenAPI document, needs Redis and a forwarding path that runs
before routing), so the chassis pieces are composed here instead: settings,
logging, tracing, problem+json, request ids, body limits, metrics, MongoDB and
the events: the consumer (for webhooks) and the outbox of the users collection (the
user directory's crm.gateway.user.changed.v1).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import aiohttp
import httpx
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from redis.asyncio import BlockingConnectionPool, Redis

from crm_chassis.auth import TokenVerifier, allowed
from crm_chassis.errors import Problem, install_problem_handlers
from crm_chassis.events import Eventing
from crm_chassis.forwarded import TrustedProxyMiddleware
from crm_chassis.inputs import UnknownQueryParameters, require_strict_bodies
from crm_chassis.logging import configure_logging
from crm_chassis.metrics import HttpMetricsMiddleware
from crm_chassis.middleware import BodySizeLimitMiddleware, RequestIdMiddleware
from crm_chassis.mongo import create_client, database, ensure_indexes
from crm_chassis.redis_guard import RedisGuard
from crm_chassis.shutdown import stopping
from crm_chassis.tracing import configure_tracing
from crm_contracts.access import Permission
from gateway import accounts
from gateway.api import (
    audit,
    auth,
    clients,
    dead_letters,
    operations,
    people,
    session,
    users,
    webhooks,
)
from gateway.console import console_route
from gateway.domain.passwords import PasswordHashing
from gateway.domain.targets import TargetPolicy
from gateway.domain.tokens import TokenIssuer
from gateway.edge.audit import AuditRecorder
from gateway.edge.denylist import DenyList
from gateway.edge.headers import SecurityHeadersMiddleware
from gateway.edge.idempotency import IdempotencyStore
from gateway.edge.local_limits import LocalRateLimiter
from gateway.edge.pipeline import OWN_PREFIXES, EdgeMiddleware
from gateway.edge.ratelimit import Admitter
from gateway.edge.signin_limits import SignInLimiter
from gateway.edge.telemetry import instrument, route_name
from gateway.handlers import BINDINGS, build_handlers
from gateway.hashing import HashingGate
from gateway.proxy.forward import Forwarder, upstream_session
from gateway.proxy.upstreams import Upstreams
from gateway.runtime import GatewayRuntime
from gateway.settings import Settings
from gateway.store import INDEXES, USERS
from gateway.store.accounts import ClientStore, RefreshTokenStore, UserStore
from gateway.store.audit import AuditStore
from gateway.store.specs import SpecStore
from gateway.store.webhooks import DeliveryStore, SubscriptionStore
from gateway.webhooks.delivery import WebhookDeliverer

log = logging.getLogger(__name__)

ROUTERS = [
    auth.router,
    session.router,
    users.router,
    people.router,
    clients.router,
    webhooks.subscriptions_router,
    webhooks.deliveries_router,
    audit.router,
    dead_letters.router,
]
_WARM_REDIS_CONNECTIONS = 4
_PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {"application/problem+json": {}}}
    for code in (400, 401, 403, 404, 409, 412, 422, 428, 429, 503)
}


def _http_client(settings: Settings) -> httpx.AsyncClient:
    upstream = settings.upstream
    return httpx.AsyncClient(
        timeout=httpx.Timeout(
            upstream.read_timeout_seconds,
            connect=upstream.connect_timeout_seconds,
            pool=upstream.connect_timeout_seconds,
        ),
        limits=httpx.Limits(
            max_connections=upstream.max_connections,
            max_keepalive_connections=upstream.max_keepalive_connections,
        ),
        follow_redirects=False,
        trust_env=False,
    )


def _build_runtime(
    settings: Settings,
    app: FastAPI,
    http: httpx.AsyncClient,
    forwarding: tuple[aiohttp.ClientSession, aiohttp.ClientSession],
    redis: Redis,
) -> GatewayRuntime:
    """``forwarding``: the pooled clients for requests and for event streams."""
    mongo = create_client(
        settings.mongo_url.get_secret_value(), timeout_ms=settings.mongo_timeout_ms
    )
    db = database(mongo, settings.mongo_db)
    guard = RedisGuard(
        redis, retry_seconds=settings.redis_retry_seconds, what="token deny-list and limits"
    )
    access_ttl = timedelta(minutes=settings.access_token_minutes)
    upstreams = Upstreams(
        settings.service_urls.as_dict(),
        http,
        SpecStore(db),
        settings.upstream,
        own_prefixes=OWN_PREFIXES,
        own_document=lambda: own_openapi(app),
    )
    subscriptions, deliveries = SubscriptionStore(db), DeliveryStore(db)
    policy = TargetPolicy(settings.webhooks.allowed_targets)
    audit_log = AuditStore(db)
    admitter = Admitter(guard, LocalRateLimiter(settings.rate_limits.fallback_max_keys))
    return GatewayRuntime(
        settings=settings,
        mongo=mongo,
        db=db,
        redis=guard,
        issuer=TokenIssuer(
            settings.jwt_signing_key(),
            settings.jwt_verification_key(),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            access_ttl=access_ttl,
        ),
        passwords=HashingGate(
            PasswordHashing(
                time_cost=settings.password_hash.time_cost,
                memory_kib=settings.password_hash.memory_kib,
                parallelism=settings.password_hash.parallelism,
            ),
            slots=settings.concurrent_hashes(),
            wait_seconds=settings.sign_in.hash_wait_seconds,
        ),
        sign_in_limits=SignInLimiter(
            guard,
            per_account=settings.sign_in.failures_per_account,
            per_address=settings.sign_in.failures_per_address,
            window_seconds=settings.sign_in.failure_window_seconds,
        ),
        deny_list=DenyList(guard, access_ttl),
        admitter=admitter,
        idempotency=IdempotencyStore(
            guard,
            ttl_seconds=settings.idempotency_ttl_seconds,
            pending_seconds=int(settings.upstream.read_timeout_seconds) + 30,
        ),
        upstreams=upstreams,
        forwarder=Forwarder(
            upstreams, *forwarding, settings.upstream, admitter.revoked, stopping(app)
        ),
        audit=AuditRecorder(audit_log, settings.service_name),
        audit_log=audit_log,
        users=UserStore(db),
        clients=ClientStore(db),
        refresh_tokens=RefreshTokenStore(db),
        subscriptions=subscriptions,
        deliveries=deliveries,
        target_policy=policy,
        deliverer=WebhookDeliverer(settings.webhooks, subscriptions, deliveries, policy),
    )


async def _open_redis_connections(guard: RedisGuard, most: int) -> None:
    """Open the few pooled connections a burst's batched admissions use now (the
    connections of a 1,000-request burst: two), not under the burst: opened in an event
    loop busy with it, they ran out the connect timeout and the guard failed every request
    closed. A new replica gets such a burst as soon as it is ready, when the console
    streams of a replica that went away reconnect. Best effort: Redis may be down."""
    await asyncio.gather(*(guard.probe() for _ in range(min(_WARM_REDIS_CONNECTIONS, most))))


def own_openapi(app: FastAPI) -> dict[str, Any]:
    return get_openapi(
        title=app.title, version=app.version, routes=app.routes, description=app.description
    )


def create_app(settings: Settings) -> FastAPI:
    require_strict_bodies([operations.router, *ROUTERS])
    configure_logging(settings.service_name, settings.log_level)
    configure_tracing(settings.service_name, settings.otlp_endpoint, settings.trace_sample_ratio)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        http = _http_client(settings)
        forwarding = upstream_session(
            settings.upstream, connections=settings.upstream.max_connections
        )
        streaming = upstream_session(settings.upstream, connections=settings.upstream.max_streams)
        redis = Redis.from_pool(  # owns the pool: closed with the client
            BlockingConnectionPool.from_url(
                settings.redis_url.get_secret_value(),
                max_connections=settings.redis_max_connections,
                timeout=settings.redis_pool_wait_seconds,
                socket_timeout=settings.redis_timeout_seconds,
                socket_connect_timeout=settings.redis_timeout_seconds,
            )
        )
        runtime = _build_runtime(settings, app, http, (forwarding, streaming), redis)
        eventing: Eventing | None = None
        try:
            await _open_redis_connections(runtime.redis, settings.redis_max_connections)
            await ensure_indexes(runtime.db, INDEXES)
            await runtime.audit_log.keep_for(settings.audit_retention_days * 86400)
            await accounts.ensure_first_admin(runtime)
            await accounts.announce_stored_accounts(runtime)
            await runtime.passwords.warm()
            await runtime.upstreams.start()
            eventing = Eventing(
                settings.eventing(),
                runtime.db,
                service=settings.service_name,
                outbox_collections=(USERS,),
                handlers=build_handlers(
                    runtime.subscriptions, runtime.deliveries, runtime.deliverer
                ),
                bindings=BINDINGS,
            )
            app.include_router(
                eventing.dead_letters_router,
                dependencies=[allowed(Permission.EVENTS_ADMIN)],
                include_in_schema=False,
            )
            if settings.console_dir is not None:  # last: it answers every other GET
                app.router.routes.append(console_route(settings.console_dir))
            await eventing.start()
            runtime.eventing = eventing
            await runtime.deliverer.start()
            app.state.gateway = runtime
            log.info("gateway ready; services: %s", runtime.upstreams.table.services())
            yield
        finally:
            await runtime.deliverer.stop()
            if eventing is not None:
                await eventing.stop()
            await runtime.upstreams.stop()
            await runtime.audit.drain()
            await http.aclose()
            await forwarding.close()
            await streaming.close()
            await redis.aclose()
            await runtime.mongo.close()
            runtime.passwords.close()

    app = FastAPI(
        title="CRM gateway",
        version="1.0.0",
        description="Identity, access, webhooks and audit of the CRM platform.",
        lifespan=lifespan,
        responses=_PROBLEM_RESPONSES,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        # The gateway's own routes refuse undeclared query parameters; forwarded requests
        # never reach routing (the edge forwards them), so each service judges its own.
        dependencies=[Depends(UnknownQueryParameters())],
    )
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier(
        settings.jwt_verification_key(), issuer=settings.jwt_issuer, audience=settings.jwt_audience
    )
    install_problem_handlers(app)
    # Added innermost first: the last one added runs first on a request.
    app.add_middleware(EdgeMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.profile == "production")
    app.add_middleware(HttpMetricsMiddleware, service=settings.service_name, route_of=route_name)
    app.add_middleware(RequestIdMiddleware)
    if settings.cors_allow_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allow_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-Match"],
            expose_headers=[
                "ETag",
                "Location",
                "Retry-After",
                "RateLimit-Limit",
                "RateLimit-Remaining",
                "RateLimit-Reset",
                "X-Request-ID",
            ],
            max_age=600,
        )
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxies)
    instrument(app)
    app.include_router(operations.router)
    for router in ROUTERS:
        app.include_router(router)
    return app
