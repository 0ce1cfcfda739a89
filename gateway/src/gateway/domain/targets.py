"""Protection against server-side request forgery by webhook targets.

A target host is resolved and every address it resolves to must be public;
private, loopback, link-local, shared, multicast and reserved addresses are
refused unless an administrator allow-listed the host name or a network holding
the address. Plain HTTP is refused except for allow-listed targets.

IPv6 forms that carry an IPv4 address (mapped, translated, compatible, NAT64,
6to4) reach that IPv4 address, so they are judged by it: ``64:ff9b::a00:1`` is
10.0.0.1 behind a NAT64 gateway, not a public IPv6 host.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ValueError):
    """The URL may not be called."""


# Prefixes whose last 32 bits are the IPv4 address a packet ends up at.
_IPV4_CARRIERS = (
    ipaddress.IPv6Network("::ffff:0:0/96"),  # IPv4-mapped
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # IPv4-translated (SIIT)
    ipaddress.IPv6Network("64:ff9b::/96"),  # NAT64 well-known prefix
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible (deprecated, still parsed)
)

# NAT64 local-use prefix (RFC 8215): the IPv4 address sits where the operator chose,
# and what lies behind is by definition a local network.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it stands for one."""
    if any(address in carrier for carrier in _IPV4_CARRIERS):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address in _LOCAL_NAT64:
            return False
        embedded = embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not address.is_multicast


class TargetPolicy:
    def __init__(self, allowed: Sequence[str]) -> None:
        self._hosts = frozenset(entry.lower() for entry in allowed if "/" not in entry)
        self._networks = [
            ipaddress.ip_network(entry, strict=False) for entry in allowed if "/" in entry
        ]
        for host in list(self._hosts):
            try:
                self._networks.append(ipaddress.ip_network(host))
            except ValueError:
                continue

    def _allow_listed(self, host: str, address: Address | None) -> bool:
        if host in self._hosts:
            return True
        return address is not None and any(address in network for network in self._networks)

    def check(self, url: str, resolved: Iterable[str]) -> None:
        """Raise :class:`TargetRefused` unless ``url`` (resolving to ``resolved``) may be called."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host:
            raise TargetRefused("the URL has no host")
        addresses = [ipaddress.ip_address(value.split("%", 1)[0]) for value in resolved]
        if not addresses:
            raise TargetRefused(f"{host} does not resolve")
        host_listed = host in self._hosts
        for address in addresses:
            if not is_public(address) and not (host_listed or self._allow_listed(host, address)):
                raise TargetRefused(
                    f"{host} resolves to {address}, a non-public address that is not allow-listed"
                )
        if parts.scheme != "https" and not (
            host_listed or all(self._allow_listed(host, address) for address in addresses)
        ):
            raise TargetRefused("webhook targets must use https")
