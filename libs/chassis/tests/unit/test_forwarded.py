"""Forwarded headers are believed only from configured proxies, never from loopback by default."""

from __future__ import annotations

import pytest
from starlette.types import Message, Receive, Scope, Send

from crm_chassis.forwarded import TrustedProxyMiddleware, forwarded_client, parse_networks

INGRESS = parse_networks(["10.0.0.0/8"])


def test_without_trusted_proxies_the_peer_is_the_caller_even_on_loopback() -> None:
    assert forwarded_client("127.0.0.1", "203.0.113.7", ()) == "127.0.0.1"


def test_a_peer_outside_the_trusted_networks_cannot_claim_another_address() -> None:
    assert forwarded_client("127.0.0.1", "203.0.113.7", INGRESS) == "127.0.0.1"


def test_behind_the_ingress_the_address_it_saw_is_the_caller() -> None:
    assert forwarded_client("10.1.2.3", "203.0.113.7", INGRESS) == "203.0.113.7"


def test_addresses_the_caller_prepended_are_ignored() -> None:
    chain = "198.51.100.1, 203.0.113.7"  # the caller wrote the first; the ingress the last
    assert forwarded_client("10.1.2.3", chain, INGRESS) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop() -> None:
    assert forwarded_client("10.1.2.3", "203.0.113.7, 10.9.9.9", INGRESS) == "203.0.113.7"


def test_garbage_in_the_chain_stops_at_the_last_known_address() -> None:
    assert forwarded_client("10.1.2.3", "203.0.113.7, not-an-ip", INGRESS) == "10.1.2.3"


@pytest.mark.parametrize(
    ("trusted", "expected"), [([], "127.0.0.1"), (["127.0.0.1"], "203.0.113.7")]
)
async def test_middleware_rewrites_the_client_only_for_a_trusted_peer(
    trusted: list[str], expected: str
) -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)

    scope: Scope = {
        "type": "http",
        "scheme": "http",
        "client": ("127.0.0.1", 5555),
        "headers": [(b"x-forwarded-for", b"203.0.113.7"), (b"x-forwarded-proto", b"https")],
    }

    async def receive() -> Message:
        return {"type": "http.request"}

    async def send(message: Message) -> None:
        return None

    await TrustedProxyMiddleware(app, trusted)(scope, receive, send)
    assert seen[0]["client"][0] == expected
    assert seen[0]["scheme"] == ("https" if trusted else "http")
