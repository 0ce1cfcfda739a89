"""What an integration test holds: the app, a client, its settings, the bus probe, raw Mongo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from crm_chassis.testing import EventProbe, SigningKeys, auth_header
from crm_contracts.access import Role
from customer.settings import Settings


@dataclass
class Service:
    app: FastAPI
    client: httpx.AsyncClient
    settings: Settings
    keys: SigningKeys
    bus: EventProbe
    raw: AsyncMongoClient[dict[str, Any]]

    def auth(self, role: Role, subject: str = "u-admin", team: str | None = None) -> dict[str, str]:
        return auth_header(self.keys.token(role, subject=subject, team=team))

    @property
    def admin(self) -> dict[str, str]:
        return self.auth(Role.ADMIN)

    def collection(self, name: str) -> AsyncCollection[dict[str, Any]]:
        """A collection of this test's database, read raw (no codecs, no decryption)."""
        return self.raw[self.settings.mongo_db][name]
