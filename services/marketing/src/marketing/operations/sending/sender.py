"""The background sender: claims due messages in priority order and hands them to SMTP.

Each pass reserves sends from the shared per-minute allowance, leases one batch of
the best waiting tier, and works it over a few SMTP sessions in parallel. A message
is marked ``sent`` only after the server accepted it. When the server is down the
batch goes back to the queue untouched (no attempt used up) and the sender backs
off, doubling the pause while the outage lasts.

Delivery guarantee: at least once, with one known window. If the process dies
after the SMTP server accepted a message and before ``sent`` is written, the lease
expires and the message is sent again, with the same Message-ID, so clients and
relays that de-duplicate by Message-ID show it once. Nothing is ever skipped: a
message leaves the queue only as sent, bounced, failed (after its attempts) or
suppressed.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from crm_chassis.background import finish_or_cancel
from crm_chassis.clock import utc_now
from crm_chassis.mongo import Document
from marketing.domain import deliveries as rules
from marketing.domain.consent import SuppressionReason, may_send
from marketing.domain.templates import CompiledTemplate, TemplateContent, TemplateError
from marketing.operations.sending.compose import Envelope, MailLinks, compose
from marketing.operations.sending.group_commit import SentMarks
from marketing.operations.sending.launch import CHANNEL
from marketing.operations.sending.transport import Deferred, Outage, Rejected, SmtpConnection
from marketing.settings import Settings
from marketing.store.campaigns import CampaignStore
from marketing.store.consent import ConsentStore
from marketing.store.deliveries import DeliveryQueue, sent_update

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
SENDABLE_STATUSES = frozenset({"running"})


@dataclass
class _Campaign:
    template: CompiledTemplate | None
    values: dict[str, Any]
    sendable: bool


@dataclass
class _Batch:
    claim_id: str
    campaigns: dict[str, _Campaign]
    unsubscribed: set[str]
    suppressed: set[str]
    marks: SentMarks
    outage: str | None = None
    touched: set[str] = field(default_factory=set)


class Sender:
    def __init__(
        self,
        queue: DeliveryQueue,
        campaigns: CampaignStore,
        consent: ConsentStore,
        settings: Settings,
        links: MailLinks,
        notify_outbox: Callable[[], None],
    ) -> None:
        self._queue = queue
        self._campaigns = campaigns
        self._consent = consent
        self._settings = settings
        self._links = links
        self._notify_outbox = notify_outbox
        self._id = f"sender-{uuid.uuid4().hex[:12]}"
        self._claims = itertools.count()
        self._connections = [SmtpConnection(settings) for _ in range(settings.smtp_connections)]
        self._templates: dict[str, CompiledTemplate] = {}
        self._envelope_from = parseaddr(settings.mail_from)[1]
        self._outages = 0
        self._pause_until: datetime | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="marketing-sender")

    def wake(self) -> None:
        """Look for work now (a campaign was just queued)."""
        self._wake.set()

    async def stop(self) -> None:
        """Finish the batch in hand (so its accepted messages get their marks), then stop;
        a batch still running after half the shutdown grace is cut off (its leases
        expire and another sender takes over)."""
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is not None:
            grace = self._settings.shutdown_grace_seconds / 2
            if not await finish_or_cancel(task, grace):
                log.warning("sender stopped in the middle of a batch")
        for connection in self._connections:
            await connection.close()

    async def _run(self) -> None:
        while not self._stopping:
            handled = 0
            try:
                handled = await self.send_batch()
            except Exception:
                log.exception("send pass failed")
            if handled or self._stopping:
                continue
            self._wake.clear()
            pause = self._settings.send_poll_seconds
            if self._pause_until is not None:
                pause = max(0.0, (self._pause_until - utc_now()).total_seconds())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=pause)

    async def send_batch(self) -> int:
        """One pass: lease a batch and work it. Returns how many messages it handled."""
        now = utc_now()
        if self._pause_until is not None and now < self._pause_until:
            return 0
        self._pause_until = None
        await self._queue.recover_expired_leases(now)
        window = rules.window_start(now, WINDOW_SECONDS)
        granted = await self._queue.reserve_slots(
            window,
            WINDOW_SECONDS,
            self._settings.send_rate_per_minute,
            self._settings.send_batch_size,
        )
        if granted == 0:
            self._pause_until = window + timedelta(seconds=WINDOW_SECONDS)
            return 0
        claim_id = f"{self._id}:{next(self._claims)}"
        lease = timedelta(seconds=self._settings.send_lease_seconds)
        claimed = await self._queue.claim(claim_id, granted, lease, now)
        await self._queue.give_back_slots(window, granted - len(claimed))
        if not claimed:
            return 0
        batch = await self._prepare(claim_id, claimed)
        pending: asyncio.Queue[Document] = asyncio.Queue()
        for delivery in claimed:
            pending.put_nowait(delivery)
        lanes = self._connections[: len(claimed)]
        try:
            await asyncio.gather(*(self._lane(lane, pending, batch) for lane in lanes))
        finally:
            await batch.marks.flush()
        if batch.outage:
            await self._back_off(pending, batch)
        else:
            self._outages = 0
        await self._campaigns.mark_metrics_dirty(sorted(batch.touched))
        self._notify_outbox()
        return len(claimed)

    async def _prepare(self, claim_id: str, claimed: list[Document]) -> _Batch:
        campaign_ids = {d["campaign_id"] for d in claimed}
        prepared = {cid: await self._campaign(cid) for cid in campaign_ids}
        emails = {d["email"] for d in claimed if d.get("email")}
        return _Batch(
            claim_id=claim_id,
            campaigns=prepared,
            unsubscribed=await self._consent.unsubscribed_among(
                [d["customer_id"] for d in claimed], CHANNEL
            ),
            suppressed=await self._consent.suppressed_among(emails),
            marks=SentMarks(self._queue),
        )

    async def _campaign(self, campaign_id: str) -> _Campaign:
        campaign = await self._campaigns.get(campaign_id)
        if campaign is None:
            return _Campaign(template=None, values={}, sendable=False)
        send = campaign.send
        template = self._templates.get(campaign_id)
        if template is None and send is not None:
            snapshot = send.template
            template = CompiledTemplate(
                TemplateContent(snapshot.subject, snapshot.html, snapshot.text)
            )
            self._templates[campaign_id] = template
        return _Campaign(
            template=template,
            values={
                "campaign_name": campaign.name,
                "promotion_details": send.promotion_details if send else None,
            },
            sendable=campaign.status in SENDABLE_STATUSES,
        )

    async def _lane(
        self, connection: SmtpConnection, pending: asyncio.Queue[Document], batch: _Batch
    ) -> None:
        while batch.outage is None:
            try:
                delivery = pending.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                await self._deliver(connection, delivery, batch)
            except Outage as outage:
                batch.outage = outage.reason
                pending.put_nowait(delivery)
                return

    async def _deliver(self, connection: SmtpConnection, delivery: Document, batch: _Batch) -> None:
        delivery_id, claim_id = delivery["_id"], batch.claim_id
        campaign = batch.campaigns[delivery["campaign_id"]]
        batch.touched.add(delivery["campaign_id"])
        email = delivery.get("email")
        reason = self._blocked(delivery, campaign, batch)
        if reason is not None:
            await self._queue.mark_suppressed(delivery_id, claim_id, reason)
            return
        assert campaign.template is not None
        assert email is not None
        values = {
            **delivery.get("variables", {}),
            **campaign.values,
            "unsubscribe_url": self._links.unsubscribe(delivery_id),
        }
        try:
            rendered = campaign.template.render(values)
        except TemplateError as error:
            await self._queue.mark_failed(delivery_id, claim_id, error.message)
            return
        envelope = Envelope(
            delivery_id=delivery_id,
            campaign_id=delivery["campaign_id"],
            message_id=delivery["message_id"],
            sender=self._settings.mail_from,
            recipient_name=delivery.get("variables", {}).get("customer_name"),
            recipient_email=email,
        )
        message = compose(rendered, envelope, self._links)
        now = utc_now()
        try:
            await connection.send(message, self._envelope_from, email)
        except Rejected as bounce:
            event = rules.bounced_event(
                delivery_id, delivery["campaign_id"], delivery["customer_id"], bounce.reason, now
            )
            await self._queue.mark_bounced(delivery_id, claim_id, bounce.reason, now, [event])
            await self._consent.suppress(
                email, SuppressionReason.HARD_BOUNCE.value, bounce.reason, now
            )
            return
        except Deferred as deferred:
            await self._defer(delivery, claim_id, deferred.reason, now)
            return
        event = rules.sent_event(
            delivery_id, delivery["campaign_id"], delivery["customer_id"], rendered.subject, now
        )
        batch.marks.add(sent_update(delivery_id, claim_id, now), event)

    @staticmethod
    def _blocked(delivery: Document, campaign: _Campaign, batch: _Batch) -> str | None:
        if not campaign.sendable or campaign.template is None:
            return "campaign_not_running"
        email = delivery.get("email")
        unsubscribed = delivery["customer_id"] in batch.unsubscribed
        if not may_send(
            subscribed=False if unsubscribed else None,
            suppressed=email in batch.suppressed,
            has_address=bool(email),
        ):
            return "unsubscribed" if unsubscribed else "suppressed"
        return None

    async def _defer(self, delivery: Document, claim_id: str, reason: str, now: datetime) -> None:
        attempt = int(delivery.get("attempts", 0)) + 1
        if attempt >= self._settings.send_max_attempts:
            await self._queue.mark_failed(delivery["_id"], claim_id, reason)
            return
        delay = rules.retry_delay(
            attempt,
            base_seconds=self._settings.send_retry_base_seconds,
            max_seconds=self._settings.send_retry_max_seconds,
        )
        await self._queue.retry_later(
            delivery["_id"], claim_id, now + delay, reason, count_attempt=True
        )

    async def _back_off(self, pending: asyncio.Queue[Document], batch: _Batch) -> None:
        """The server is down: return the unsent rest of the batch and pause."""
        self._outages += 1
        delay = rules.retry_delay(
            self._outages,
            base_seconds=self._settings.send_retry_base_seconds,
            max_seconds=self._settings.send_retry_max_seconds,
        )
        now = utc_now()
        self._pause_until = now + delay
        log.warning(
            "SMTP unavailable (%s); pausing sends for %.1f s", batch.outage, delay.total_seconds()
        )
        while not pending.empty():
            delivery = pending.get_nowait()
            await self._queue.retry_later(
                delivery["_id"],
                batch.claim_id,
                now + delay,
                batch.outage or "outage",
                count_attempt=False,
            )
