"""Webhook signatures, schedules, subscriptions and SSRF rules."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from gateway.domain.targets import TargetPolicy, TargetRefused
from gateway.domain.webhooks import (
    SubscriptionCreate,
    delivery_id,
    matches,
    new_webhook_secret,
    next_attempt_at,
    should_disable,
    signature_headers,
    verify,
)


def test_signature_is_standard_webhooks_hmac_over_id_timestamp_and_body() -> None:
    secret = new_webhook_secret()
    body = b'{"id":"e1"}'

    headers = signature_headers(secret, "msg_1", 1700000000, body)

    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, b"msg_1.1700000000." + body, hashlib.sha256).digest()
    assert headers["webhook-signature"] == "v1," + base64.b64encode(expected).decode()
    assert verify(secret, "msg_1", 1700000000, body, headers["webhook-signature"])
    assert not verify(secret, "msg_1", 1700000001, body, headers["webhook-signature"])


def test_delivery_id_is_stable_per_subscription_and_event() -> None:
    assert delivery_id("s1", "e1") == delivery_id("s1", "e1")
    assert delivery_id("s1", "e1") != delivery_id("s2", "e1")


def test_event_type_patterns() -> None:
    assert matches(["crm.sales.*"], "crm.sales.lead.captured.v1")
    assert matches(["*"], "crm.customer.customer.created.v1")
    assert not matches(["crm.sales.*"], "crm.customer.customer.created.v1")


def test_retry_schedule_then_give_up() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)

    assert next_attempt_at(1, [5, 30], now) == now + timedelta(seconds=5)
    assert next_attempt_at(2, [5, 30], now) == now + timedelta(seconds=30)
    assert next_attempt_at(3, [5, 30], now) is None


def test_disabled_once_failures_reach_the_threshold() -> None:
    assert not should_disable(4, 5)
    assert should_disable(5, 5)


def test_subscription_needs_an_http_url_without_credentials() -> None:
    with pytest.raises(ValidationError):
        SubscriptionCreate(url="https://user:pw@example.org/x", event_types=["*"])
    with pytest.raises(ValidationError):
        SubscriptionCreate(url="file:///etc/passwd", event_types=["*"])


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.0.0.5", "192.168.1.1", "169.254.169.254", "::1", "fd00::1",
                "::ffff:127.0.0.1", "100.64.0.1", "0.0.0.0", "224.0.0.1"]
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    with pytest.raises(TargetRefused):
        TargetPolicy([]).check("https://hooks.example.org/x", [address])


def test_public_https_target_is_accepted_and_http_is_not() -> None:
    policy = TargetPolicy([])

    policy.check("https://hooks.example.org/x", ["93.184.216.34"])
    with pytest.raises(TargetRefused, match="https"):
        policy.check("http://hooks.example.org/x", ["93.184.216.34"])


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    with pytest.raises(TargetRefused):
        TargetPolicy([]).check("https://rebind.example.org/x", ["93.184.216.34", "10.0.0.1"])


def test_allow_listed_host_or_network_may_be_private_and_plain_http() -> None:
    TargetPolicy(["127.0.0.1"]).check("http://127.0.0.1:8000/x", ["127.0.0.1"])
    TargetPolicy(["10.20.0.0/16"]).check("http://erp.internal/x", ["10.20.3.4"])
    TargetPolicy(["erp.internal"]).check("http://erp.internal/x", ["10.20.3.4"])
    with pytest.raises(TargetRefused):
        TargetPolicy(["10.20.0.0/16"]).check("http://erp.internal/x", ["10.30.3.4"])


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("64:ff9b::5db8:d822", True),  # NAT64 of 93.184.216.34
        ("::ffff:0:a00:1", False),  # IPv4-translated 10.0.0.1
        ("::a00:1", False),  # IPv4-compatible 10.0.0.1
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("64:ff9b:1::5db8:d822", False),  # NAT64 local use: a local network by definition
        ("::ffff:93.184.216.34", True),
    ],
)
def test_ipv6_forms_carrying_an_ipv4_address_are_judged_by_it(address: str, public: bool) -> None:
    policy = TargetPolicy([])
    if public:
        policy.check("https://hooks.example.org/x", [address])
    else:
        with pytest.raises(TargetRefused, match="non-public"):
            policy.check("https://hooks.example.org/x", [address])
