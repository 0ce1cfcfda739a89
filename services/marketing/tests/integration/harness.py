"""What an integration test holds: the app, a client, its settings, the bus probe, raw Mongo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from crm_chassis.testing import EventProbe, SigningKeys, auth_header, wait_until
from crm_contracts.access import Role
from marketing.settings import Settings


@dataclass
class Service:
    app: FastAPI
    client: httpx.AsyncClient
    settings: Settings
    keys: SigningKeys
    bus: EventProbe
    raw: AsyncMongoClient[dict[str, Any]]

    def auth(
        self, role: Role = Role.MARKETER, subject: str = "u-marketer", team: str | None = "growth"
    ) -> dict[str, str]:
        return auth_header(self.keys.token(role, subject=subject, team=team))

    @property
    def marketer(self) -> dict[str, str]:
        return self.auth()

    def collection(self, name: str) -> AsyncCollection[dict[str, Any]]:
        return self.raw[self.settings.mongo_db][name]

    async def projected(self, count: int, timeout: float = 30.0) -> None:
        """Wait until ``count`` customers reached the local projection."""
        projection = self.collection("customer_projection")

        async def arrived() -> bool:
            return await projection.count_documents({}) >= count

        await wait_until(arrived, timeout=timeout, what=f"{count} projected customers")
