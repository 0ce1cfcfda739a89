"""Knowledge articles with their search index fields (see ``domain.knowledge``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.versioned_store import STATE_PROJECTION, ModelCodec, VersionedStore
from support.domain.knowledge import Article, ArticleStatus, ArticleTerms, index_article
from support.store import ARTICLES

MAX_CANDIDATES = 500


class ArticleCodec(ModelCodec[Article]):
    """An article's fields, plus its search terms: per-field counts (``terms``) and the
    distinct terms a query matches on (``search_terms``, multikey index)."""

    def __init__(self) -> None:
        super().__init__(Article, "id")

    def to_document(self, aggregate: Article) -> Document:
        terms = index_article(aggregate.title, aggregate.body, aggregate.tags)
        return {
            **super().to_document(aggregate),
            "terms": terms.model_dump(),
            "search_terms": terms.all_terms(),
        }


class ArticleStore(VersionedStore[Article]):
    def __init__(
        self, db: AsyncDatabase[Document], *, notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(db[ARTICLES], ArticleCodec(), notify=notify)

    async def require(self, aggregate_id: str, message: str = "") -> Article:
        return await super().require(aggregate_id, message or f"No article {aggregate_id}.")

    async def delete_at(
        self, aggregate_id: str, expected_version: int | None, missing: str = ""
    ) -> None:
        await super().delete_at(
            aggregate_id, expected_version, missing or f"No article {aggregate_id}."
        )

    async def candidates(
        self, terms: list[str], *, category: str | None
    ) -> dict[str, ArticleTerms]:
        """Published articles sharing a term with the query, with their term counts."""
        query: dict[str, Any] = {
            "search_terms": {"$in": terms},
            "status": ArticleStatus.PUBLISHED.value,
        }
        if category:
            query["category"] = category
        cursor = self.collection.find(
            query, projection={"terms": True}, sort=[("_id", 1)], limit=MAX_CANDIDATES
        )
        return {str(d["_id"]): ArticleTerms.model_validate(d["terms"]) async for d in cursor}

    async def many(self, article_ids: list[str]) -> dict[str, Article]:
        cursor = self.collection.find({"_id": {"$in": article_ids}}, STATE_PROJECTION)
        return {str(d["_id"]): self.codec.from_document(d) async for d in cursor}
