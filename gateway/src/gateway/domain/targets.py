"""Protection against server-side request forgery by webhook targets.

A target host is resolved and every address it resolves to must be public;
private, loopback, link-local, shared, multicast and reserved addresses are
refused unless an administrator allow-listed the host name or a network holding
the address. Plain HTTP is refused except for allow-listed targets.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ValueError):
    """The URL may not be called."""


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
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
