"""Forwarding one request to its service: checks, streaming, retries, breaker.

Written against plain ASGI so the hot path stays short: match the route, check
the caller's permissions, then stream the request body up and the response body
back over the pooled client. Only requests that are idempotent and carry no body
are retried, and only when the service was not reached or dropped the
connection before answering.

The client is aiohttp's: its connection pool hands out a connection in constant
time, where httpx's scanned every pooled connection for each request and each
response (a third of the gateway's CPU with 200 requests in flight).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, NoReturn

import aiohttp
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send
from yarl import URL

from crm_chassis.errors import (
    Forbidden,
    NotFound,
    PayloadTooLarge,
    ProblemError,
    ServiceUnavailable,
    Unauthenticated,
)
from crm_chassis.logging import request_id_var
from crm_chassis.shutdown import Stopping
from crm_chassis.tracing import redacted_url
from crm_contracts.access import granted_permissions
from gateway.domain.circuit import CircuitBreaker
from gateway.domain.routing import Operation
from gateway.domain.tokens import VerifiedToken
from gateway.errors import BadGateway, GatewayTimeout, MethodNotAllowed, send_problem
from gateway.proxy.streams import (
    STREAM_HEADERS,
    Revoked,
    is_event_stream,
    relay_event_stream,
    wants_event_stream,
)
from gateway.proxy.upstreams import Upstreams
from gateway.settings import UpstreamSettings

log = logging.getLogger(__name__)

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"trailers",
        b"transfer-encoding",
        b"upgrade",
        b"host",
    }
)
# The gateway's own server sets these on the response it sends.
_RESPONSE_OWN = HOP_BY_HOP | {b"x-request-id", b"date", b"server"}
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_UNAVAILABLE_STATUSES = frozenset({502, 503, 504})
_STREAMS_FULL_RETRY_AFTER = "5"


class _NotReached(Exception):
    """The request did not reach the service (or got no answer); safe to retry if idempotent."""


def _has_body(headers: dict[bytes, bytes]) -> bool:
    length = headers.get(b"content-length")
    return b"transfer-encoding" in headers or (length is not None and length != b"0")


def authorise(operation: Operation, token: VerifiedToken | None) -> None:
    """The gateway's permission check, from the operation's OpenAPI security scopes."""
    if operation.public:
        return
    if token is None:
        raise Unauthenticated(
            "Send an Authorization: Bearer token.",
            headers={"WWW-Authenticate": 'Bearer realm="crm"'},
        )
    principal = token.principal
    granted = granted_permissions(principal.roles, principal.kind, principal.scopes)
    if not operation.permitted(granted):
        needed = " or ".join(" ".join(sorted(r)) for r in operation.requirements if r)
        raise Forbidden(f"Your role does not allow {needed}.")


def _record_failure(operation: Operation, breaker: CircuitBreaker, reason: str) -> None:
    if breaker.record_failure():
        log.warning(
            "circuit to the %s service opened: its calls get 503 for %d s; last failure: %s",
            operation.service,
            breaker.retry_after(),
            reason,
        )


def upstream_session(settings: UpstreamSettings, *, connections: int) -> aiohttp.ClientSession:
    """A pooled client for forwarding, of at most ``connections`` (create it inside the
    running event loop). The gateway has two: one for requests, one for event streams,
    which hold their connection for as long as they last.

    Nothing is added to or taken from what passes through: no cookies kept, no
    default headers, bodies not decompressed, redirects returned to the caller.
    """
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(
            limit=connections,
            limit_per_host=0,
            keepalive_timeout=settings.keepalive_seconds,
        ),
        timeout=aiohttp.ClientTimeout(
            total=None,
            connect=settings.pool_wait_seconds,  # a free pooled connection, then connecting
            sock_connect=settings.connect_timeout_seconds,
            sock_read=settings.read_timeout_seconds,
        ),
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,
        skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
        trust_env=False,
    )


class _RequestBody:
    """The caller's body, streamed up; remembers a size-limit refusal met while
    reading it (the client reports it only as a failed send)."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self.refused: HTTPException | None = None

    async def chunks(self) -> AsyncIterator[bytes]:
        while True:
            try:
                message = await self._receive()
            except HTTPException as error:
                self.refused = error
                raise
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            if body:
                yield body
            if not message.get("more_body", False):
                return


@dataclass(frozen=True)
class _Caller:
    """The caller's side of one forwarded request."""

    receive: Receive
    send: Send
    token: VerifiedToken | None
    # The caller asked for an event stream, or the operation answers with one.
    streaming: bool


