"""Who the live feed follows: a stream counts once it knows where it starts (every item
from then on reaches it), and no longer once it has ended."""

from __future__ import annotations

from typing import Any, cast

from crm_chassis.shutdown import Stopping
from notifications.operations.live import LiveFeed, Signal, follow
from notifications.store.items import ItemStore


class NoItems:
    """The store of a person without items: the newest is number 0."""

    async def last_sequence(self, recipient: str) -> int:
        return 0

    async def created_since(self, recipients: Any, since: Any) -> list[Any]:
        return []


async def test_a_stream_is_followed_from_its_connected_signal_until_it_ends() -> None:
    items = cast(ItemStore, NoItems())
    live = LiveFeed(items, poll_seconds=60, overlap_seconds=1, queue_size=10)
    stopping = Stopping()
    stream = follow(
        live, items, "rep-1", None, keep_alive_seconds=60, max_seconds=60, stopping=stopping
    )
    assert not live.is_following("rep-1")

    assert await anext(stream) is Signal.CONNECTED
    assert live.is_following("rep-1")
    assert not live.is_following("rep-2")
    assert live.connected == 1

    stopping.begin()  # the server stops: the stream ends
    assert [signal async for signal in stream] == []
    assert not live.is_following("rep-1")
    assert live.connected == 0


async def test_a_subscription_not_yet_connected_is_not_followed() -> None:
    live = LiveFeed(cast(ItemStore, NoItems()), poll_seconds=60, overlap_seconds=1, queue_size=10)
    subscription = live.subscribe("rep-1")
    assert live.connected == 1
    assert not live.is_following("rep-1")
    live.unsubscribe(subscription)
