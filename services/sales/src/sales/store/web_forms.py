"""Web form definitions and the per-form submission rate windows."""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec
from sales.domain.web_forms import WebForm
from sales.store import collections as c

_FORMS = ModelCodec(WebForm, "form_id")


class WebFormStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._forms = db[c.WEB_FORMS]
        self._windows = db[c.RATE_WINDOWS]

    async def put(self, form: WebForm) -> None:
        document = _FORMS.to_document(form)
        await self._forms.replace_one({"_id": document["_id"]}, document, upsert=True)

    async def get(self, form_id: str) -> WebForm | None:
        document = await self._forms.find_one({"_id": form_id})
        return None if document is None else _FORMS.from_document(document)

    async def list(self) -> list[WebForm]:
        cursor = self._forms.find({}).sort("_id", 1).limit(1000)
        return [_FORMS.from_document(doc) async for doc in cursor]

    async def count_submission(self, form_id: str, now: datetime) -> int:
        """Count one submission in the form's current minute; returns the count so far."""
        minute = now.replace(second=0, microsecond=0)
        window = await self._windows.find_one_and_update(
            {"_id": f"web_form:{form_id}:{minute.isoformat()}"},
            {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": minute + timedelta(minutes=2)}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert window is not None
        return int(window["count"])
