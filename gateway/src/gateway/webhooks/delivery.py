"""Delivering queued webhooks: claim a due delivery, POST it signed, record the attempt.

The queue is the ``webhook_deliveries`` collection, so nothing is lost across
restarts: a delivery stays pending until a 2xx answer, is retried on the schedule
of ``retry_delays_seconds``, and fails for good only when the schedule is
exhausted. A subscription whose deliveries keep failing is disabled; its
deliveries wait until an administrator re-enables it. The target is checked
against the SSRF policy before every attempt (DNS answers change), and the
attempt connects to the address that was checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from crm_chassis.background import cancel_and_wait
from gateway.domain.targets import TargetPolicy, TargetRefused
from gateway.domain.webhooks import (
    DeliveryAttempt,
    DeliveryStatus,
    next_attempt_at,
    should_disable,
    signature_headers,
)
from gateway.settings import WebhookSettings
from gateway.store.webhooks import DeliveryStore, SubscriptionStore

log = logging.getLogger(__name__)

USER_AGENT = "crm-gateway-webhooks/1"


async def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return []
    return sorted({str(info[4][0]) for info in infos})


async def check_target(policy: TargetPolicy, url: str) -> list[str]:
    """Raise :class:`TargetRefused` unless ``url`` may receive webhooks now; return the
    checked addresses, IPv4 first."""
    parts = httpx.URL(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = await resolve(parts.host, port)
    policy.check(url, addresses)
    return sorted(addresses, key=lambda address: ":" in address)


async def post_to_checked_address(
    client: httpx.AsyncClient,
    policy: TargetPolicy,
    url: str,
    *,
    content: bytes,
    headers: dict[str, str],
) -> httpx.Response:
    """POST to an address that was just checked, never to a second DNS answer: a name
    that answers public for the check and private for the connection (DNS rebinding)
    must not reach the private one. The request keeps the name in its Host header and
    as the TLS server name, so virtual hosts and certificates work as before."""
    target = httpx.URL(url)
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    pinned_headers = {**headers, "host": target.netloc.decode("ascii")}
    failure: httpx.ConnectError | None = None
    for address in await check_target(policy, url):
        try:
            return await client.post(
                target.copy_with(host=address),
                content=content,
                headers=pinned_headers,
                extensions=extensions,
            )
        except httpx.ConnectError as error:  # try the next checked address
            failure = error
    assert failure is not None  # check_target refuses a name without addresses
    raise failure


class WebhookDeliverer:
    def __init__(
        self,
        settings: WebhookSettings,
        subscriptions: SubscriptionStore,
        deliveries: DeliveryStore,
        policy: TargetPolicy,
    ) -> None:
        self._settings = settings
        self._subscriptions = subscriptions
        self._deliveries = deliveries
        self._policy = policy
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._client: httpx.AsyncClient | None = None

    def notify(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        # No redirects: a redirect could point anywhere, past the SSRF check. No kept
        # connections: requests go to addresses, and a connection opened for one name
        # (its TLS server name) must not carry another name's request to the same address.
        self._client = httpx.AsyncClient(
            timeout=self._settings.timeout_seconds,
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
            headers={"user-agent": USER_AGENT},
            trust_env=False,
        )
        self._tasks = [
            asyncio.create_task(self._work(), name=f"webhook-worker-{n}")
            for n in range(self._settings.workers)
        ]

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        await asyncio.gather(*(cancel_and_wait(task) for task in tasks))
        if self._client is not None:
            await self._client.aclose()

    async def _work(self) -> None:
        while True:
            try:
                delivered_one = await self.deliver_next()
            except Exception:  # keep the worker alive; the delivery's lease will expire
                log.exception("webhook worker failed")
                delivered_one = False
            if not delivered_one:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._settings.poll_seconds)
                self._wake.clear()

    async def deliver_next(self) -> bool:
        """Attempt one due delivery; False when none was due."""
        delivery = await self._deliveries.claim_due(self._settings.lease_seconds)
        if delivery is None:
            return False
        subscription = await self._subscriptions.get(delivery["subscription_id"])
        now = datetime.now(UTC)
        if subscription is None:
            attempt = DeliveryAttempt(at=now, error="the subscription was deleted", duration_ms=0)
            await self._deliveries.record_attempt(
                delivery["_id"], attempt, status=DeliveryStatus.FAILED, next_attempt_at=None
            )
            return True
        if not subscription.active:
            await self._deliveries.release(
                delivery["_id"], now + timedelta(seconds=self._settings.lease_seconds)
            )
            return True
        attempt = await self._post(subscription.url, subscription.secret, delivery)
        if attempt.status_code is not None and 200 <= attempt.status_code < 300:
            await self._deliveries.record_attempt(
                delivery["_id"], attempt, status=DeliveryStatus.DELIVERED, next_attempt_at=None
            )
            await self._subscriptions.record_success(subscription.id)
            return True
        attempts_made = int(delivery.get("attempt_count", 0)) + 1
        retry_at = next_attempt_at(attempts_made, self._settings.retry_delays_seconds, attempt.at)
        await self._deliveries.record_attempt(
            delivery["_id"],
            attempt,
            status=DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED,
            next_attempt_at=retry_at,
        )
        failures = await self._subscriptions.record_failure(subscription.id)
        if should_disable(failures, self._settings.disable_after_failures):
            reason = f"{failures} failed deliveries in a row; last: {attempt.error}"
            if await self._subscriptions.disable(subscription.id, reason):
                log.warning("webhook subscription %s disabled: %s", subscription.id, reason)
        return True

    async def _post(self, url: str, secret: str, delivery: dict[str, Any]) -> DeliveryAttempt:
        assert self._client is not None
        at = datetime.now(UTC)
        started = time.perf_counter()
        body: bytes = delivery["body"].encode()
        headers = {
            "content-type": "application/cloudevents+json",
            **signature_headers(secret, delivery["_id"], int(at.timestamp()), body),
        }
        status_code: int | None = None
        error: str | None = None
        try:
            response = await post_to_checked_address(
                self._client, self._policy, url, content=body, headers=headers
            )
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"answered {status_code}"
        except TargetRefused as refused:
            error = f"refused target: {refused}"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"[:500]
        return DeliveryAttempt(
            at=at,
            status_code=status_code,
            error=error,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
