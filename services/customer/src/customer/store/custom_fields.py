"""Admin-defined custom field definitions."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document
from customer.domain.custom_fields import CustomFieldDefinition
from customer.store.schema import CUSTOM_FIELDS


class FieldAlreadyDefined(Exception):
    pass


class CustomFieldStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._fields = db[CUSTOM_FIELDS]

    async def all(self) -> dict[str, CustomFieldDefinition]:
        documents = await self._fields.find().sort("_id", 1).to_list(length=None)
        return {
            document["_id"]: CustomFieldDefinition(key=document["_id"], **document["definition"])
            for document in documents
        }

    async def add(self, definition: CustomFieldDefinition) -> None:
        body = definition.model_dump(mode="json", exclude={"key"})
        try:
            await self._fields.insert_one({"_id": definition.key, "definition": body})
        except DuplicateKeyError:
            raise FieldAlreadyDefined(definition.key) from None

    async def remove(self, key: str) -> bool:
        return (await self._fields.delete_one({"_id": key})).deleted_count == 1
