"""Knowledge base (T-5): articles and relevance ranking without a full-text engine.

Our MongoDB-protocol server has no ``$text``, so each article stores its distinct
search terms (``search_terms``, an indexed array) and its term counts per field. A
search fetches the published articles sharing at least one term with the query
(a bounded candidate set, through the multikey index) and ranks them here with a
BM25-style score: term frequency saturated (k1 = 1.2), weighted by field (title 3,
tags 2, body 1), scaled by how rare the term is among the candidates. Latin words
are lower-cased with a light plural/suffix strip; Chinese text is indexed as
character bigrams, the usual trick without a segmenter.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

_LATIN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "my",
        "not",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "why",
        "with",
        "you",
        "your",
    ]
)
FIELD_WEIGHTS = {"title": 3.0, "tags": 2.0, "body": 1.0}
K1 = 1.2


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def tokenize(text: str) -> list[str]:
    """Search terms of ``text``, in order, repeats kept."""
    lowered = text.lower()
    terms = [_stem(w) for w in _LATIN.findall(lowered) if w not in STOP_WORDS]
    for run in _CJK.findall(lowered):
        terms.extend(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
    return terms


class ArticleTerms(BaseModel):
    """The stored index of one article: term counts per field."""

    title: dict[str, int]
    tags: dict[str, int]
    body: dict[str, int]

    def all_terms(self) -> list[str]:
        return sorted(set(self.title) | set(self.tags) | set(self.body))

    def field(self, name: str) -> dict[str, int]:
        counts: dict[str, int] = getattr(self, name)
        return counts


def index_article(title: str, body: str, tags: Sequence[str]) -> ArticleTerms:
    return ArticleTerms(
        title=dict(Counter(tokenize(title))),
        tags=dict(Counter(tokenize(" ".join(tags)))),
        body=dict(Counter(tokenize(body))),
    )


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(tokenize(query)))


def rank(
    query: str, candidates: Mapping[str, ArticleTerms], *, limit: int
) -> list[tuple[str, float]]:
    """Candidate ids with their scores, best first (ties by id), at most ``limit``."""
    terms = query_terms(query)
    if not terms or not candidates:
        return []
    count = len(candidates)
    documents_with = {
        term: sum(term in terms_of.all_terms() for terms_of in candidates.values())
        for term in terms
    }
    scored: list[tuple[str, float]] = []
    for article_id, article in candidates.items():
        score = 0.0
        for term in terms:
            if not documents_with[term]:
                continue
            idf = math.log(1 + (count - documents_with[term] + 0.5) / (documents_with[term] + 0.5))
            for field, weight in FIELD_WEIGHTS.items():
                frequency = article.field(field).get(term, 0)
                if frequency:
                    score += weight * idf * frequency * (K1 + 1) / (frequency + K1)
        if score > 0:
            scored.append((article_id, round(score, 6)))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


class Article(BaseModel):
    id: str
    title: str
    body: str
    category: str
    tags: list[str] = []
    status: ArticleStatus = ArticleStatus.DRAFT
    published_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    version: int = 1
