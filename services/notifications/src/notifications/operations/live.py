"""The live feed: new inbox items pushed to the consoles connected to this replica.

Each replica runs ONE watcher loop. While anyone is connected, it asks the store every
``poll_seconds`` for the items created lately for the people connected here (one query
for all of them, none per connection) and hands each to its person's subscriptions;
inserting an item on this replica wakes the watcher at once. Items are numbered per
person without gaps (see :mod:`notifications.store.items`), so a subscription passes
them on strictly in order: an item it has already passed is dropped, and an item
beyond the next number means one was missed (a slow client's full queue, an insert the
watcher's window did not catch), which it reads from the store before going on. A
reconnect with ``Last-Event-ID: n`` first reads the person's items above ``n``. When
the replica begins to shut down, its streams end between two items (a client resumes
from the last one it got, at another replica) instead of holding the shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import timedelta
from enum import Enum

from crm_chassis.background import PeriodicWork, RunsPeriodically
from crm_chassis.clock import utc_now
from crm_chassis.shutdown import Stopping
from notifications.domain.notifications import Notification
from notifications.store.items import ItemStore

log = logging.getLogger(__name__)


class Signal(Enum):
    """What a stream says besides items."""

    CONNECTED = "connected"
    KEEP_ALIVE = "keep-alive"


class Subscription:
    """One connected stream of one person: the items the watcher found for it, waiting
    to be sent."""

    def __init__(self, user_id: str, queue_size: int) -> None:
        self.user_id = user_id
        self.pending: deque[Notification] = deque()
        self.ready = asyncio.Event()
        self.offered_up_to = 0
        # Set once the stream knows where it starts: every item from then on comes.
        self.following = False
        # Set when the queue overflowed (a slow client): the stream reads the store.
        self.behind = False
        self._queue_size = queue_size

    def offer(self, item: Notification) -> None:
        if item.sequence <= self.offered_up_to:
            return
        self.offered_up_to = item.sequence
        if len(self.pending) >= self._queue_size:
            self.pending.clear()
            self.behind = True
        else:
            self.pending.append(item)
        self.ready.set()


class LiveFeed(RunsPeriodically):
    def __init__(
        self,
        items: ItemStore,
        *,
        poll_seconds: float,
        overlap_seconds: float,
        queue_size: int,
    ) -> None:
        self._items = items
        self._overlap = timedelta(seconds=overlap_seconds)
        self._queue_size = queue_size
        self._subscriptions: dict[str, set[Subscription]] = {}
        self._last_round = utc_now()
        self.periodic = PeriodicWork("notifications-watcher", self.watch_once, poll_seconds)

    @property
    def connected(self) -> int:
        return sum(len(subscriptions) for subscriptions in self._subscriptions.values())

    def is_following(self, user_id: str) -> bool:
        """Whether a stream of ``user_id`` on this replica is connected, so that every
        item created for them from now on reaches it (a first connection replays
        nothing older)."""
        return any(subscription.following for subscription in self._subscriptions.get(user_id, ()))

    def subscribe(self, user_id: str) -> Subscription:
        subscription = Subscription(user_id, self._queue_size)
        self._subscriptions.setdefault(user_id, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        subscriptions = self._subscriptions.get(subscription.user_id)
        if subscriptions is None:
            return
        subscriptions.discard(subscription)
        if not subscriptions:
            del self._subscriptions[subscription.user_id]

    async def watch_once(self) -> int:
        """One round of the watcher: the items created since the previous round (less
        the overlap) for the people connected here, handed to their subscriptions."""
        started = utc_now()
        if not self._subscriptions:
            self._last_round = started
            return 0
        since = self._last_round - self._overlap
        found = await self._items.created_since(list(self._subscriptions), since)
        self._last_round = started
        for item in found:
            for subscription in tuple(self._subscriptions.get(item.recipient, ())):
                subscription.offer(item)
        return len(found)


async def follow(
    live: LiveFeed,
    items: ItemStore,
    user_id: str,
    last_event_id: int | None,
    *,
    keep_alive_seconds: float,
    max_seconds: float,
    stopping: Stopping,
) -> AsyncIterator[Notification | Signal]:
    """The items ``user_id`` sees in the console, from after ``last_event_id`` (or from
    now) on, in order and without a gap. First :attr:`Signal.CONNECTED` once every
    item from then on will come; :attr:`Signal.KEEP_ALIVE` whenever
    ``keep_alive_seconds`` pass without an item. Ends after ``max_seconds``.

    Ends as well once ``stopping`` is set (the server shuts down; it would otherwise hold
    its exit for the stream until the grace period ran out, then cut it), right after
    the item it is passing on: the client resumes from the last item it got, at another
    replica."""
    following = _follow(
        live,
        items,
        user_id,
        last_event_id,
        keep_alive_seconds=keep_alive_seconds,
        max_seconds=max_seconds,
        stopping=stopping,
    )
    try:
        async for item in following:
            yield item
            if stopping.is_set():
                return
    finally:
        await following.aclose()


async def _follow(
    live: LiveFeed,
    items: ItemStore,
    user_id: str,
    last_event_id: int | None,
    *,
    keep_alive_seconds: float,
    max_seconds: float,
    stopping: Stopping,
) -> AsyncGenerator[Notification | Signal, None]:
    subscription = live.subscribe(user_id)
    # A stream waiting for its next item is woken when the server begins to stop.
    waking = asyncio.ensure_future(_wake_when_stopping(subscription, stopping))
    try:
        # Subscribed first, then read: an item created meanwhile is in one or the other.
        newest = await items.last_sequence(user_id)
        # Without Last-Event-ID: from now on. A number beyond the newest (a database
        # restored from an older backup) must not hide the items numbered up to it.
        last = newest if last_event_id is None else min(last_event_id, newest)
        subscription.following = True
        yield Signal.CONNECTED
        if last < newest:
            async for item in items.numbered_after(user_id, last):
                last = item.sequence
                if item.console:
                    yield item
        deadline = time.monotonic() + max_seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                await asyncio.wait_for(
                    subscription.ready.wait(), timeout=min(keep_alive_seconds, remaining)
                )
            except TimeoutError:
                if deadline - time.monotonic() > 0:
                    yield Signal.KEEP_ALIVE
                continue
            if stopping.is_set():
                return
            subscription.ready.clear()
            if subscription.behind:
                subscription.behind = False
                async for item in items.numbered_after(user_id, last):
                    last = item.sequence
                    if item.console:
                        yield item
            while subscription.pending:
                item = subscription.pending.popleft()
                if item.sequence <= last:
                    continue
                if item.sequence > last + 1:  # one was missed: read it first
                    async for missed in items.numbered_after(
                        user_id, last, up_to=item.sequence - 1
                    ):
                        last = missed.sequence
                        if missed.console:
                            yield missed
                last = item.sequence
                if item.console:
                    yield item
    finally:
        waking.cancel()
        live.unsubscribe(subscription)


async def _wake_when_stopping(subscription: Subscription, stopping: Stopping) -> None:
    await stopping.wait()
    subscription.ready.set()
