"""The shared-secret signature of the mail provider's inbound webhook.

The provider sends ``X-Signature-Timestamp`` (Unix seconds) and ``X-Signature:
sha256=<hex>``, the HMAC-SHA256 of ``"<timestamp>." + raw message`` with the shared
secret. The timestamp bounds replays; Message-ID idempotency covers the rest.
"""

from __future__ import annotations

import hashlib
import hmac


def sign_inbound_mail(secret: str, timestamp: int, raw: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def inbound_signature_is_valid(
    secret: str, *, timestamp: int, signature: str, raw: bytes, now: float, max_age_seconds: int
) -> bool:
    if abs(now - timestamp) > max_age_seconds:
        return False
    return hmac.compare_digest(sign_inbound_mail(secret, timestamp, raw), signature)
