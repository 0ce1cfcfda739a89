"""Reading and writing customers; each write stores the state and its events together."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.domain_errors import DuplicateValue
from crm_chassis.mongo import Document
from crm_chassis.pagination import Page
from crm_chassis.versioned_store import STATE_PROJECTION, VersionedStore
from crm_contracts.events.registry import EventData
from customer.domain.access import Visibility
from customer.domain.consumption import YEAR
from customer.domain.customer import Customer, CustomerStatus, DuplicateCustomer, member_id
from customer.domain.profile import PII_FIELDS
from customer.domain.value import SegmentRule
from customer.store.contacts import ContactStore
from customer.store.crypto import FieldCipher
from customer.store.documents import OPTIONAL_FIELDS, CustomerCodec
from customer.store.imports import hidden_imports, in_unfinished_import
from customer.store.schema import COUNTERS, CUSTOMERS, IMPORTS


@dataclass(frozen=True)
class CustomerFilter:
    visibility: Visibility = dataclasses.field(default_factory=Visibility)
    status: CustomerStatus = CustomerStatus.ACTIVE
    tier: str | None = None
    tag: str | None = None
    owner_id: str | None = None
    team: str | None = None
    region: str | None = None
    industry: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    text: str | None = None
    segment: SegmentRule | None = None
    now: datetime | None = None  # the moment a segment is judged at

    def query(self) -> Document:
        query: Document = {"status": self.status.value}
        if self.segment is not None:
            if self.now is None:
                raise ValueError("a segment is judged at a moment: give now")
            query["$and"] = segment_conditions(self.segment, self.now)
        for field in ("tier", "owner_id", "team", "region", "industry"):
            value = getattr(self, field)
            if value is not None:
                query[field] = value
        if self.tag is not None:
            query["tags"] = self.tag.lower()
        created: Document = {}
        if self.created_from is not None:
            created["$gte"] = self.created_from
        if self.created_to is not None:
            created["$lt"] = self.created_to
        if created:
            query["created_at"] = created
        if self.text:
            query["search"] = {"$regex": re.escape(self.text.lower())}
        visible = visibility_query(self.visibility)
        if visible:
            query.update(visible)
        return query


def segment_conditions(rule: SegmentRule, now: datetime) -> list[Document]:
    """The rule as query conditions on the stored facts, at ``now``. It agrees with
    :meth:`SegmentRule.matches` on what was stored (times are kept to the millisecond)."""
    conditions: list[Document] = []
    if rule.total_from is not None:
        conditions.append({"consumption.total": {"$gte": rule.total_from}})
    if rule.total_below is not None:
        conditions.append({"consumption.total": {"$lt": rule.total_below}})
    if rule.purchases_in_year_from is not None:
        in_year = {
            "$filter": {
                "input": {"$ifNull": ["$consumption.payments", []]},
                "as": "payment",
                "cond": {
                    "$and": [
                        {"$gte": ["$$payment.paid_at", now - YEAR]},
                        {"$lte": ["$$payment.paid_at", now]},
                    ]
                },
            }
        }
        conditions.append({"$expr": {"$gte": [{"$size": in_year}, rule.purchases_in_year_from]}})
    if rule.idle_over_days is not None:
        # Whole days since the last purchase exceed N exactly when N + 1 days have passed.
        idle_since = now - timedelta(days=rule.idle_over_days + 1)
        conditions.append(
            {
                "$or": [
                    {"consumption.last_consumption_at": None},
                    {"consumption.last_consumption_at": {"$lte": idle_since}},
                ]
            }
        )
    if rule.created_within is not None:
        conditions.append({"created_at": {"$gte": now - rule.created_within}})
    return conditions


def visibility_query(visibility: Visibility) -> Document:
    return visibility.query()


# The customer field behind each unique index's key (schema.INDEXES).
_FIELD_OF_UNIQUE_KEY = {"email": "email", "phone_index": "phone", "member_id": "member_id"}


def _duplicate_customer(duplicate: DuplicateValue) -> DuplicateCustomer:
    """The chassis's refusal by a unique index, told as the customer field it guards."""
    key = duplicate.field or ""
    return DuplicateCustomer(_FIELD_OF_UNIQUE_KEY.get(key, key))


