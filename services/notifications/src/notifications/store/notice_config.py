"""What administrators set for customer notices: the reminder steps (one document) and
the templates (one document per kind and language). A template or the settings nobody
changed is the shipped default, version 0; each change counts the version up, and a
change made against an older version than the stored one is refused (``If-Match``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.domain_errors import VersionConflict
from crm_chassis.mongo import Document
from notifications.domain.alerts import Language
from notifications.domain.customer_notices import NoticeSettings
from notifications.domain.notice_templates import DEFAULT_TEMPLATES, NoticeKind, NoticeTemplate
from notifications.store.schema import NOTICE_CONFIG

SETTINGS_ID = "settings"


@dataclass(frozen=True)
class Versioned:
    version: int
    updated_at: datetime | None
    updated_by: str | None


@dataclass(frozen=True)
class StoredTemplate:
    kind: NoticeKind
    language: Language
    template: NoticeTemplate
    default: bool
    stamp: Versioned


def _template_id(kind: NoticeKind, language: Language) -> str:
    return f"template:{kind.value}:{language.value}"


def _stamp(document: Document | None) -> Versioned:
    if document is None:
        return Versioned(0, None, None)
    return Versioned(
        int(document["version"]), document.get("updated_at"), document.get("updated_by")
    )


class NoticeConfigStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db[NOTICE_CONFIG]

    async def settings(self) -> tuple[NoticeSettings, Versioned]:
        document = await self.collection.find_one({"_id": SETTINGS_ID})
        if document is None:
            return NoticeSettings(), _stamp(None)
        fields = {name: document[name] for name in NoticeSettings.model_fields if name in document}
        return NoticeSettings.model_validate(fields), _stamp(document)

    async def put_settings(
        self, settings: NoticeSettings, expected: int | None, at: datetime, by: str
    ) -> Versioned:
        return await self._put(SETTINGS_ID, settings.model_dump(), expected, at, by)

    async def templates(self) -> list[StoredTemplate]:
        stored = {
            document["_id"]: document
            async for document in self.collection.find({"kind": {"$exists": True}})
        }
        return [
            _template(kind, language, stored.get(_template_id(kind, language)))
            for kind in NoticeKind
            for language in Language
        ]

    async def template(self, kind: NoticeKind, language: Language) -> StoredTemplate:
        document = await self.collection.find_one({"_id": _template_id(kind, language)})
        return _template(kind, language, document)

    async def put_template(
        self,
        kind: NoticeKind,
        language: Language,
        template: NoticeTemplate,
        expected: int | None,
        at: datetime,
        by: str,
    ) -> StoredTemplate:
        fields = {
            "kind": kind.value,
            "language": language.value,
            "subject": template.subject,
            "body": template.body,
        }
        stamp = await self._put(_template_id(kind, language), fields, expected, at, by)
        return StoredTemplate(kind, language, template, False, stamp)

    async def _put(
        self, config_id: str, fields: dict[str, Any], expected: int | None, at: datetime, by: str
    ) -> Versioned:
        change = {"$set": {**fields, "updated_at": at, "updated_by": by}, "$inc": {"version": 1}}
        if expected == 0:
            try:
                await self.collection.insert_one(
                    {"_id": config_id, **fields, "updated_at": at, "updated_by": by, "version": 1}
                )
            except DuplicateKeyError:
                raise VersionConflict(config_id) from None
            return Versioned(1, at, by)
        query: Document = {"_id": config_id}
        if expected is not None:
            query["version"] = expected
        saved = await self.collection.find_one_and_update(
            query, change, upsert=expected is None, return_document=ReturnDocument.AFTER
        )
        if saved is None:
            raise VersionConflict(config_id)
        return _stamp(saved)


def _template(kind: NoticeKind, language: Language, document: Document | None) -> StoredTemplate:
    if document is None:
        return StoredTemplate(kind, language, DEFAULT_TEMPLATES[kind][language], True, _stamp(None))
    return StoredTemplate(
        kind,
        language,
        NoticeTemplate(document["subject"], document["body"]),
        False,
        _stamp(document),
    )
