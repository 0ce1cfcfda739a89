"""Knowledge articles with their search index fields (see ``domain.knowledge``)."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec
from support.domain.knowledge import Article, ArticleStatus, ArticleTerms, index_article
from support.store import ARTICLES
from support.store.documents import find_page, from_document, to_document

MAX_CANDIDATES = 500


def _stored(article: Article) -> Document:
    terms = index_article(article.title, article.body, article.tags)
    return {**to_document(article), "terms": terms.model_dump(), "search_terms": terms.all_terms()}


class ArticleStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._articles = db[ARTICLES]

    async def insert(self, article: Article) -> None:
        await self._articles.insert_one(_stored(article))

    async def save(self, article: Article, expected_version: int) -> bool:
        state = _stored(article)
        del state["_id"]
        result = await self._articles.update_one(
            {"_id": article.id, "version": expected_version}, {"$set": state}
        )
        return result.modified_count == 1

    async def get(self, article_id: str) -> Article | None:
        document = await self._articles.find_one({"_id": article_id})
        return from_document(Article, document) if document else None

    async def delete(self, article_id: str, expected_version: int | None) -> bool:
        condition: dict[str, Any] = {"_id": article_id}
        if expected_version is not None:
            condition["version"] = expected_version
        return (await self._articles.delete_one(condition)).deleted_count == 1

    async def page(
        self, query: dict[str, Any], sort: SortSpec, page: PageParams
    ) -> tuple[list[Article], int]:
        return await find_page(self._articles, Article, query, sort, page)

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
        cursor = self._articles.find(
            query, projection={"terms": True}, sort=[("_id", 1)], limit=MAX_CANDIDATES
        )
        return {str(d["_id"]): ArticleTerms.model_validate(d["terms"]) async for d in cursor}

    async def many(self, article_ids: list[str]) -> dict[str, Article]:
        cursor = self._articles.find({"_id": {"$in": article_ids}})
        return {str(d["_id"]): from_document(Article, d) async for d in cursor}
