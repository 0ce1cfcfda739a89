"""Admin-edited settings documents: scoring weights and lead filters."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.versioned_store import bson_value
from sales.domain.lead_filters import LeadFilter
from sales.domain.scoring import ScoringConfig
from sales.store import collections as c

_SCORING = "lead_scoring"
_FILTERS = "lead_filters"
_FILTER_LIST = TypeAdapter(list[LeadFilter])


class ConfigStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._config = db[c.CONFIG]

    async def _get(self, key: str) -> Any:
        document = await self._config.find_one({"_id": key})
        return None if document is None else document.get("value")

    async def _put(self, key: str, value: Any, version: int) -> None:
        await self._config.replace_one(
            {"_id": key}, {"_id": key, "value": bson_value(value), "version": version}, upsert=True
        )

    async def lead_rules(self) -> tuple[ScoringConfig, list[LeadFilter]]:
        """Scoring and filters in one read (every capture needs both)."""
        cursor = self._config.find({"_id": {"$in": [_SCORING, _FILTERS]}})
        values = {doc["_id"]: doc.get("value") async for doc in cursor}
        scoring = values.get(_SCORING)
        filters = values.get(_FILTERS)
        return (
            ScoringConfig() if scoring is None else ScoringConfig.model_validate(scoring),
            [] if filters is None else _FILTER_LIST.validate_python(filters),
        )

    async def scoring(self) -> ScoringConfig:
        value = await self._get(_SCORING)
        return ScoringConfig() if value is None else ScoringConfig.model_validate(value)

    async def put_scoring(self, config: ScoringConfig) -> None:
        await self._put(_SCORING, config.model_dump(mode="python"), 1)

    async def filters(self) -> list[LeadFilter]:
        value = await self._get(_FILTERS)
        return [] if value is None else _FILTER_LIST.validate_python(value)

    async def put_filters(self, filters: list[LeadFilter]) -> None:
        await self._put(_FILTERS, [item.model_dump(mode="python") for item in filters], 1)
