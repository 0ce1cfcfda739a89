"""Contacts: people at a customer company (C-4). Their phone numbers are encrypted too."""

from __future__ import annotations

from collections.abc import AsyncIterator

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document
from customer.domain.contact import Contact
from customer.store.crypto import FieldCipher
from customer.store.schema import CONTACTS


class ContactStore:
    def __init__(self, db: AsyncDatabase[Document], cipher: FieldCipher) -> None:
        self._contacts = db[CONTACTS]
        self._cipher = cipher

    def _document(self, contact: Contact) -> Document:
        document = contact.model_dump(exclude={"id", "phone"}, exclude_none=True)
        document["_id"] = contact.id
        if contact.phone is not None:
            document["phone_enc"] = self._cipher.encrypt(
                contact.phone, record_id=contact.id, field="phone"
            )
        return document

    def _contact(self, document: Document) -> Contact:
        stored = document.pop("phone_enc", None)
        phone = (
            None
            if stored is None
            else self._cipher.decrypt(stored, record_id=document["_id"], field="phone")
        )
        return Contact(id=document.pop("_id"), phone=phone, **document)

    async def add(self, contact: Contact) -> bool:
        """False when a contact with this id exists already (an idempotent re-run)."""
        try:
            await self._contacts.insert_one(self._document(contact))
        except DuplicateKeyError:
            return False
        if contact.primary:
            await self._contacts.update_many(
                {"customer_id": contact.customer_id, "_id": {"$ne": contact.id}},
                {"$set": {"primary": False}},
            )
        return True

    async def for_customer(self, customer_id: str) -> list[Contact]:
        cursor = self._contacts.find({"customer_id": customer_id})
        documents = await cursor.sort([("primary", -1), ("name", 1)]).to_list(length=500)
        return [self._contact(document) for document in documents]

    async def remove(self, customer_id: str, contact_id: str) -> bool:
        result = await self._contacts.delete_one({"_id": contact_id, "customer_id": customer_id})
        return result.deleted_count == 1

    async def repoint(self, from_id: str, to_id: str) -> None:
        await self._contacts.update_many(
            {"customer_id": from_id}, {"$set": {"customer_id": to_id, "primary": False}}
        )

    async def emails(self) -> AsyncIterator[tuple[str, str]]:
        cursor = self._contacts.find(
            {"email": {"$exists": True}}, projection={"customer_id": 1, "email": 1}
        )
        async for row in cursor:
            yield row["customer_id"], row["email"]

    async def remove_all(self, customer_id: str) -> None:
        await self._contacts.delete_many({"customer_id": customer_id})
