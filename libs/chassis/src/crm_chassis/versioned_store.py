"""A store of versioned aggregates: the one way services load and save their records.

An aggregate is a pydantic model with an id field and an integer ``version``. Saving
writes ``$set`` conditioned on the version it was read at, never a replacement, so the
pending events the outbox keeps in the same document survive, and the events the change
caused are written by that same single-document update (see
:mod:`crm_chassis.events.outbox`). Reads never return the outbox's fields.

A change that lost the race raises :class:`~crm_chassis.domain_errors.VersionConflict`
(answered 412 when the caller sent ``If-Match``); :meth:`VersionedStore.update` reads
again and retries for changes that do not depend on what the caller saw. A write that
collides with a unique index raises :class:`~crm_chassis.domain_errors.DuplicateValue`
naming the field from the server's ``keyPattern``.

How a model becomes a document is the codec's business: :class:`ModelCodec` maps
fields one to one (the id field becomes ``_id``); a service with more to do (encrypted
personal fields, search keys) gives its own codec.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, Generic, Protocol, TypeVar

from pydantic import BaseModel
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from crm_chassis.domain_errors import DuplicateValue, RecordNotFound, VersionConflict
from crm_chassis.events import add_outbox, with_outbox
from crm_chassis.events.outbox import (
    LEASE_OWNER_FIELD,
    LEASE_UNTIL_FIELD,
    OUTBOX_FIELD,
    PENDING_SINCE_FIELD,
)
from crm_chassis.mongo import Document, duplicate_key_fields
from crm_chassis.pagination import Page
from crm_contracts.events.registry import EventData, to_cloud_event

M = TypeVar("M", bound=BaseModel)

#: The outbox's fields, left out of every read of an aggregate's state.
STATE_PROJECTION: Final[Mapping[str, int]] = dict.fromkeys(
    (OUTBOX_FIELD, PENDING_SINCE_FIELD, LEASE_OWNER_FIELD, LEASE_UNTIL_FIELD), 0
)

Sort = Sequence[tuple[str, int]]
#: A change to an aggregate: its new state and the events it caused, or ``None``
#: when there is nothing to change.
Change = Callable[[M], tuple[M, Sequence[EventData]] | None]


def bson_value(value: Any) -> Any:
    """A value BSON can store: enums by value, calendar dates as ISO strings."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): bson_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [bson_value(item) for item in value]
    return value


class Codec(Protocol[M]):
    """How one kind of aggregate is stored."""

    def to_document(self, aggregate: M) -> Document:
        """The stored state, with the aggregate's id as ``_id``."""
        ...

    def from_document(self, document: Mapping[str, Any]) -> M: ...


class ModelCodec(Generic[M]):
    """Fields stored as they are (BSON-safe), the id field as ``_id``; stored fields
    starting with ``_`` (the outbox's, a service's own keys) are not the model's."""

    def __init__(self, model: type[M], id_field: str) -> None:
        self.model = model
        self.id_field = id_field

    def to_document(self, aggregate: M) -> Document:
        document: Document = bson_value(aggregate.model_dump(mode="python"))
        document["_id"] = document.pop(self.id_field)
        return document

    def from_document(self, document: Mapping[str, Any]) -> M:
        data = {key: value for key, value in document.items() if not key.startswith("_")}
        data[self.id_field] = document["_id"]
        return self.model.model_validate(data)


