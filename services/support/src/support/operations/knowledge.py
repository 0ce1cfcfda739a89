"""Knowledge-base search and the articles suggested for a ticket."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from crm_chassis.domain_errors import VersionConflict
from support.components import Components
from support.domain.knowledge import Article, ArticleStatus, query_terms, rank
from support.operations.ids import new_id


class ScoredArticle(BaseModel):
    article: Article
    score: float


async def search_articles(
    support: Components, query: str, *, category: str | None, limit: int
) -> list[ScoredArticle]:
    terms = query_terms(query)
    if not terms:
        return []
    candidates = await support.articles.candidates(terms, category=category)
    ranked = rank(query, candidates, limit=limit)
    articles = await support.articles.many([article_id for article_id, _ in ranked])
    return [
        ScoredArticle(article=articles[article_id], score=score)
        for article_id, score in ranked
        if article_id in articles
    ]


async def create_article(support: Components, fields: Mapping[str, Any]) -> Article:
    """A new article (title, body, category, tags, status); published now if it says so."""
    now = support.now()
    article = Article.model_validate(
        {**fields, "id": new_id(), "created_at": now, "updated_at": now}
    )
    if article.status is ArticleStatus.PUBLISHED:
        article = article.model_copy(update={"published_at": now})
    await support.articles.insert(article)
    return article


async def replace_article(
    support: Components, article_id: str, fields: Mapping[str, Any], expected_version: int | None
) -> Article:
    """The article's new content; first published when it first says so."""

    def change(current: Article) -> tuple[Article, tuple[()]]:
        if expected_version is not None and current.version != expected_version:
            raise VersionConflict(article_id)
        now = support.now()
        published_at = current.published_at
        if fields.get("status") is ArticleStatus.PUBLISHED and published_at is None:
            published_at = now
        updated = current.model_copy(
            update={**fields, "published_at": published_at, "updated_at": now}
        )
        return updated, ()

    return await support.articles.update(article_id, change)
