"""A database of the test's own on the MongoDB-protocol server from ``crm_localinfra``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document, create_client, database


@pytest.fixture
async def db(mongo_url: str, mongo_db_name: str) -> AsyncIterator[AsyncDatabase[Document]]:
    client = create_client(mongo_url)
    yield database(client, mongo_db_name)
    await client.close()
