"""Email templates: versioned aggregates on the chassis store."""

from __future__ import annotations

from collections.abc import Callable

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec, VersionedStore
from marketing.domain.templates import EmailTemplate
from marketing.store import TEMPLATES


class TemplateStore(VersionedStore[EmailTemplate]):
    def __init__(
        self, db: AsyncDatabase[Document], notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(db[TEMPLATES], ModelCodec(EmailTemplate, "id"), notify=notify)

    async def require(self, aggregate_id: str, message: str = "") -> EmailTemplate:
        return await super().require(aggregate_id, message or f"No email template {aggregate_id}.")
