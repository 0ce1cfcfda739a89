"""Helpers of the mail tests: replicas that send to the session's SMTP capture, people and
customers with addresses of the test's own, their preferences, the clock of the senders,
and waiting for captured mail, for an item's mail state or for senders' rounds (to see
that nothing more goes out)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import Any

from crm_chassis.testing import ServiceRunner, unique_name, wait_until
from crm_localinfra.smtp import CapturedMessage, SmtpCapture
from notifications.components import Components, components
from notifications.settings import Settings

from .conftest import Notifications, user_changed

StartApp = Callable[[Settings], AbstractAsyncContextManager[Notifications]]

# Test speed: the senders look every 0.1 s.
FAST_MAIL: dict[str, Any] = {
    "mail_poll_seconds": 0.1,
    "customer_notice_poll_seconds": 0.1,
    "mail_retry_seconds": 0.2,
    "public_base_url": "https://crm.test",
}


def parts(app: Notifications) -> Components:
    return components(app.runtime)


@asynccontextmanager
async def mail_replicas(
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    count: int = 2,
    **overrides: Any,
) -> AsyncIterator[list[Notifications]]:
    """``count`` replicas of one deployment, mailing through the session's capture."""
    settings = make_settings(**{**FAST_MAIL, "smtp": service_runner.smtp(), **overrides})
    async with start_app(settings) as first:
        if count == 1:
            yield [first]
            return
        async with start_app(settings) as second:
            yield [first, second]


class Addresses:
    """E-mail addresses no other test uses (the capture folder is the session's)."""

    def __init__(self) -> None:
        self.tag = unique_name("m")

    def of(self, name: str) -> str:
        return f"{name}.{self.tag}@crm.test"


async def known_people(app: Notifications, addresses: Addresses, *user_ids: str) -> None:
    """Publish these people's directory entries (with the test's addresses) and wait until
    the directory has them."""
    for user_id in user_ids:
        await app.bus.publish(user_changed(user_id, email=addresses.of(user_id)))

    async def copied() -> bool:
        count: int = await app.collection("people").count_documents({"_id": {"$in": user_ids}})
        return count == len(user_ids)

    await wait_until(copied, timeout=15, what="the people in the directory")


async def put_preferences(app: Notifications, user_id: str, **changes: Any) -> None:
    """Save ``user_id``'s preferences: English, Shanghai, no quiet hours, no digest and
    the default channels, but for ``changes``."""
    body: dict[str, Any] = {
        "language": "en",
        "time_zone": "Asia/Shanghai",
        "quiet_hours": None,
        "digest": {"enabled": False, "at": "08:00"},
        "channels": {},
        **changes,
    }
    response = await app.client.put(
        "/api/v1/notification-preferences", json=body, headers=app.as_person(user_id)
    )
    assert response.status_code == 200, response.text


async def mail_state(app: Notifications, recipient: str, event_id: str) -> dict[str, Any]:
    """The mail state of ``recipient``'s item of ``event_id``."""
    item = await app.collection("notifications").find_one(
        {"recipient": recipient, "event_id": event_id}
    )
    assert item is not None, f"no item of {event_id} for {recipient}"
    mail: dict[str, Any] = item["mail"]
    return mail


async def settled(app: Notifications, recipient: str, event_id: str, state: str) -> None:
    """Wait until ``recipient``'s item of ``event_id`` has its mail in ``state``."""

    async def reached() -> bool:
        item = await app.collection("notifications").find_one(
            {"recipient": recipient, "event_id": event_id}
        )
        return item is not None and item["mail"]["state"] == state

    await wait_until(reached, timeout=15, what=f"{recipient}'s mail {state}")


def mail_to(mailbox: SmtpCapture, address: str) -> list[CapturedMessage]:
    return mailbox.messages_to(address)


async def wait_for_mail(
    mailbox: SmtpCapture, address: str, count: int = 1, timeout: float = 15
) -> list[CapturedMessage]:
    await wait_until(
        lambda: len(mail_to(mailbox, address)) >= count,
        timeout=timeout,
        what=f"{count} mail(s) to {address}",
    )
    return mail_to(mailbox, address)


async def rounds_pass(apps: Sequence[Notifications], part: str, rounds: int = 3) -> None:
    """Wait until each replica's ``part`` (``user_mail``, ``customer_mail``) has run
    ``rounds`` more rounds: whatever it would send by now, it has sent."""
    start = [getattr(parts(app), part).rounds for app in apps]

    def done() -> bool:
        return all(
            getattr(parts(app), part).rounds >= begun + rounds
            for app, begun in zip(apps, start, strict=True)
        )

    await wait_until(done, timeout=15, what=f"{rounds} rounds of {part}")


def set_clock(apps: Sequence[Notifications], part: str, moment: datetime) -> None:
    """Every replica's ``part`` now takes ``moment`` for now, and looks at once."""
    for app in apps:
        sender = getattr(parts(app), part)
        sender.clock = lambda: moment
        sender.wake()
