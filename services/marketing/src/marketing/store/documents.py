"""Reading the plain (not versioned) collections: queues, consent, responses.

Versioned aggregates go through :class:`crm_chassis.versioned_store.VersionedStore`;
these collections keep raw documents, paged here without the outbox's fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec
from crm_chassis.versioned_store import STATE_PROJECTION


async def page(
    collection: AsyncCollection[Document],
    query: Mapping[str, Any],
    sort: SortSpec,
    params: PageParams,
) -> tuple[list[Document], int]:
    total = await collection.count_documents(query)
    cursor = (
        collection.find(query, STATE_PROJECTION).sort(sort).skip(params.offset).limit(params.limit)
    )
    return await cursor.to_list(length=params.limit), total
