"""Reading and writing customers; each write stores the state and its events together."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.events import add_outbox, with_outbox
from crm_chassis.mongo import Document, duplicate_key_fields
from crm_contracts.events.registry import EventData, to_cloud_event
from customer.domain.access import Visibility
from customer.domain.consumption import YEAR
from customer.domain.customer import Customer, CustomerStatus, member_id
from customer.domain.profile import PII_FIELDS
from customer.domain.value import SegmentRule
from customer.store.contacts import ContactStore
from customer.store.crypto import FieldCipher
from customer.store.documents import STATE_PROJECTION, from_document, state_update, to_document
from customer.store.imports import hidden_imports, in_unfinished_import
from customer.store.schema import COUNTERS, CUSTOMERS, IMPORTS


class DuplicateValue(Exception):
    """Another customer already has this email or phone."""

    def __init__(self, field: str) -> None:
        super().__init__(f"duplicate {field}")
        self.field = field


class VersionConflict(Exception):
    """The customer changed since it was read."""


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
_FIELD_OF_UNIQUE_KEY = {
    "_id": "id",
    "email": "email",
    "phone_index": "phone",
    "member_id": "member_id",
}


def _duplicate_value(error: DuplicateKeyError) -> DuplicateKeyError | DuplicateValue:
    """The field a unique index refused, as :class:`DuplicateValue`; the error itself
    when the index is none of the customer's unique fields."""
    for key in duplicate_key_fields(error):
        if key in _FIELD_OF_UNIQUE_KEY:
            return DuplicateValue(_FIELD_OF_UNIQUE_KEY[key])
    return error


class CustomerStore:
    def __init__(self, db: AsyncDatabase[Document], cipher: FieldCipher) -> None:
        self._customers = db[CUSTOMERS]
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

    async def taken_field(self, customer: Customer, *, exclude_id: str | None = None) -> str | None:
        """Which unique value of ``customer`` another customer already holds, if any."""
        probes: list[tuple[str, Document]] = []
        if customer.email is not None:
            probes.append(("email", {"email": customer.email}))
        if customer.phone is not None:
            index = self.cipher.blind_index(customer.phone, field="phone")
            probes.append(("phone", {"phone_index": index}))
        for field, query in probes:
            if exclude_id is not None:
                query = {**query, "_id": {"$ne": exclude_id}}
            if await self._customers.find_one(query, projection={"_id": 1}) is not None:
                return field
        return None

    async def insert(self, customer: Customer, events: Sequence[EventData]) -> None:
        field = await self.taken_field(customer)
        if field is not None:
            raise DuplicateValue(field)
        document = with_outbox(to_document(customer, self.cipher), _cloud(customer.id, events))
        try:
            await self._customers.insert_one(document)
        except DuplicateKeyError as error:
            raise _duplicate_value(error) from None

    async def get(self, customer_id: str) -> Customer | None:
        document = await self._customers.find_one({"_id": customer_id}, STATE_PROJECTION)
        if document is None or await in_unfinished_import(self._imports, document.get("import_id")):
            return None
        return from_document(document, self.cipher)

    async def save(
        self, before: Customer, after: Customer, events: Sequence[EventData]
    ) -> Customer:
        """Write ``after`` if the stored version is still ``before.version``."""
        if after.email != before.email or after.phone != before.phone:
            field = await self.taken_field(after, exclude_id=after.id)
            if field is not None:
                raise DuplicateValue(field)
        update = add_outbox(state_update(after, self.cipher), _cloud(after.id, events))
        try:
            result = await self._customers.update_one(
                {"_id": after.id, "version": before.version}, update
            )
        except DuplicateKeyError as error:
            raise _duplicate_value(error) from None
        if result.matched_count == 0:
            raise VersionConflict(after.id)
        return after

    async def delete(self, customer_id: str, version: int | None) -> bool:
        query: Document = {"_id": customer_id}
        if version is not None:
            query["version"] = version
        result = await self._customers.delete_one(query)
        return result.deleted_count == 1

    async def find_page(
        self, where: CustomerFilter, sort: list[tuple[str, int]], offset: int, limit: int
    ) -> tuple[list[Customer], int]:
        query = await self._shown(where.query())
        total = await self._customers.count_documents(query)
        cursor = self._customers.find(query, projection=STATE_PROJECTION)
        documents = await cursor.sort(sort).skip(offset).limit(limit).to_list(length=limit)
        return [from_document(document, self.cipher) for document in documents], total

    async def iterate(self, where: CustomerFilter, *, limit: int) -> AsyncIterator[Customer]:
        """Every matching customer in creation order, read in batches."""
        query = await self._shown(where.query())
        cursor = self._customers.find(query, projection=STATE_PROJECTION)
        async for document in cursor.sort([("created_at", 1), ("_id", 1)]).limit(limit):
            yield from_document(document, self.cipher)

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
            documents = await self._customers.find(stale, projection=STATE_PROJECTION).to_list(
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
                result = await self._customers.update_one(condition, {"$set": changes})
                rewritten += result.modified_count

    async def same_name_and_company(self, limit: int) -> list[list[str]]:
        pipeline: list[Document] = [
            {"$match": await self._shown({"status": CustomerStatus.ACTIVE.value})},
            {"$group": {"_id": "$dedupe_key", "ids": {"$push": "$_id"}, "n": {"$sum": 1}}},
            {"$match": {"n": {"$gt": 1}}},
            {"$limit": limit},
        ]
        return [row["ids"] async for row in await self._customers.aggregate(pipeline)]

    async def contact_email_matches(
        self, contacts: ContactStore, limit: int
    ) -> list[tuple[str, str]]:
        """(customer, other customer) where the first has a contact with the other's email."""
        matches = []
        async for customer_id, email in contacts.emails():
            other = await self._customers.find_one(
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
        cursor = self._customers.find(query, projection)
        return await cursor.to_list()

    async def find_by_phone(self, phone: str, visibility: Visibility) -> Customer | None:
        query = await self._shown(
            {
                "phone_index": self.cipher.blind_index(phone, field="phone"),
                **visibility_query(visibility),
            }
        )
        document = await self._customers.find_one(query, projection=STATE_PROJECTION)
        return None if document is None else from_document(document, self.cipher)


def _cloud(subject: str, events: Sequence[EventData]) -> list[Any]:
    return [to_cloud_event(event, subject=subject) for event in events]
