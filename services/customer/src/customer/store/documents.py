"""The stored form of a customer: personal numbers encrypted, blind indexes beside them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from crm_chassis.mongo import Document
from customer.domain.consumption import Consumption, Payment
from customer.domain.customer import Customer
from customer.domain.profile import PII_FIELDS
from customer.store.crypto import FieldCipher

# Stored fields a customer may lack; a save removes those it no longer has.
OPTIONAL_FIELDS = frozenset(
    (set(Customer.model_fields) - {"id", "consumption"} - PII_FIELDS)
    | {f"{field}_{suffix}" for field in PII_FIELDS for suffix in ("enc", "index")}
)


def dedupe_key(name: str, company: str | None) -> str:
    """Same name at the same company is a likely duplicate (C-9)."""
    return f"{' '.join(name.lower().split())}|{' '.join((company or '').lower().split())}"


def search_text(customer: Customer) -> str:
    parts = (customer.name, customer.company or "", customer.email or "", customer.member_id)
    return " ".join(part.lower() for part in parts if part)


class CustomerCodec:
    """The stored form of a customer for :class:`crm_chassis.versioned_store.VersionedStore`:
    personal numbers encrypted with a blind index beside each, plus the search text and
    the duplicate key."""

    def __init__(self, cipher: FieldCipher) -> None:
        self.cipher = cipher

    def to_document(self, customer: Customer) -> Document:
        """The full stored state. Fields that are ``None`` are left out, never stored as
        null, so the sparse unique indexes ignore customers without an email or phone."""
        state = customer.model_dump(exclude={"id", "consumption", *PII_FIELDS})
        document: Document = {"_id": customer.id}
        document.update(
            {
                key: value.value if isinstance(value, Enum) else value
                for key, value in state.items()
                if value is not None
            }
        )
        for field in PII_FIELDS:
            value = getattr(customer, field)
            if value is not None:
                document[f"{field}_enc"] = self.cipher.encrypt(
                    value, record_id=customer.id, field=field
                )
                document[f"{field}_index"] = self.cipher.blind_index(value, field=field)
        consumption = customer.consumption
        document["consumption"] = {
            "total": consumption.total,
            "last_consumption_at": consumption.last_consumption_at,
            "payments": [payment.model_dump(exclude_none=True) for payment in consumption.payments],
        }
        document["search"] = search_text(customer)
        document["dedupe_key"] = dedupe_key(customer.name, customer.company)
        return document

    def from_document(self, document: Mapping[str, Any]) -> Customer:
        values = {
            name: document[name]
            for name in Customer.model_fields
            if name in document and name not in {"consumption", *PII_FIELDS}
        }
        for field in PII_FIELDS:
            stored = document.get(f"{field}_enc")
            if stored is not None:
                values[field] = self.cipher.decrypt(stored, record_id=document["_id"], field=field)
        facts = document.get("consumption") or {}
        consumption = Consumption(
            total=Decimal(facts.get("total", Decimal("0.00"))),
            last_consumption_at=facts.get("last_consumption_at"),
            payments=tuple(Payment(**payment) for payment in facts.get("payments", [])),
        )
        return Customer.model_validate(
            {"id": document["_id"], "consumption": consumption, **values}
        )