class VersionedStore(Generic[M]):
    """Load, list and save one kind of versioned aggregate in one collection.

    ``notify`` is called after every write that carried events (the service passes
    ``runtime.notify_outbox`` so the relay publishes them at once). Stored fields named
    in ``removable_fields`` are removed by a save whose document lacks them (a codec
    that leaves out empty values, so that sparse unique indexes skip them, needs this
    to free an e-mail that was cleared); other fields are only ever set.
    """

    def __init__(
        self,
        collection: AsyncCollection[Document],
        codec: Codec[M],
        *,
        notify: Callable[[], None] | None = None,
        removable_fields: frozenset[str] = frozenset(),
    ) -> None:
        self.collection = collection
        self.codec = codec
        self._notify = notify
        self._removable = removable_fields

    async def get(self, aggregate_id: str) -> M | None:
        document = await self.collection.find_one({"_id": aggregate_id}, STATE_PROJECTION)
        return None if document is None else self.codec.from_document(document)

    async def require(self, aggregate_id: str, message: str = "Not found.") -> M:
        """The aggregate, or :class:`RecordNotFound`."""
        found = await self.get(aggregate_id)
        if found is None:
            raise RecordNotFound(message)
        return found

    async def find(
        self,
        query: Mapping[str, Any],
        *,
        sort: Sort | None = None,
        offset: int = 0,
        limit: int = 0,
    ) -> list[M]:
        # A batch as large as the page: real MongoDB's first batch is otherwise 101
        # documents, and a page of 200 would cost a getMore.
        cursor = self.collection.find(
            dict(query), STATE_PROJECTION, skip=offset, limit=limit, batch_size=limit
        )
        if sort:
            cursor = cursor.sort(list(sort))
        return [self.codec.from_document(document) async for document in cursor]

    async def count(self, query: Mapping[str, Any]) -> int:
        return await self.collection.count_documents(dict(query))

    async def page(
        self, query: Mapping[str, Any], *, sort: Sort, offset: int, limit: int
    ) -> Page[M]:
        """One page of matches in ``sort`` order, with the total number of matches."""
        items = await self.find(query, sort=sort, offset=offset, limit=limit)
        return Page(items=items, total=await self.count(query), offset=offset, limit=limit)

    async def insert(self, aggregate: M, events: Sequence[EventData] = ()) -> None:
        """Store a new aggregate with the events of its creation.

        A collision on a unique field raises :class:`DuplicateValue` naming it; one on
        ``_id`` stays a ``DuplicateKeyError``: the caller inserting a known id (a
        redelivered event, a seed every replica tries) decides what it means.
        """
        document = self.codec.to_document(aggregate)
        try:
            await self.collection.insert_one(with_outbox(document, _cloud(events, document)))
        except DuplicateKeyError as error:
            _raise_duplicate_value(error)
            raise
        self._written(events)

    async def save(
        self,
        aggregate: M,
        expected_version: int,
        events: Sequence[EventData] = (),
        extra_filter: Mapping[str, Any] | None = None,
    ) -> M:
        """Write the aggregate's new state, one version up, if it is still at
        ``expected_version`` (and matches ``extra_filter``); the state as stored."""
        document = self.codec.to_document(aggregate)
        aggregate_id = document.pop("_id")
        document["version"] = expected_version + 1
        change: Document = {"$set": document}
        removed = sorted(self._removable - document.keys())
        if removed:
            change["$unset"] = dict.fromkeys(removed, "")
        update = add_outbox(change, _cloud(events, {"_id": aggregate_id}))
        query = {"_id": aggregate_id, "version": expected_version, **(extra_filter or {})}
        try:
            saved = await self.collection.find_one_and_update(
                query, update, projection=STATE_PROJECTION, return_document=ReturnDocument.AFTER
            )
        except DuplicateKeyError as error:
            _raise_duplicate_value(error)
            raise
        if saved is None:
            raise VersionConflict(aggregate_id)
        self._written(events)
        return self.codec.from_document(saved)

    async def update(self, aggregate_id: str, change: Change[M], *, attempts: int = 5) -> M:
        """Apply ``change`` to the current state and save it, reading again and
        retrying when another writer got in between; for changes that do not depend on
        a version the caller saw. Raises :class:`RecordNotFound`, or
        :class:`VersionConflict` when every attempt lost the race."""
        for _ in range(attempts):
            current = await self.require(aggregate_id)
            changed = change(current)
            if changed is None:
                return current
            new_state, events = changed
            try:
                return await self.save(new_state, _version(current), events)
            except VersionConflict:
                continue
        raise VersionConflict(aggregate_id)

    async def delete(self, aggregate_id: str) -> bool:
        result = await self.collection.delete_one({"_id": aggregate_id})
        return result.deleted_count == 1

    async def delete_at(
        self, aggregate_id: str, expected_version: int | None, missing: str = "Not found."
    ) -> None:
        """Delete the aggregate if it is still at ``expected_version`` (any version when
        ``None``): :class:`RecordNotFound` (``missing``) when it is gone,
        :class:`VersionConflict` when it moved on."""
        query: Document = {"_id": aggregate_id}
        if expected_version is not None:
            query["version"] = expected_version
        if (await self.collection.delete_one(query)).deleted_count == 1:
            return
        if await self.collection.count_documents({"_id": aggregate_id}, limit=1) == 0:
            raise RecordNotFound(missing)
        raise VersionConflict(aggregate_id)

    def _written(self, events: Sequence[EventData]) -> None:
        if events and self._notify is not None:
            self._notify()


def _cloud(events: Sequence[EventData], document: Mapping[str, Any]) -> list[Any]:
    return [to_cloud_event(event, subject=str(document["_id"])) for event in events]


def _version(aggregate: BaseModel) -> int:
    version = getattr(aggregate, "version", None)
    if not isinstance(version, int):
        raise TypeError(f"{type(aggregate).__name__} has no integer version")
    return version


def _raise_duplicate_value(error: DuplicateKeyError) -> None:
    """Raise :class:`DuplicateValue` for a collision on a unique field other than ``_id``."""
    fields = [name for name in duplicate_key_fields(error) if name != "_id"]
    if fields:
        raise DuplicateValue(fields[0]) from error