class CustomerStore(VersionedStore[Customer]):
    """Customers on the chassis's versioned store, with the encrypting codec. Readers do
    not see customers of an unfinished import, and a taken email or phone is refused as
    :class:`DuplicateCustomer`."""

    codec: CustomerCodec

    def __init__(
        self,
        db: AsyncDatabase[Document],
        cipher: FieldCipher,
        *,
        notify: Callable[[], None] | None = None,
    ) -> None:
        # Fields the customer no longer has are removed, not left as they were: the
        # sparse unique indexes then free the email and phone of an erased customer.
        super().__init__(
            db[CUSTOMERS],
            CustomerCodec(cipher),
            notify=notify,
            removable_fields=frozenset(OPTIONAL_FIELDS),
        )
        self._counters = db[COUNTERS]
        self._imports = db[IMPORTS]
        self.cipher = cipher

    async def _shown(self, query: Document) -> Document:
        """``query`` narrowed to customers readers may see (not in an unfinished import)."""
        hidden = await hidden_imports(self._imports)
        return {"$and": [query, {"import_id": {"$nin": hidden}}]} if hidden else query

    async def reserve_member_ids(self, count: int) -> list[str]:
        """``count`` fresh member ids from one atomic counter increment."""
        counter = await self._counters.find_one_and_update(
            {"_id": "member_id"},
            {"$inc": {"value": count}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert counter is not None  # an upsert with AFTER always returns the document
        last = int(counter["value"])
        return [member_id(sequence) for sequence in range(last - count + 1, last + 1)]

    async def get(self, aggregate_id: str) -> Customer | None:
        document = await self.collection.find_one({"_id": aggregate_id}, STATE_PROJECTION)
        if document is None or await in_unfinished_import(self._imports, document.get("import_id")):
            return None
        return self.codec.from_document(document)

    async def insert(self, aggregate: Customer, events: Sequence[EventData] = ()) -> None:
        try:
            await super().insert(aggregate, events)
        except DuplicateValue as duplicate:
            raise _duplicate_customer(duplicate) from None

    async def save(
        self,
        aggregate: Customer,
        expected_version: int,
        events: Sequence[EventData] = (),
        extra_filter: Mapping[str, Any] | None = None,
    ) -> Customer:
        try:
            return await super().save(aggregate, expected_version, events, extra_filter)
        except DuplicateValue as duplicate:
            raise _duplicate_customer(duplicate) from None

    async def find_page(
        self, where: CustomerFilter, sort: list[tuple[str, int]], offset: int, limit: int
    ) -> Page[Customer]:
        query = await self._shown(where.query())
        return await self.page(query, sort=sort, offset=offset, limit=limit)

    async def iterate(self, where: CustomerFilter, *, limit: int) -> AsyncIterator[Customer]:
        """Every matching customer in creation order, read in batches."""
        query = await self._shown(where.query())
        cursor = self.collection.find(query, projection=STATE_PROJECTION)
        async for document in cursor.sort([("created_at", 1), ("_id", 1)]).limit(limit):
            yield self.codec.from_document(document)

    async def reencrypt(self, *, batch: int = 500) -> int:
        """Rewrite personal numbers stored under older keys with the active key (rotation).

        Each rewrite is conditioned on the old ciphertext, so a concurrent change wins
        and is simply not rewritten; the version does not move, as nothing changed for
        the customer. Returns how many customers were rewritten.
        """
        active = self.cipher.active_key_id + ":"
        stale: Document = {
            "$or": [
                {f"{field}_enc": {"$exists": True, "$not": {"$regex": f"^{re.escape(active)}"}}}
                for field in PII_FIELDS
            ]
        }
        rewritten = 0
        while True:
            documents = await self.collection.find(stale, projection=STATE_PROJECTION).to_list(
                length=batch
            )
            if not documents:
                return rewritten
            for document in documents:
                condition: Document = {"_id": document["_id"]}
                changes: Document = {}
                for field in PII_FIELDS:
                    stored = document.get(f"{field}_enc")
                    if stored is None or stored.startswith(active):
                        continue
                    plain = self.cipher.decrypt(stored, record_id=document["_id"], field=field)
                    condition[f"{field}_enc"] = stored
                    changes[f"{field}_enc"] = self.cipher.encrypt(
                        plain, record_id=document["_id"], field=field
                    )
                result = await self.collection.update_one(condition, {"$set": changes})
                rewritten += result.modified_count

    async def same_name_and_company(self, limit: int) -> list[list[str]]:
        pipeline: list[Document] = [
            {"$match": await self._shown({"status": CustomerStatus.ACTIVE.value})},
            {"$group": {"_id": "$dedupe_key", "ids": {"$push": "$_id"}, "n": {"$sum": 1}}},
            {"$match": {"n": {"$gt": 1}}},
            {"$limit": limit},
        ]
        return [row["ids"] async for row in await self.collection.aggregate(pipeline)]

    async def contact_email_matches(
        self, contacts: ContactStore, limit: int
    ) -> list[tuple[str, str]]:
        """(customer, other customer) where the first has a contact with the other's email."""
        matches = []
        async for customer_id, email in contacts.emails():
            other = await self.collection.find_one(
                {
                    "email": email,
                    "status": CustomerStatus.ACTIVE.value,
                    "_id": {"$ne": customer_id},
                },
                projection={"_id": 1},
            )
            if other is not None:
                matches.append((customer_id, str(other["_id"])))
                if len(matches) >= limit:
                    break
        return matches

    async def network_facts(self) -> list[Document]:
        """Id, name, company, owner, team and consumption of every active customer, for the
        network."""
        projection = {"name": 1, "company": 1, "owner_id": 1, "team": 1, "consumption.total": 1}
        projection["consumption.last_consumption_at"] = 1
        query = await self._shown({"status": CustomerStatus.ACTIVE.value})
        cursor = self.collection.find(query, projection)
        return await cursor.to_list()

    async def find_by_phone(self, phone: str, visibility: Visibility) -> Customer | None:
        query = await self._shown(
            {
                "phone_index": self.cipher.blind_index(phone, field="phone"),
                **visibility_query(visibility),
            }
        )
        document = await self.collection.find_one(query, projection=STATE_PROJECTION)
        return None if document is None else self.codec.from_document(document)
