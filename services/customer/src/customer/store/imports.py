"""Import jobs and the write that makes an import all-or-nothing (C-8).

Without multi-document transactions an import cannot appear at once, so it is
hidden until it is whole: every row is inserted tagged with its import id, and
readers skip rows whose import is not completed (:func:`hidden_imports`). The rows'
``customer.created`` events are held in one document per batch in
``import_batches``, without the outbox's pending marker, so the relay leaves them
alone. Completing the import marks the job and releases the batches in two small
writes; the rows themselves are never rewritten. A failed or interrupted import is
deleted again (rows and batches) before the job is marked failed.

The job's end (``import.finished`` / ``import.failed``) is an event in the job's own
outbox, written by the same update that records the end.
"""

from __future__ import annotations

from collections.abc import Sequence

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.clock import utc_now
from crm_chassis.events import add_outbox, with_outbox
from crm_chassis.events.outbox import PENDING_SINCE_FIELD
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import STATE_PROJECTION
from crm_contracts.events.registry import EventData, to_cloud_event
from customer.domain.customer import Customer
from customer.store.documents import CustomerCodec
from customer.store.schema import CUSTOMERS, IMPORT_BATCHES, IMPORTS

COMPLETED, FAILED = "completed", "failed"
# Not completed, and not failed either (a failed import's rows are gone).
UNFINISHED: Document = {"state": {"$nin": [COMPLETED, FAILED]}}


async def hidden_imports(imports: AsyncCollection[Document]) -> list[str]:
    """Imports whose rows readers must not see: every one not completed, except the
    failed ones, whose rows are gone (a failure is recorded only after deleting them)."""
    cursor = imports.find(UNFINISHED, projection={"_id": 1})
    return [document["_id"] async for document in cursor]


async def in_unfinished_import(imports: AsyncCollection[Document], import_id: str | None) -> bool:
    """Whether a row tagged ``import_id`` is hidden from readers (see :func:`hidden_imports`):
    one lookup by id, where a list has to exclude every hidden import."""
    if import_id is None:
        return False
    query = {"_id": import_id, **UNFINISHED}
    return await imports.find_one(query, projection={"_id": 1}) is not None


class ImportStore:
    def __init__(self, db: AsyncDatabase[Document], codec: CustomerCodec) -> None:
        self._codec = codec
        self._imports = db[IMPORTS]
        self._batches = db[IMPORT_BATCHES]
        self._customers = db[CUSTOMERS]

    async def create(self, job: Document) -> None:
        await self._imports.insert_one(job)

    async def update(
        self, import_id: str, changes: Document, events: Sequence[EventData] = ()
    ) -> None:
        """Change the job; ``events`` go into its outbox in the same write."""
        cloud = [to_cloud_event(event, subject=import_id) for event in events]
        await self._imports.update_one({"_id": import_id}, add_outbox({"$set": changes}, cloud))

    async def get(self, import_id: str) -> Document | None:
        return await self._imports.find_one({"_id": import_id}, projection=STATE_PROJECTION)

    async def unfinished(self) -> list[Document]:
        cursor = self._imports.find(UNFINISHED, projection=STATE_PROJECTION)
        return await cursor.to_list()

    async def existing_values(self, field: str, values: Sequence[str]) -> set[str]:
        """Which of ``values`` (emails, or phone blind indexes) are taken already."""
        if not values:
            return set()
        cursor = self._customers.find({field: {"$in": list(values)}}, projection={field: 1})
        return {document[field] async for document in cursor}

    async def insert_batch(
        self,
        import_id: str,
        batch: int,
        created: Sequence[tuple[Customer, EventData]],
    ) -> None:
        """Insert a batch of rows, hidden by their import id, and hold their events."""
        documents = []
        for customer, _ in created:
            document = self._codec.to_document(customer)
            document["import_id"] = import_id
            documents.append(document)
        await self._customers.insert_many(documents, ordered=False)
        events = [to_cloud_event(event, subject=customer.id) for customer, event in created]
        held = with_outbox({"_id": f"{import_id}:{batch}", "import_id": import_id}, events)
        held.pop(PENDING_SINCE_FIELD, None)
        await self._batches.replace_one({"_id": held["_id"]}, held, upsert=True)

    async def complete(
        self, import_id: str, changes: Document, events: Sequence[EventData] = ()
    ) -> None:
        """Show the rows (the job is completed, ``events`` in its outbox) and release
        their events to the relay."""
        await self.update(import_id, {**changes, "state": COMPLETED}, events)
        await self._batches.update_many(
            {"import_id": import_id, "_outbox": {"$exists": True}},
            {"$set": {PENDING_SINCE_FIELD: utc_now()}},
        )

    async def discard(self, import_id: str) -> None:
        await self._customers.delete_many({"import_id": import_id})
        await self._batches.delete_many({"import_id": import_id})