class Forwarder:
    """Forwards requests to their services, event streams over ``stream_session`` (a
    stream holds its connection as long as it lasts: in the requests' pool, 200 open
    streams left no connection for any other call, which waited out the pool wait and
    opened its service's circuit); ``revoked`` tells whether a token has been revoked
    since, for event streams that outlast the check made when they opened, and
    ``stopping`` ends those streams when the gateway shuts down."""

    def __init__(
        self,
        upstreams: Upstreams,
        session: aiohttp.ClientSession,
        stream_session: aiohttp.ClientSession,
        settings: UpstreamSettings,
        revoked: Revoked,
        stopping: Stopping,
    ) -> None:
        self._upstreams = upstreams
        self._session = session
        self._stream_session = stream_session
        self._max_streams = settings.max_streams
        self._open_streams = 0
        self._retries = settings.retries
        self._stream_recheck_seconds = settings.stream_recheck_seconds
        self._stream_timeout = aiohttp.ClientTimeout(
            total=None,
            connect=settings.pool_wait_seconds,
            sock_connect=settings.connect_timeout_seconds,
            sock_read=settings.stream_idle_seconds,
        )
        self._revoked = revoked
        self._stopping = stopping
        self._tracer = trace.get_tracer(__name__)

    async def _resolve(self, method: str, path: str) -> Operation:
        found = self._upstreams.table.match(method, path)
        if found is None and await self._upstreams.refresh_after_miss():
            found = self._upstreams.table.match(method, path)
        if found is None:
            raise NotFound(f"No route for {path}.")
        if found.operation is None:
            allowed = ", ".join(sorted(found.allowed_methods))
            raise MethodNotAllowed(f"Use one of {allowed}.", headers={"Allow": allowed})
        return found.operation

    async def handle(
        self, scope: Scope, receive: Receive, send: Send, token: VerifiedToken | None
    ) -> None:
        path: str = scope["path"]
        try:
            operation = await self._resolve(scope["method"], path)
            scope.setdefault("state", {})["crm_operation"] = operation
            authorise(operation, token)
            await self._forward(operation, scope, receive, send, token)
        except ProblemError as error:
            await send_problem(send, error, path)

    def _upstream_request(
        self, operation: Operation, scope: Scope, receive: Receive
    ) -> tuple[URL, list[tuple[str, str]], _RequestBody | None]:
        base = self._upstreams.urls[operation.service]
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        query: bytes = scope.get("query_string", b"")
        url = base + raw_path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")
        incoming = dict(scope["headers"])
        headers = [(k, v) for k, v in scope["headers"] if k not in HOP_BY_HOP]
        client = scope.get("client")
        forwarded_for = incoming.get(b"x-forwarded-for")
        if client:
            address = client[0].encode()
            forwarded_for = forwarded_for + b", " + address if forwarded_for else address
        if forwarded_for:
            headers = [(k, v) for k, v in headers if k != b"x-forwarded-for"]
            headers.append((b"x-forwarded-for", forwarded_for))
        if b"x-forwarded-proto" not in incoming:
            headers.append((b"x-forwarded-proto", scope.get("scheme", "http").encode()))
        if b"host" in incoming and b"x-forwarded-host" not in incoming:
            headers.append((b"x-forwarded-host", incoming[b"host"]))
        request_id = request_id_var.get()
        if request_id and b"x-request-id" not in incoming:
            headers.append((b"x-request-id", request_id.encode("latin-1")))
        body = _RequestBody(receive) if _has_body(incoming) else None
        decoded = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers]
        return URL(url, encoded=True), decoded, body

    async def _forward(
        self,
        operation: Operation,
        scope: Scope,
        receive: Receive,
        send: Send,
        token: VerifiedToken | None,
    ) -> None:
        breaker = self._upstreams.breakers[operation.service]
        url, headers, body = self._upstream_request(operation, scope, receive)
        accept = dict(scope["headers"]).get(b"accept")
        streaming = operation.streams or wants_event_stream(
            scope["method"], accept.decode("latin-1") if accept else None
        )
        caller = _Caller(receive, send, token, streaming)
        if not streaming:
            await self._attempt(operation, breaker, scope, url, headers, body, caller)
            return
        if self._open_streams >= self._max_streams:
            # This replica is full, not the service failing: its circuit is left alone.
            raise ServiceUnavailable(
                f"This gateway serves {self._max_streams} event streams at most; "
                "try again shortly.",
                headers={"Retry-After": _STREAMS_FULL_RETRY_AFTER},
            )
        self._open_streams += 1
        try:
            await self._attempt(operation, breaker, scope, url, headers, body, caller)
        finally:
            self._open_streams -= 1

    async def _attempt(
        self,
        operation: Operation,
        breaker: CircuitBreaker,
        scope: Scope,
        url: URL,
        headers: list[tuple[str, str]],
        body: _RequestBody | None,
        caller: _Caller,
    ) -> None:
        """The exchange, retried (when safe) while the service is not reached."""
        retryable = scope["method"] in IDEMPOTENT and body is None
        attempts = 1 + (self._retries if retryable else 0)
        for attempt in range(attempts):
            if not breaker.allow():
                raise ServiceUnavailable(
                    f"The {operation.service} service is unavailable; try again shortly.",
                    headers={"Retry-After": str(breaker.retry_after())},
                )
            try:
                await self._exchange(
                    operation, breaker, scope["method"], url, headers, body, caller
                )
                return
            except _NotReached as error:
                _record_failure(operation, breaker, str(error))
                if attempt + 1 < attempts:
                    log.info("retrying %s %s: %s", scope["method"], scope["path"], error)
                    continue
                raise ServiceUnavailable(
                    f"The {operation.service} service is unavailable; try again shortly.",
                    headers={"Retry-After": str(breaker.retry_after())},
                ) from None

    async def _exchange(
        self,
        operation: Operation,
        breaker: CircuitBreaker,
        method: str,
        url: URL,
        headers: list[tuple[str, str]],
        body: _RequestBody | None,
        caller: _Caller,
    ) -> None:
        send = caller.send
        try:
            response = await self._send(method, url, headers, body, streaming=caller.streaming)
        except HTTPException as error:  # the body-size limit, raised while streaming up
            breaker.release_trial()
            raise PayloadTooLarge(str(error.detail)) from None
        except (TimeoutError, aiohttp.ClientError) as error:
            if body is not None and body.refused is not None:
                breaker.release_trial()
                raise PayloadTooLarge(str(body.refused.detail)) from None
            self._fail(operation, breaker, error)
        try:
            if response.status in _UNAVAILABLE_STATUSES:
                _record_failure(operation, breaker, f"answered {response.status}")
            else:
                breaker.record_success()
            response_headers = [
                (name, value)
                for name, value in response.raw_headers
                if name.lower() not in _RESPONSE_OWN
            ]
            stream = is_event_stream(response)
            if stream:
                present = {name.lower() for name, _ in response_headers}
                response_headers.extend(h for h in STREAM_HEADERS if h[0] not in present)
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status,
                    "headers": response_headers,
                }
            )
            if stream:
                ended = await relay_event_stream(
                    response,
                    caller.receive,
                    send,
                    token=caller.token,
                    revoked=self._revoked,
                    recheck_seconds=self._stream_recheck_seconds,
                    stopping=self._stopping,
                )
                log.debug("event stream from %s ended: %s", operation.service, ended)
                response.close()  # not back to the pool: it may be mid-stream
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            try:
                async for chunk in response.content.iter_any():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            except (TimeoutError, aiohttp.ClientError) as error:
                # Headers are gone already: all that is left is to end the response early.
                log.warning("upstream %s broke off a response: %r", operation.service, error)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            response.release()

    @staticmethod
    def _fail(operation: Operation, breaker: CircuitBreaker, error: Exception) -> NoReturn:
        """Turn a failed exchange into a retry (not reached) or the caller's problem."""
        if isinstance(error, aiohttp.ConnectionTimeoutError | aiohttp.ClientConnectorError):
            raise _NotReached(str(error) or type(error).__name__) from None
        if isinstance(error, aiohttp.ServerDisconnectedError):
            raise _NotReached(str(error) or "connection dropped") from None
        _record_failure(operation, breaker, repr(error))
        if isinstance(error, asyncio.TimeoutError):
            raise GatewayTimeout(
                f"The {operation.service} service did not answer in time."
            ) from None
        raise BadGateway(f"The {operation.service} service failed: {error}.") from None

    async def _send(
        self,
        method: str,
        url: URL,
        headers: list[tuple[str, str]],
        body: _RequestBody | None,
        *,
        streaming: bool,
    ) -> aiohttp.ClientResponse:
        """Send with a client span of our own, until the response headers arrive (its URL
        without the query's values, as every span of the platform)."""
        with self._tracer.start_as_current_span(
            method,
            kind=SpanKind.CLIENT,
            attributes={"http.method": method, "http.url": redacted_url(str(url))},
        ) as span:
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            options: dict[str, Any] = {"timeout": self._stream_timeout} if streaming else {}
            session = self._stream_session if streaming else self._session
            response = await session.request(
                method,
                url,
                headers=[*headers, *carrier.items()],
                data=body.chunks() if body is not None else None,
                allow_redirects=False,
                **options,
            )
            span.set_attribute("http.status_code", response.status)
            if response.status >= 500:
                span.set_status(Status(StatusCode.ERROR))
            return response
