"""Knowledge-base search and the articles suggested for a ticket."""

from __future__ import annotations

from pydantic import BaseModel

from support.components import Components
from support.domain.knowledge import Article, query_terms, rank


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
