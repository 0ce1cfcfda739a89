"""The sender of people's mail: each item whose mail is due, and the daily digests.

Each replica runs one :class:`UserMailer`. A round makes the digests that fell due
(one per person and day, whichever replica is first), then claims due mail one at a
time with a lease (:mod:`notifications.store.leases`), sends it over SMTP and marks
it sent. Two replicas never send one item at once; a replica that dies after the SMTP
server accepted a mail and before marking it sent leaves the lease to expire, and the
mail goes once more (same Message-ID). A mail the server refuses for good, or that
still fails after ``mail_max_attempts``, ends ``failed``; a server that is away only
delays it (the round stops and the mail is due again after a back-off).

Held mail (quiet hours) is due at the end of the quiet hours, which the item's
``mail.due_at`` says since its insert; the mail then goes out like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from crm_chassis.background import PeriodicWork, RunsPeriodically
from crm_chassis.clock import utc_now
from notifications.domain.notifications import Notification
from notifications.domain.preferences import MailState
from notifications.domain.user_mail import digest_mail, digest_slot, item_mail
from notifications.operations.mail import transport
from notifications.operations.mail.attempts import ServerAway, deliver
from notifications.settings import Settings
from notifications.store.people import PeopleStore
from notifications.store.preferences import PreferenceStore
from notifications.store.user_mail import Digest, UserMailStore

DIGEST_SENT = "sent"
DIGEST_EMPTY = "empty"
DIGEST_FAILED = "failed"
DIGEST_NOT_WANTED = "not_wanted"


class UserMailer(RunsPeriodically):
    def __init__(
        self,
        store: UserMailStore,
        people: PeopleStore,
        preferences: PreferenceStore,
        settings: Settings,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.people = people
        self.preferences = preferences
        self.settings = settings
        # What "now" is for due mail and digests; tests move it.
        self.clock = clock
        self.periodic = PeriodicWork(
            "notifications-user-mail", self.run_once, settings.mail_poll_seconds
        )

    async def run_once(self, now: datetime | None = None) -> int:
        """One round at ``now`` (the clock's when not given): how many mails went out."""
        now = now or self.clock()
        await self.plan_digests(now)
        sent = 0
        try:
            for _ in range(self.settings.mail_batch_size):
                claimed = await self.store.claim_item(now)
                if claimed is None:
                    break
                sent += await self._send_item(*claimed, now)
            for _ in range(self.settings.mail_batch_size):
                digest = await self.store.claim_digest(now)
                if digest is None:
                    break
                sent += await self._send_digest(digest, now)
        except ServerAway:
            pass
        return sent

    # Items -------------------------------------------------------------------------

    async def _send_item(self, item: Notification, attempts: int, now: datetime) -> int:
        queue = self.store.item_mail
        person = await self.people.get(item.recipient)
        if person is None or not person.active:
            await queue.finish(
                item.notification_id, MailState.NOT_WANTED.value, {"reason": "inactive"}
            )
            return 0
        if not person.email:
            await queue.finish(
                item.notification_id, MailState.FAILED.value, {"reason": "no_address"}
            )
            return 0
        text = item_mail(item, self.settings.public_base_url)
        message = transport.compose(
            self.settings.mail_from, person.email, text.subject, text.body, item.notification_id
        )
        sent = await deliver(
            self.settings,
            queue,
            item.notification_id,
            message,
            attempts=attempts,
            now=now,
            sent=MailState.SENT.value,
            failed=MailState.FAILED.value,
        )
        return int(sent)

    # Digests -----------------------------------------------------------------------

    async def plan_digests(self, now: datetime) -> int:
        """Make the digests whose moment has come: each subscriber's latest, unless it
        came before they last saved their preferences (the digest was not on then)."""
        slots = []
        for subscriber in await self.store.digest_subscribers():
            slot = digest_slot(subscriber.preferences, now)
            if slot is None or (subscriber.since is not None and slot.until < subscriber.since):
                continue
            slots.append((subscriber.user_id, slot))
        return await self.store.plan_digests(slots, now)

    async def _send_digest(self, digest: Digest, now: datetime) -> int:
        queue = self.store.digest_mail
        person = await self.people.get(digest.recipient)
        preferences = await self.preferences.get(digest.recipient)
        if person is None or not person.active or not preferences.digest.enabled:
            await queue.finish(digest.digest_id, DIGEST_NOT_WANTED)
            return 0
        if not person.email:
            await queue.finish(digest.digest_id, DIGEST_FAILED, {"reason": "no_address"})
            return 0
        items = await self.store.unread_between(digest.recipient, digest.since, digest.until)
        if not items:
            await queue.finish(digest.digest_id, DIGEST_EMPTY, {"finished_at": now})
            return 0
        text = digest_mail(items, preferences, digest.day, self.settings.public_base_url)
        message = transport.compose(
            self.settings.mail_from, person.email, text.subject, text.body, digest.digest_id
        )
        sent = await deliver(
            self.settings,
            queue,
            digest.digest_id,
            message,
            attempts=digest.attempts,
            now=now,
            sent=DIGEST_SENT,
            failed=DIGEST_FAILED,
            fields={"items": len(items)},
        )
        return int(sent)
