"""MongoDB access through PyMongo's asynchronous API (the successor of Motor).

Every collection's indexes are declared in code by the service's store and created
at start-up; ``create_indexes`` is idempotent, so several pods starting at once is
safe. Decimals are stored as Decimal128 and read back as ``Decimal``, so money
never passes through a float.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from bson.codec_options import CodecOptions, TypeCodec, TypeRegistry
from bson.decimal128 import Decimal128
from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

Document = dict[str, Any]
IndexPlan = Mapping[str, Sequence[IndexModel]]


class DecimalCodec(TypeCodec):
    python_type = Decimal
    bson_type = Decimal128

    def transform_python(self, value: Decimal) -> Decimal128:
        return Decimal128(value)

    def transform_bson(self, value: Decimal128) -> Decimal:
        return value.to_decimal()


def create_client(url: str, *, timeout_ms: int = 5000) -> AsyncMongoClient[Document]:
    """A client with timezone-aware datetimes and Decimal support."""
    return AsyncMongoClient(
        url,
        tz_aware=True,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        type_registry=TypeRegistry([DecimalCodec()]),
        uuidRepresentation="standard",
    )


def database(client: AsyncMongoClient[Document], name: str) -> AsyncDatabase[Document]:
    options: CodecOptions[Document] = CodecOptions(
        tz_aware=True, type_registry=TypeRegistry([DecimalCodec()])
    )
    return client.get_database(name, codec_options=options)


def merge_index_plans(*plans: IndexPlan) -> dict[str, list[IndexModel]]:
    """One plan holding every index of ``plans``, collection by collection."""
    merged: dict[str, list[IndexModel]] = {}
    for plan in plans:
        for collection, indexes in plan.items():
            merged.setdefault(collection, []).extend(indexes)
    return merged


def indexes_on_same_key(plan: IndexPlan) -> list[str]:
    """The indexes of ``plan`` declared on a key another index of the same collection
    already has. Real MongoDB refuses the second one under another name
    (IndexOptionsConflict), so a service would not start there."""
    found: list[str] = []
    for collection, indexes in plan.items():
        first: dict[tuple[tuple[str, Any], ...], str] = {}
        for model in indexes:
            key = tuple(model.document["key"].items())
            name = str(model.document["name"])
            if key in first:
                found.append(f"{collection}: {name} and {first[key]} both index {dict(key)}")
            else:
                first[key] = name
    return found


async def ensure_indexes(db: AsyncDatabase[Document], plan: IndexPlan) -> None:
    for collection, indexes in plan.items():
        if indexes:
            await db[collection].create_indexes(list(indexes))


async def ping(db: AsyncDatabase[Document]) -> bool:
    try:
        await db.command("ping")
    except Exception:  # any failure means "not ready", whatever the driver raised
        return False
    return True


def is_duplicate_key(error: Exception) -> bool:
    return getattr(error, "code", None) == 11000


def duplicate_key_fields(error: DuplicateKeyError) -> tuple[str, ...]:
    """The fields of the unique index a write collided on, from the server's
    ``keyPattern`` (``("email",)``), never guessed from the message, whose quoted value
    may name another field; empty when the server does not say."""
    pattern = (error.details or {}).get("keyPattern")
    return tuple(pattern) if isinstance(pattern, Mapping) else ()
