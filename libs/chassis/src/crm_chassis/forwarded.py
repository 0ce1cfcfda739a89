"""The caller's address behind proxies we run, and only those.

``X-Forwarded-For`` is written by whoever sends the request, so it says something
only when the hop that handed it to us is a proxy of ours (the ingress). Uvicorn's
own ``proxy_headers`` trusts loopback by default, which let any caller on the host
(and, through a local tunnel, anyone) pick the address rate limits are counted
against; servers here run with it off and this middleware decides instead, from
``CRM_TRUSTED_PROXIES`` (empty by default: nothing forwarded is believed).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR networks (``10.0.0.0/8``, ``127.0.0.1``, ``fd00::/8``)."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


def _within(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


def forwarded_client(peer: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The address to treat as the caller's.

    The peer unless it is a trusted proxy; then the nearest address in the
    ``X-Forwarded-For`` chain (read right to left) that is not itself a trusted proxy.
    Entries further left were written by the caller and are never believed.
    """
    if not trusted or not _within(peer, trusted):
        return peer
    client = peer
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",") if hop.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return client  # garbage in the chain: stop at the last address we know
        client = hop
        if not _within(hop, trusted):
            return hop
    return client


class TrustedProxyMiddleware:
    """Replaces ``scope["client"]`` (and the scheme) from forwarded headers, only when
    the connection comes from one of ``trusted`` networks."""

    def __init__(self, app: ASGIApp, trusted: Iterable[str]) -> None:
        self.app = app
        self.trusted = parse_networks(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted:
            peer = scope.get("client")
            if peer and _within(str(peer[0]), self.trusted):
                headers = dict(scope["headers"])
                forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
                if forwarded:
                    address = forwarded_client(str(peer[0]), forwarded, self.trusted)
                    scope = {**scope, "client": (address, 0)}
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip()
                if proto in ("http", "https"):
                    secure = proto == "https"
                    if scope["type"] == "websocket":
                        scope = {**scope, "scheme": "wss" if secure else "ws"}
                    else:
                        scope = {**scope, "scheme": proto}
        await self.app(scope, receive, send)
