"""/api/v1/knowledge-articles: the knowledge base with relevance-ranked search (T-5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field, StringConstraints

from crm_chassis.concurrency import etag
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from support.api.deps import IfMatchRequired, ReadKnowledge, SupportDep, WriteKnowledge
from support.domain.knowledge import Article, ArticleStatus
from support.operations import knowledge

router = APIRouter(prefix="/api/v1/knowledge-articles", tags=["knowledge"])

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100_000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class ArticleIn(InputModel):
    title: Title
    body: Text
    category: Tag
    tags: list[Tag] = Field(default=[], max_length=30)
    status: ArticleStatus = ArticleStatus.DRAFT


class ArticleOut(BaseModel):
    id: str
    title: str
    body: str
    category: str
    tags: list[str]
    status: ArticleStatus
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, article: Article) -> ArticleOut:
        return cls.model_validate(article.model_dump())


class SearchHitOut(BaseModel):
    article: ArticleOut
    score: float


def _shaped(article: Article, response: Response) -> ArticleOut:
    response.headers["ETag"] = etag(article.version)
    return ArticleOut.of(article)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_article(
    body: ArticleIn, support: SupportDep, _: WriteKnowledge, response: Response
) -> ArticleOut:
    article = await knowledge.create_article(support, body.model_dump())
    response.headers["Location"] = f"/api/v1/knowledge-articles/{article.id}"
    return _shaped(article, response)


@router.get("")
async def list_articles(
    support: SupportDep,
    _: ReadKnowledge,
    page: PageDep,
    category: str | None = None,
    status_: Annotated[ArticleStatus | None, Query(alias="status")] = None,
    sort: str | None = None,
) -> Page[ArticleOut]:
    query: dict[str, Any] = {}
    if category:
        query["category"] = category
    if status_:
        query["status"] = status_.value
    spec = parse_sort(sort, ("title", "created_at", "updated_at", "category"), "-updated_at")
    found = await support.articles.page(query, sort=spec, offset=page.offset, limit=page.limit)
    return Page[ArticleOut](
        items=[ArticleOut.of(a) for a in found.items],
        total=found.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/search")
async def search(
    support: SupportDep,
    _: ReadKnowledge,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    category: str | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[SearchHitOut]:
    """Published articles ranked by relevance to ``q`` (see README: ranking)."""
    hits = await knowledge.search_articles(support, q, category=category, limit=limit)
    return [SearchHitOut(article=ArticleOut.of(h.article), score=h.score) for h in hits]


@router.get("/{article_id}")
async def get_article(
    article_id: str, support: SupportDep, _: ReadKnowledge, response: Response
) -> ArticleOut:
    return _shaped(await support.articles.require(article_id), response)


@router.put("/{article_id}")
async def replace_article(
    article_id: str,
    body: ArticleIn,
    support: SupportDep,
    _: WriteKnowledge,
    version: IfMatchRequired,
    response: Response,
) -> ArticleOut:
    updated = await knowledge.replace_article(support, article_id, body.model_dump(), version)
    return _shaped(updated, response)


@router.delete("/{article_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_article(
    article_id: str, support: SupportDep, _: WriteKnowledge, version: IfMatchRequired
) -> Response:
    await support.articles.delete_at(article_id, version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
