"""The last OpenAPI document seen from each service.

Kept so a gateway that restarts while a service is down still knows that service's
routes, and answers them with 503 rather than 404.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from gateway.store import UPSTREAM_SPECS


class SpecStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._specs = db[UPSTREAM_SPECS]

    async def save(self, service: str, document: dict[str, Any]) -> None:
        # Stored as JSON text: OpenAPI keys such as "$ref" are not valid field names.
        await self._specs.replace_one(
            {"_id": service},
            {"_id": service, "document": json.dumps(document), "seen_at": datetime.now(UTC)},
            upsert=True,
        )

    async def load_all(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        async for stored in self._specs.find({}):
            found[str(stored["_id"])] = json.loads(stored["document"])
        return found
