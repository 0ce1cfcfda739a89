"""Users, integration clients and refresh tokens in the gateway's database."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.domain_errors import DuplicateValue
from crm_chassis.events import add_outbox
from crm_chassis.mongo import Document, is_duplicate_key
from crm_chassis.versioned_store import STATE_PROJECTION, ModelCodec, VersionedStore
from crm_contracts.events.registry import EventData, to_cloud_event
from gateway.domain.clients import ClientRecord
from gateway.domain.users import DirectoryEntry, UserRecord
from gateway.store import CLIENTS, REFRESH_TOKENS, USERS, update_versioned

_DIRECTORY_FIELDS = ("email", "display_name", "team", "active")
# Set on every account written since accounts announce themselves to the directory;
# an account without it was stored before and is announced once (announce_unannounced).
ANNOUNCED = "_directory_announced"


class _AccountCodec(ModelCodec[UserRecord]):
    def to_document(self, aggregate: UserRecord) -> Document:
        return {**super().to_document(aggregate), ANNOUNCED: True}


class EmailTaken(Exception):
    pass


class UserStore:
    """Accounts are versioned aggregates whose changes carry the directory events
    (crm.gateway.user.changed.v1) in the same write, through the chassis outbox."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._users = db[USERS]
        self._records = VersionedStore(self._users, _AccountCodec(UserRecord, "id"))

    async def insert(self, record: UserRecord, events: Sequence[EventData] = ()) -> None:
        try:
            await self._records.insert(record, events)
        except DuplicateValue:
            raise EmailTaken(record.email) from None
        except DuplicateKeyError as error:
            if is_duplicate_key(error):
                raise EmailTaken(record.email) from None
            raise

    async def save(
        self, record: UserRecord, expected_version: int, events: Sequence[EventData] = ()
    ) -> UserRecord:
        """Store the account's new state if it is still at ``expected_version``
        (:class:`~crm_chassis.domain_errors.VersionConflict` otherwise)."""
        try:
            return await self._records.save(record, expected_version, events)
        except DuplicateValue:
            raise EmailTaken(record.email) from None
        except DuplicateKeyError as error:
            if is_duplicate_key(error):
                raise EmailTaken(record.email) from None
            raise

    async def get(self, user_id: str) -> UserRecord | None:
        return await self._records.get(user_id)

    async def by_email(self, email: str) -> UserRecord | None:
        document = await self._users.find_one({"email": email}, STATE_PROJECTION)
        return None if document is None else self._records.codec.from_document(document)

    async def announce_unannounced(self, event_of: Callable[[UserRecord], EventData]) -> int:
        """Give every account stored before the directory existed its directory event,
        once: the mark and the event are one write, so replicas starting together
        announce each account once between them. How many were announced."""
        announced = 0
        async for document in self._users.find({ANNOUNCED: {"$exists": False}}, STATE_PROJECTION):
            record = self._records.codec.from_document(document)
            event = to_cloud_event(event_of(record), subject=record.id)
            update = add_outbox({"$set": {ANNOUNCED: True}}, [event])
            result = await self._users.update_one(
                {"_id": record.id, ANNOUNCED: {"$exists": False}}, update
            )
            announced += result.modified_count
        return announced

    async def set_password_hash(self, user_id: str, password_hash: str) -> None:
        """A stronger hash of the same password: no change anyone else needs to know of."""
        await self._users.update_one({"_id": user_id}, {"$set": {"password_hash": password_hash}})

    async def directory(
        self, query: Mapping[str, Any], offset: int, limit: int
    ) -> tuple[list[DirectoryEntry], int]:
        """People for the directory, by name; nothing else of their accounts is read."""
        cursor = (
            self._users.find(dict(query), projection=dict.fromkeys(_DIRECTORY_FIELDS, 1))
            .sort([("display_name", 1), ("_id", 1)])
            .skip(offset)
            .limit(limit)
        )
        items = [DirectoryEntry.model_validate(document) async for document in cursor]
        return items, await self._users.count_documents(dict(query))

    async def list(
        self, query: Mapping[str, Any], sort: list[tuple[str, int]], offset: int, limit: int
    ) -> tuple[list[UserRecord], int]:
        items = await self._records.find(query, sort=sort, offset=offset, limit=limit)
        return items, await self._records.count(query)

    async def count(self) -> int:
        return await self._users.count_documents({})


class ClientStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._clients = db[CLIENTS]

    async def insert(self, record: ClientRecord) -> None:
        await self._clients.insert_one(record.model_dump(by_alias=True))

    async def get(self, client_id: str) -> ClientRecord | None:
        document = await self._clients.find_one({"_id": client_id})
        return None if document is None else ClientRecord.model_validate(document)

    async def update(
        self, client_id: str, expected_version: int | None, changes: Mapping[str, Any]
    ) -> ClientRecord | None:
        document = await update_versioned(self._clients, client_id, expected_version, changes)
        return None if document is None else ClientRecord.model_validate(document)

    async def delete(self, client_id: str) -> bool:
        result = await self._clients.delete_one({"_id": client_id})
        return result.deleted_count == 1

    async def list(self, offset: int, limit: int) -> tuple[list[ClientRecord], int]:
        cursor = self._clients.find({}).sort([("created_at", -1), ("_id", 1)])
        cursor = cursor.skip(offset).limit(limit)
        items = [ClientRecord.model_validate(document) async for document in cursor]
        return items, await self._clients.count_documents({})


class RefreshTokenStore:
    """Refresh tokens by digest; a family is one sign-in and all its rotations."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._tokens = db[REFRESH_TOKENS]

    async def insert(
        self, digest: str, *, subject: str, family_id: str, expires_at: datetime
    ) -> None:
        await self._tokens.insert_one(
            {
                "_id": digest,
                "subject": subject,
                "family_id": family_id,
                "expires_at": expires_at,
                "created_at": datetime.now(UTC),
                "used_at": None,
                "revoked": False,
            }
        )

    async def use(self, digest: str) -> Document | None:
        """Mark an unused, unrevoked, unexpired token used, atomically; returns it before.

        Two concurrent refreshes with one token: exactly one wins.
        """
        now = datetime.now(UTC)
        return await self._tokens.find_one_and_update(
            {"_id": digest, "used_at": None, "revoked": False, "expires_at": {"$gt": now}},
            {"$set": {"used_at": now}},
        )

    async def find(self, digest: str) -> Document | None:
        return await self._tokens.find_one({"_id": digest})

    async def revoke_family(self, family_id: str) -> None:
        await self._tokens.update_many({"family_id": family_id}, {"$set": {"revoked": True}})

    async def revoke_subject(self, subject: str) -> None:
        await self._tokens.update_many({"subject": subject}, {"$set": {"revoked": True}})
