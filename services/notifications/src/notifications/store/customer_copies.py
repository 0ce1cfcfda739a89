"""What this service keeps of customers to write to them: name, e-mail and language from
the customer events, whether they opted out of e-mail from marketing's subscription
events, and the erasure tombstone.

The profile follows :func:`crm_chassis.local_copies.apply_if_newer` (aspect
``profile``, ordered by the customer's version, creation first), the e-mail consent
likewise (aspect ``email_consent``, ordered by the time of the change). A consent
change that names only an address is kept by address (``mail_consent``), so it also
holds for the customer who has that address.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.local_copies import ERASED, Stamp, apply_if_newer, tombstone
from crm_chassis.mongo import Document
from notifications.domain.customer_notices import Recipient
from notifications.store.schema import CUSTOMERS, MAIL_CONSENT

PROFILE = "profile"
CONSENT = "email_consent"


def normal_address(email: str) -> str:
    return email.strip().lower()


class CustomerCopyStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.customers: AsyncCollection[Document] = db[CUSTOMERS]
        self.consent: AsyncCollection[Document] = db[MAIL_CONSENT]

    async def apply_profile(
        self, customer_id: str, stamp: Stamp, name: str, email: str | None, language: str | None
    ) -> bool:
        return await apply_if_newer(
            self.customers,
            customer_id,
            PROFILE,
            stamp,
            {
                "name": name,
                "email": normal_address(email) if email else None,
                "language": language,
            },
        )

    async def apply_consent(
        self, customer_id: str | None, email: str | None, stamp: Stamp, subscribed: bool
    ) -> None:
        """Keep whether the customer (or, naming no customer, the address) takes e-mail."""
        fields = {"email_opt_out": not subscribed, "consent_changed_at": stamp.order}
        if customer_id:
            await apply_if_newer(self.customers, customer_id, CONSENT, stamp, fields)
        elif email:
            await apply_if_newer(self.consent, normal_address(email), CONSENT, stamp, fields)

    async def erase(self, customer_id: str, erased_at: datetime) -> None:
        await tombstone(self.customers, customer_id, erased_at)

    async def recipient(self, customer_id: str) -> Recipient | None:
        """The customer as mail to them needs it (a tombstone says erased); None when no
        event about them arrived yet."""
        document = await self.customers.find_one({"_id": customer_id})
        if document is None:
            return None
        if document.get(ERASED):
            return Recipient(customer_id, "", None, None, erased=True)
        email = document.get("email")
        opted_out = bool(document.get("email_opt_out"))
        if email and not opted_out:
            by_address = await self.consent.find_one({"_id": email})
            opted_out = _later_opt_out(document, by_address)
        return Recipient(
            customer_id=customer_id,
            name=document.get("name") or "",
            email=email,
            language=document.get("language"),
            opted_out=opted_out,
        )


def _later_opt_out(customer: Mapping[str, Any], by_address: Mapping[str, Any] | None) -> bool:
    """Whether the address's own consent record says no, and is not older than a yes
    the customer gave."""
    if by_address is None or not by_address.get("email_opt_out"):
        return False
    said_yes_at = customer.get("consent_changed_at")
    return said_yes_at is None or by_address["consent_changed_at"] >= said_yes_at
