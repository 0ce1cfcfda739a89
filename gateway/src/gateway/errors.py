"""Problems only the gateway raises, and writing any problem from plain ASGI code."""

from __future__ import annotations

import json

from starlette.types import Send

from crm_chassis.errors import PROBLEM_JSON, ProblemError


class MethodNotAllowed(ProblemError):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class BadGateway(ProblemError):
    status, slug, title = 502, "bad-gateway", "The service gave no valid answer"


class GatewayTimeout(ProblemError):
    status, slug, title = 504, "gateway-timeout", "The service did not answer in time"


class IdempotencyInProgress(ProblemError):
    status, slug, title = 409, "idempotency-in-progress", "A request with this key is running"


class IdempotencyKeyReused(ProblemError):
    status, slug, title = 422, "idempotency-key-reused", "Key used for a different request"


class InvalidGrant(ProblemError):
    """OAuth2 token endpoint failures; ``error`` carries the RFC 6749 error code."""

    status, slug, title = 400, "invalid-grant", "The grant is not valid"


async def send_problem(
    send: Send, error: ProblemError, path: str, extra_headers: dict[str, str] | None = None
) -> None:
    body = json.dumps(error.to_problem(path)).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    for name, value in {**error.headers, **(extra_headers or {})}.items():
        headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class InvalidClient(ProblemError):
    status, slug, title = 401, "invalid-client", "Client authentication failed"
