"""Normalising and validating the contact fields of a profile (C-1)."""

from __future__ import annotations

import re

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
NATIONAL_ID = re.compile(r"^[0-9A-Za-z]{6,24}$")
_SEPARATORS = re.compile(r"[\s\-().]")


def normalize_phone(value: str) -> str:
    """A mainland mobile as its 11 digits, anything else as E.164; raises ValueError."""
    compact = _SEPARATORS.sub("", value)
    if compact.startswith("+86") and MAINLAND_MOBILE.match(compact[3:]):
        return compact[3:]
    if MAINLAND_MOBILE.match(compact) or E164.match(compact):
        return compact
    raise ValueError("must be a mainland mobile number (1[3-9] and 9 digits) or E.164 (+...)")


def normalize_email(value: str) -> str:
    email = value.strip().lower()
    if len(email) > 254 or not EMAIL.match(email):
        raise ValueError("must be a valid email address")
    return email


def normalize_national_id(value: str) -> str:
    compact = _SEPARATORS.sub("", value).upper()
    if not NATIONAL_ID.match(compact):
        raise ValueError("must be 6 to 24 letters or digits")
    return compact


def normalize_tags(values: list[str]) -> list[str]:
    """Trimmed, lower-case, without duplicates, in first-seen order."""
    seen: dict[str, None] = {}
    for value in values:
        tag = value.strip().lower()
        if not tag:
            raise ValueError("tags must not be empty")
        if len(tag) > 50:
            raise ValueError("tags are at most 50 characters")
        seen.setdefault(tag, None)
    return list(seen)


def mask_phone(phone: str) -> str:
    """``13800000000`` -> ``138****0000``; E.164 keeps its country prefix and last four."""
    if MAINLAND_MOBILE.match(phone):
        return f"{phone[:3]}****{phone[-4:]}"
    return f"{phone[:4]}{'*' * max(len(phone) - 8, 1)}{phone[-4:]}"


def mask_national_id(value: str) -> str:
    return f"{'*' * max(len(value) - 4, 2)}{value[-4:]}"
