"""Leads: versioned aggregates, plus the score rewrite that follows new weights."""

from __future__ import annotations

from collections.abc import Callable

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec, VersionedStore
from sales.domain.leads import Lead
from sales.store import collections as c


class LeadStore(VersionedStore[Lead]):
    def __init__(
        self, db: AsyncDatabase[Document], *, notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(db[c.LEADS], ModelCodec(Lead, "lead_id"), notify=notify)

    async def set_score(self, rescored: Lead) -> None:
        """Write a lead's new score and breakdown, leaving its version alone: a rescore
        after new weights is no edit of the lead, so it must not fail a reader's If-Match."""
        await self.collection.update_one(
            {"_id": rescored.lead_id},
            {
                "$set": {
                    "score": rescored.score,
                    "score_breakdown": [
                        item.model_dump(mode="python") for item in rescored.score_breakdown
                    ],
                }
            },
        )
