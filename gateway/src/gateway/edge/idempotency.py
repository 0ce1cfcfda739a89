"""``Idempotency-Key`` on POST: a retried request gets the first response again.

Only callers with a token get it, and the key is scoped to their subject
(``user:<id>`` or ``client:<id>``); without a token the header is ignored, so anonymous
callers cannot fill Redis. The first request claims the key (``SET NX``) with a
fingerprint of method, path, query and body; its response is stored for
``ttl_seconds`` when its body is at most ``CRM_IDEMPOTENCY_MAX_BODY_BYTES`` (a larger
one is not kept, and a retry runs again). So what one subject can keep is bounded by
its rate limit times the TTL times that size. A retry with the same key and
fingerprint gets the stored response (``Idempotency-Replayed: true``); a different
request with that key gets 422; a retry while the first is still running gets 409.
Server errors are not stored, so they can be retried. When Redis does not answer, the
claim fails with 503 (``RedisUnavailable``) rather than running the request unguarded.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from crm_chassis.redis_guard import RedisGuard

KEY_PREFIX = "crm:gw:idem:"
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class Claim:
    """The outcome of presenting a key: go ahead, replay, or refuse."""

    kind: str  # "proceed", "replay", "in_progress", "mismatch"
    response: StoredResponse | None = None


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class IdempotencyStore:
    def __init__(self, guard: RedisGuard, *, ttl_seconds: int, pending_seconds: int) -> None:
        self._guard = guard
        self._ttl = ttl_seconds
        self._pending = pending_seconds

    async def claim(self, scope_key: str, key: str, request_fingerprint: str) -> Claim:
        redis_key = f"{KEY_PREFIX}{scope_key}:{key}"
        pending = json.dumps({"state": "pending", "fingerprint": request_fingerprint})

        async def run(client: Redis) -> Claim:
            if await client.set(redis_key, pending, nx=True, ex=self._pending):
                return Claim("proceed")
            raw = await client.get(redis_key)
            if raw is None:  # expired in between: treat as new
                return (
                    Claim("proceed")
                    if await client.set(redis_key, pending, nx=True, ex=self._pending)
                    else Claim("in_progress")
                )
            stored: dict[str, Any] = json.loads(raw)
            if stored.get("fingerprint") != request_fingerprint:
                return Claim("mismatch")
            if stored.get("state") != "done":
                return Claim("in_progress")
            return Claim(
                "replay",
                StoredResponse(
                    status=int(stored["status"]),
                    headers=[(str(k), str(v)) for k, v in stored["headers"]],
                    body=base64.b64decode(stored["body"]),
                ),
            )

        return await self._guard.require(run)

    async def complete(
        self, scope_key: str, key: str, request_fingerprint: str, response: StoredResponse
    ) -> None:
        value = json.dumps(
            {
                "state": "done",
                "fingerprint": request_fingerprint,
                "status": response.status,
                "headers": response.headers,
                "body": base64.b64encode(response.body).decode(),
            }
        )
        redis_key = f"{KEY_PREFIX}{scope_key}:{key}"
        await self._guard.call(lambda client: client.set(redis_key, value, ex=self._ttl), None)

    async def abandon(self, scope_key: str, key: str) -> None:
        redis_key = f"{KEY_PREFIX}{scope_key}:{key}"
        await self._guard.call(lambda client: client.delete(redis_key), None)
