"""Run claims for scheduled jobs: each due run is taken by exactly one replica."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document
from sales.store import collections as c


class JobRunStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._runs = db[c.JOB_RUNS]

    async def claim(self, job: str, owner: str, now: datetime, every: timedelta) -> bool:
        """Take the job's current run if it is due; False if another replica has it.

        The due time moves forward in the same atomic write that claims the run; when
        the run is not due the filter misses, and the upsert's insert of the same
        ``_id`` fails on the unique key.
        """
        claim = secrets.token_hex(8)
        try:
            document = await self._runs.find_one_and_update(
                {"_id": job, "next_run_at": {"$lte": now}},
                {"$set": {"next_run_at": now + every, "owner": owner, "claim": claim}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            return False
        return document is not None and document.get("claim") == claim
