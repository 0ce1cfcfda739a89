"""What happens to every request before it reaches a route or a service.

Every path the gateway serves goes through here (``/api/v1/`` and the operations'
``/admin/...`` alike), except the few that must answer anyone and carry no data of
the platform's: health, readiness, metrics, the API description and docs, and the
console's static files.

In order: verify the bearer token (signature, expiry); in one Redis round trip,
check the deny-list and take a rate-limit token; replay or claim an
``Idempotency-Key`` (for callers with a token only); then hand the request to the
gateway's own routes or forward it to the owning service. Writes are audited once
answered (refused anonymous ones only counted, see :mod:`gateway.domain.audit`).
When Redis does not answer, a request with a token gets 503 and ``Retry-After``
(fail closed); one without is limited in this process. Plain ASGI, because this is
the hot path of every call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_chassis.errors import (
    FieldError,
    InvalidInput,
    ProblemError,
    TooManyRequests,
    Unauthenticated,
)
from crm_chassis.logging import request_id_var
from crm_chassis.redis_guard import RedisUnavailable
from gateway.domain.audit import (
    WRITE_METHODS,
    AuditEntry,
    is_audited,
    new_entry_id,
    outcome_of,
    stored_path,
)
from gateway.domain.ratelimit import RatePolicy, rate_policy
from gateway.domain.routing import API_PREFIX
from gateway.domain.tokens import InvalidToken, VerifiedToken
from gateway.edge.idempotency import MAX_KEY_LENGTH, StoredResponse, fingerprint
from gateway.edge.ratelimit import Admission
from gateway.errors import IdempotencyInProgress, IdempotencyKeyReused, send_problem

if TYPE_CHECKING:
    from gateway.runtime import GatewayRuntime

OWN_PREFIXES = frozenset(
    {
        "auth",
        "users",
        "people",
        "integration-clients",
        "webhook-subscriptions",
        "webhook-deliveries",
        "audit-log",
        "dead-letters",
    }
)
_BEARER = "bearer "


# Open to anyone, without a token check, rate limit or audit: probes and descriptions.
OPEN_PATHS = frozenset(
    {"/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect"}
)
CONSOLE_ROUTE = "console"  # the name of the console's catch-all route (gateway.console)


def is_own_path(path: str) -> bool:
    """Served by the gateway's own routes (everything outside ``/api/v1/`` is), not
    forwarded to a service."""
    if not path.startswith(API_PREFIX):
        return True
    return path[len(API_PREFIX) :].split("/", 1)[0] in OWN_PREFIXES


def is_open(scope: Scope) -> bool:
    """Paths that skip the pipeline: :data:`OPEN_PATHS`, and what the console's
    catch-all route serves (its files and deep links), since no other route takes it."""
    path: str = scope["path"]
    if path in OPEN_PATHS:
        return True
    if path.startswith("/api/"):
        return False
    for route in getattr(scope["app"].router, "routes", []):
        match, _ = route.matches(scope)
        if match != Match.NONE:
            return match == Match.FULL and getattr(route, "name", None) == CONSOLE_ROUTE
    return False


@dataclass
class _Exchange:
    """What the pipeline learns about one request while it runs."""

    started: float
    token: VerifiedToken | None = None
    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    body_overflow: bool = False


def client_address(scope: Scope) -> str:
    """The caller's address, as :class:`crm_chassis.forwarded.TrustedProxyMiddleware`
    left it (forwarded headers are believed only from ``CRM_TRUSTED_PROXIES``)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class EdgeMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_open(scope):
            await self.app(scope, receive, send)
            return
        runtime: GatewayRuntime = scope["app"].state.gateway
        exchange = _Exchange(started=time.perf_counter())
        path: str = scope["path"]
        refused: Unauthenticated | None = None
        try:
            exchange.token = self._verify(runtime, scope)
        except Unauthenticated as error:
            refused = error  # still counted against the caller's address below
        try:
            policy, admission = await self._admit(runtime, scope, exchange.token)
        except RedisUnavailable as unavailable:
            await self._finish(runtime, scope, exchange, send, unavailable)
            return
        decision = admission.decision
        if decision is not None and not decision.allowed:
            limited = TooManyRequests("Slow down; see Retry-After.")
            await self._finish(runtime, scope, exchange, send, limited, decision.headers(policy))
            return
        if admission.revoked:  # the token stays on the exchange: the audit names its holder
            refused = Unauthenticated(
                "This token has been revoked.",
                headers={"WWW-Authenticate": 'Bearer realm="crm", error="invalid_token"'},
            )
        if refused is not None:
            await self._finish(runtime, scope, exchange, send, refused)
            return
        scope.setdefault("state", {})["verified_token"] = exchange.token
        limit_headers = [] if decision is None else _encode(decision.headers(policy))

        async def send_recorded(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
                message["headers"] = [*message.get("headers", []), *limit_headers]
                exchange.headers = list(message["headers"])
            await send(message)

        idempotency_key = _header(scope, b"idempotency-key")
        # Only for a caller with a token: anonymous responses (sign-ins, refusals) are
        # not worth a day in Redis, and anyone could fill it with them.
        if scope["method"] == "POST" and idempotency_key is not None and exchange.token:
            await self._with_idempotency(
                runtime, scope, receive, send_recorded, exchange, idempotency_key
            )
        else:
            await self._dispatch(runtime, scope, receive, send_recorded, exchange.token)
        self._audit(runtime, scope, exchange, path)

    def _verify(self, runtime: GatewayRuntime, scope: Scope) -> VerifiedToken | None:
        header = _header(scope, b"authorization")
        if header is None:
            return None
        if header[: len(_BEARER)].lower() != _BEARER:
            return None  # e.g. HTTP Basic client credentials at the token endpoint
        try:
            token = runtime.issuer.verify(header[len(_BEARER) :].strip())
        except InvalidToken as error:
            raise Unauthenticated(
                f"Invalid token: {error}.",
                headers={"WWW-Authenticate": 'Bearer realm="crm", error="invalid_token"'},
            ) from None
        return token

    async def _admit(
        self, runtime: GatewayRuntime, scope: Scope, token: VerifiedToken | None
    ) -> tuple[RatePolicy, Admission]:
        """One Redis round trip: is the token revoked, may the caller send another request."""
        limits = runtime.settings.rate_limits
        policy = rate_policy(
            None if token is None else token.principal,
            client_address(scope),
            anonymous=limits.anonymous,
            default=limits.default,
            per_role=limits.per_role,
            per_client=limits.per_client,
            window_seconds=limits.window_seconds,
        )
        admission = await runtime.admitter.admit(
            policy if limits.enabled else None, token.jti if token else None
        )
        return policy, admission

    async def _dispatch(
        self,
        runtime: GatewayRuntime,
        scope: Scope,
        receive: Receive,
        send: Send,
        token: VerifiedToken | None,
    ) -> None:
        if is_own_path(scope["path"]):
            await self.app(scope, receive, send)
        else:
            await runtime.forwarder.handle(scope, receive, send, token)

    async def _with_idempotency(
        self,
        runtime: GatewayRuntime,
        scope: Scope,
        receive: Receive,
        send: Send,
        exchange: _Exchange,
        key: str,
    ) -> None:
        path: str = scope["path"]
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            error = InvalidInput(
                "Idempotency-Key must be 1 to 255 printable characters.",
                errors=[FieldError(field="header.Idempotency-Key", reason="invalid")],
            )
            await send_problem(send, error, path)
            return
        body, complete = await _read_body(receive, runtime.settings.max_body_bytes)
        if not complete:
            await self._dispatch(
                runtime, scope, _replay(body, receive, complete=False), send, exchange.token
            )
            return
        assert exchange.token is not None
        principal = exchange.token.principal
        actor = f"{principal.kind}:{principal.subject}"
        print_ = fingerprint(scope["method"], path, scope.get("query_string", b""), bytes(body))
        try:
            claim = await runtime.idempotency.claim(actor, key, print_)
        except RedisUnavailable as unavailable:
            await send_problem(send, unavailable, path)
            return
        if claim.kind == "replay" and claim.response is not None:
            await _send_stored(send, claim.response)
            return
        if claim.kind == "mismatch":
            await send_problem(
                send, IdempotencyKeyReused("This key was used with a different request."), path
            )
            return
        if claim.kind == "in_progress":
            await send_problem(
                send,
                IdempotencyInProgress("The first request with this key is still running."),
                path,
                {"Retry-After": "1"},
            )
            return
        limit = runtime.settings.idempotency_max_body_bytes

        async def send_captured(message: Message) -> None:
            if message["type"] == "http.response.body" and not exchange.body_overflow:
                exchange.body.extend(message.get("body", b""))
                exchange.body_overflow = len(exchange.body) > limit
            await send(message)

        try:
            replayed = _replay(body, receive, complete=True)
            await self._dispatch(runtime, scope, replayed, send_captured, exchange.token)
        finally:
            if claim.kind == "proceed":
                await self._store_outcome(runtime, actor, key, print_, exchange)

    async def _store_outcome(
        self, runtime: GatewayRuntime, actor: str, key: str, print_: str, exchange: _Exchange
    ) -> None:
        if exchange.status >= 500 or exchange.status == 429 or exchange.body_overflow:
            await runtime.idempotency.abandon(actor, key)
            return
        kept = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in exchange.headers
            if not name.lower().startswith(b"ratelimit-")
            and name.lower() not in (b"x-request-id", b"date", b"server")
        ]
        response = StoredResponse(exchange.status, kept, bytes(exchange.body))
        await runtime.idempotency.complete(actor, key, print_, response)

    async def _finish(
        self,
        runtime: GatewayRuntime,
        scope: Scope,
        exchange: _Exchange,
        send: Send,
        error: ProblemError,
        headers: dict[str, str] | None = None,
    ) -> None:
        exchange.status = error.status
        await send_problem(send, error, scope["path"], headers)
        self._audit(runtime, scope, exchange, scope["path"])

    def _audit(self, runtime: GatewayRuntime, scope: Scope, exchange: _Exchange, path: str) -> None:
        if scope["method"] not in WRITE_METHODS:
            return
        principal = exchange.token.principal if exchange.token else None
        operation = scope.get("state", {}).get("crm_operation")
        own = is_own_path(path)
        route = own_route(scope) if own else getattr(operation, "template", None)
        if not is_audited(principal is not None, exchange.status):
            runtime.audit.count_anonymous_refusal(route, outcome_of(exchange.status))
            return
        runtime.audit.record(
            AuditEntry(
                id=new_entry_id(),
                at=datetime.now(UTC),
                actor=principal.subject if principal else None,
                actor_kind=principal.kind if principal else None,
                roles=sorted(role.value for role in principal.roles) if principal else [],
                method=scope["method"],
                path=stored_path(path),
                route=route,
                service="gateway" if own else getattr(operation, "service", "unknown"),
                status=exchange.status,
                outcome=outcome_of(exchange.status),
                request_id=request_id_var.get(),
                client_address=client_address(scope),
                duration_ms=round((time.perf_counter() - exchange.started) * 1000, 2),
            )
        )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            decoded: str = value.decode("latin-1")
            return decoded
    return None


def _encode(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


def own_route(scope: Scope) -> str | None:
    """The template of the gateway's own route ``scope`` matches, if any."""
    for route in getattr(scope["app"].router, "routes", []):
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(getattr(route, "path", None))
    return None


async def _read_body(receive: Receive, limit: int) -> tuple[bytearray, bool]:
    """The whole body (to fingerprint it), or what was read when it is over ``limit``."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return body, False
        body.extend(message.get("body", b""))
        if len(body) > limit:
            return body, False
        if not message.get("more_body", False):
            return body, True


def _replay(body: bytearray, receive: Receive, *, complete: bool) -> Receive:
    """A receive that gives ``body`` first, then whatever is left of the original."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": bytes(body), "more_body": not complete}
        return await receive()

    return replayed


async def _send_stored(send: Send, response: StoredResponse) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    headers.append((b"idempotency-replayed", b"true"))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})
