"""Ticket attachments kept in the service's own database (bounded by settings)."""

from __future__ import annotations

from datetime import datetime

from bson.binary import Binary
from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from support.store import ATTACHMENTS


class AttachmentMeta(BaseModel):
    id: str
    ticket_id: str
    filename: str
    content_type: str
    size: int
    uploaded_by: str | None
    created_at: datetime


class AttachmentStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._attachments = db[ATTACHMENTS]

    async def insert(self, meta: AttachmentMeta, data: bytes) -> None:
        document = {**meta.model_dump(), "_id": meta.id, "data": Binary(data)}
        del document["id"]
        await self._attachments.insert_one(document)

    async def list_for(self, ticket_id: str) -> list[AttachmentMeta]:
        cursor = self._attachments.find(
            {"ticket_id": ticket_id}, projection={"data": False}, sort=[("created_at", 1)]
        )
        return [AttachmentMeta.model_validate({**d, "id": d["_id"]}) async for d in cursor]

    async def get(self, ticket_id: str, attachment_id: str) -> tuple[AttachmentMeta, bytes] | None:
        document = await self._attachments.find_one({"_id": attachment_id, "ticket_id": ticket_id})
        if document is None:
            return None
        meta = AttachmentMeta.model_validate({**document, "id": document["_id"]})
        return meta, bytes(document["data"])

    async def delete_for(self, ticket_id: str) -> None:
        await self._attachments.delete_many({"ticket_id": ticket_id})
