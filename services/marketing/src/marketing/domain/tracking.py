"""Signed tokens for the public mail links: open pixel, click redirect, unsubscribe.

A token names its purpose and the delivery (one recipient of one campaign); a click
token also carries the exact target URL, so the redirect can only ever lead where
the campaign's own email pointed (no open redirect): an absolute http(s) URL, as the
sender only ever signs those. HMAC-SHA256 over the payload
with the service's tracking secret; tokens do not expire, because a recipient may
open or unsubscribe from an email weeks later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from crm_chassis.domain_errors import RecordNotFound

MAX_TOKEN_LENGTH = 4096


class LinkKind(StrEnum):
    OPEN = "o"
    CLICK = "c"
    UNSUBSCRIBE = "u"


@dataclass(frozen=True)
class LinkClaim:
    kind: LinkKind
    delivery_id: str
    url: str | None = None


class InvalidToken(RecordNotFound):
    """A token that was not made by this service, or not for this purpose: answered as
    an unknown link (404), never with the reason."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class LinkSigner:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"crm-marketing-links:" + secret.encode()).digest()

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()

    def sign(self, claim: LinkClaim) -> str:
        body: dict[str, str] = {"k": claim.kind.value, "d": claim.delivery_id}
        if claim.url is not None:
            body["u"] = claim.url
        payload = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
        return f"{_b64(payload)}.{_b64(self._mac(payload))}"

    def verify(self, token: str, kind: LinkKind) -> LinkClaim:
        """The claim inside ``token`` if it is genuine and made for ``kind``."""
        if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
            raise InvalidToken("This link is not valid.")
        payload_part, mac_part = token.split(".")
        try:
            payload, mac = _unb64(payload_part), _unb64(mac_part)
        except ValueError:
            raise InvalidToken("This link is not valid.") from None
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise InvalidToken("This link is not valid.")
        body = json.loads(payload)
        if body.get("k") != kind.value:
            raise InvalidToken("This link is not valid.")
        url = body.get("u")
        if kind is LinkKind.CLICK and not is_redirect_target(url):
            raise InvalidToken("This link is not valid.")
        return LinkClaim(kind=kind, delivery_id=str(body["d"]), url=url)


def is_redirect_target(url: object) -> bool:
    """An absolute http(s) URL with a host and no control characters."""
    if not isinstance(url, str) or any(ord(char) < 32 or ord(char) == 127 for char in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)
