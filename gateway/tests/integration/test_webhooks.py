"""Outbound webhooks: signed deliveries, retries until the receiver is back,
automatic disabling, and refusal of targets that would be a request forgery."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from prometheus_client import REGISTRY

from crm_chassis.testing import SigningKeys, auth_header, free_port, wait_until
from gateway.domain.webhooks import verify
from gateway.settings import Settings

from .conftest import admin_token, running_gateway
from .receiver import Receiver, customer_created, publish

pytestmark = pytest.mark.integration

CREATED = "crm.customer.customer.created.v1"

FAST_RETRIES = {
    "allowed_targets": ["127.0.0.1"],
    "retry_delays_seconds": [0.2, 0.3, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
    "poll_seconds": 0.1,
}


async def _subscribe(gateway: httpx.AsyncClient, url: str, types: list[str]) -> dict[str, str]:
    admin = await admin_token(gateway)
    response = await gateway.post(
        "/api/v1/webhook-subscriptions",
        json={"url": url, "event_types": types},
        headers=auth_header(admin),
    )
    assert response.status_code == 201, response.text
    return {**response.json(), "admin": admin}


async def test_event_is_delivered_with_a_verifiable_signature(
    gateway_settings: Callable[..., Settings], amqp_url: str
) -> None:
    settings = gateway_settings(webhooks=FAST_RETRIES)
    receiver = Receiver(free_port())
    event = customer_created()
    async with running_gateway(settings) as gateway, receiver.up():
        subscription = await _subscribe(gateway, receiver.url, ["crm.customer.*"])

        await publish(amqp_url, settings.events.exchange, event)
        await wait_until(lambda: _count(receiver, 1), timeout=15, what="the webhook")

    delivered = receiver.received[0]
    headers = delivered.headers
    assert verify(
        subscription["secret"],
        headers["webhook-id"],
        int(headers["webhook-timestamp"]),
        delivered.body,
        headers["webhook-signature"],
    )
    assert not verify("whsec_" + "A" * 44, headers["webhook-id"], 0, delivered.body, "v1,x")
    assert json.loads(delivered.body)["id"] == event.id
    assert headers["content-type"] == "application/cloudevents+json"


async def test_an_event_delivered_twice_by_the_broker_is_sent_once(
    gateway_settings: Callable[..., Settings], amqp_url: str
) -> None:
    # The gateway keeps no ledger of processed events: deliveries are keyed by
    # (subscription, event), so the second copy must queue nothing.
    settings = gateway_settings(webhooks=FAST_RETRIES)
    receiver = Receiver(free_port())
    event, later = customer_created("twice"), customer_created("later")
    consumed_before = _consumed(CREATED)
    async with running_gateway(settings) as gateway, receiver.up():
        subscription = await _subscribe(gateway, receiver.url, [CREATED])
        for copy in (event, event, later):
            await publish(amqp_url, settings.events.exchange, copy)

        async def all_three_consumed() -> bool:
            return _consumed(CREATED) - consumed_before == 3

        await wait_until(all_three_consumed, timeout=15, what="three deliveries consumed")
        await wait_until(lambda: _count(receiver, 2), timeout=15, what="two webhooks")
        log = await gateway.get(
            "/api/v1/webhook-deliveries", headers=auth_header(subscription["admin"])
        )

    assert sorted(item["event_id"] for item in log.json()["items"]) == sorted([event.id, later.id])
    assert sorted(json.loads(item.body)["id"] for item in receiver.received) == sorted(
        [event.id, later.id]
    )


def _consumed(event_type: str) -> float:
    """Deliveries of ``event_type`` the in-process gateway has consumed, in any outcome."""
    return sum(
        sample.value
        for metric in REGISTRY.collect()
        if metric.name == "crm_events_consumed"
        for sample in metric.samples
        if sample.name == "crm_events_consumed_total" and sample.labels["type"] == event_type
    )


async def test_receiver_down_for_a_while_gets_everything_once_it_is_back(
    gateway_settings: Callable[..., Settings], amqp_url: str
) -> None:
    settings = gateway_settings(webhooks=FAST_RETRIES)
    receiver = Receiver(free_port())
    events = [customer_created(f"customer {n}") for n in range(3)]
    async with running_gateway(settings) as gateway:
        subscription = await _subscribe(gateway, receiver.url, [CREATED])
        admin = auth_header(subscription["admin"])
        for event in events:
            await publish(amqp_url, settings.events.exchange, event)

        async def failed_twice() -> bool:
            log = await gateway.get("/api/v1/webhook-deliveries", headers=admin)
            items = log.json()["items"]
            return len(items) == 3 and all(len(item["attempts"]) >= 2 for item in items)

        await wait_until(
            failed_twice, timeout=20, what="failed attempts while the receiver is down"
        )
        async with receiver.up():
            await wait_until(lambda: _count(receiver, 3), timeout=20, what="all three webhooks")
        log = (await gateway.get("/api/v1/webhook-deliveries", headers=admin)).json()

    ids = {json.loads(item.body)["id"] for item in receiver.received}
    assert ids == {event.id for event in events}
    assert len(receiver.received) == 3
    assert {item["status"] for item in log["items"]} == {"delivered"}
    assert all(item["attempts"][0]["error"] for item in log["items"])


async def test_subscription_is_disabled_after_repeated_failures(
    gateway_settings: Callable[..., Settings], amqp_url: str
) -> None:
    settings = gateway_settings(webhooks={**FAST_RETRIES, "disable_after_failures": 2})
    receiver = Receiver(free_port(), status=500)
    async with running_gateway(settings) as gateway, receiver.up():
        subscription = await _subscribe(gateway, receiver.url, ["*"])
        admin = auth_header(subscription["admin"])
        await publish(amqp_url, settings.events.exchange, customer_created())

        async def disabled() -> bool:
            found = await gateway.get(
                f"/api/v1/webhook-subscriptions/{subscription['id']}", headers=admin
            )
            return found.json()["active"] is False

        await wait_until(disabled, timeout=15, what="the subscription to be disabled")
        found = await gateway.get(
            f"/api/v1/webhook-subscriptions/{subscription['id']}", headers=admin
        )

    assert "failed deliveries in a row" in found.json()["disabled_reason"]


FORGED_TARGETS = [
    ("http://127.0.0.1:9/hooks", "non-public"),
    ("https://10.1.2.3/hooks", "non-public"),
    ("https://169.254.169.254/latest/meta-data", "non-public"),
    ("https://[::1]/hooks", "non-public"),
    ("https://localhost/hooks", "non-public"),
    ("ftp://example.org/hooks", "http"),
]


async def test_webhook_targets_that_would_forge_internal_requests_are_refused(
    gateway: httpx.AsyncClient,
) -> None:
    admin = auth_header(await admin_token(gateway))
    answers = {}

    for url, _ in FORGED_TARGETS:
        response = await gateway.post(
            "/api/v1/webhook-subscriptions", json={"url": url, "event_types": ["*"]}, headers=admin
        )
        answers[url] = (response.status_code, json.dumps(response.json()))

    for url, reason in FORGED_TARGETS:
        status, body = answers[url]
        assert status == 422, url
        assert reason in body, url


# IPv6 addresses that deliver to a private IPv4 address: NAT64, IPv4-translated,
# IPv4-compatible, 6to4, NAT64 local use. Each must be judged by the IPv4 it carries.
IPV4_CARRYING_TARGETS = [
    "https://[64:ff9b::a9fe:a9fe]/latest/meta-data",
    "https://[64:ff9b::7f00:1]/hooks",
    "https://[::ffff:0:a00:1]/hooks",
    "https://[::a00:1]/hooks",
    "https://[2002:c0a8:101::1]/hooks",
    "https://[64:ff9b:1::a00:1]/hooks",
]


async def test_ipv6_addresses_carrying_a_private_ipv4_address_are_refused(
    gateway: httpx.AsyncClient,
) -> None:
    admin = auth_header(await admin_token(gateway))
    answers = {}

    for url in IPV4_CARRYING_TARGETS:
        response = await gateway.post(
            "/api/v1/webhook-subscriptions", json={"url": url, "event_types": ["*"]}, headers=admin
        )
        answers[url] = (response.status_code, response.text)

    for url, (status, body) in answers.items():
        assert status == 422, (url, body)
        assert "non-public" in body, url
        assert "body.url" in body, url


async def _count(receiver: Receiver, expected: int) -> bool:
    return len(receiver.received) >= expected


async def test_only_webhook_managers_see_deliveries(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    from crm_contracts.access import Role

    response = await gateway.get(
        "/api/v1/webhook-deliveries", headers=auth_header(signing_keys.token(Role.INTEGRATION))
    )

    assert response.status_code == 403
