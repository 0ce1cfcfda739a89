"""The gateway's MongoDB collections and their indexes (the only code naming them)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from crm_chassis.mongo import Document, IndexPlan

USERS = "users"
CLIENTS = "integration_clients"
REFRESH_TOKENS = "refresh_tokens"
AUDIT_LOG = "audit_log"
SUBSCRIPTIONS = "webhook_subscriptions"
DELIVERIES = "webhook_deliveries"
UPSTREAM_SPECS = "upstream_specs"

INDEXES: IndexPlan = {
    USERS: [IndexModel([("email", ASCENDING)], unique=True, name="user_email_unique")],
    CLIENTS: [IndexModel([("created_at", DESCENDING)], name="client_created")],
    REFRESH_TOKENS: [
        IndexModel([("family_id", ASCENDING)], name="refresh_family"),
        IndexModel([("subject", ASCENDING)], name="refresh_subject"),
        IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0, name="refresh_ttl"),
    ],
    # The index on "at" is the retention (TTL) index, made by AuditStore.keep_for.
    AUDIT_LOG: [IndexModel([("actor", ASCENDING), ("at", DESCENDING)], name="audit_actor")],
    SUBSCRIPTIONS: [IndexModel([("active", ASCENDING)], name="subscription_active")],
    DELIVERIES: [
        IndexModel([("status", ASCENDING), ("next_attempt_at", ASCENDING)], name="delivery_due"),
        IndexModel(
            [("subscription_id", ASCENDING), ("created_at", DESCENDING)],
            name="delivery_subscription",
        ),
    ],
}


async def update_versioned(
    collection: AsyncCollection[Document],
    document_id: str,
    expected_version: int | None,
    changes: Mapping[str, Any],
) -> Document | None:
    """Set ``changes`` and bump ``version`` if the version still matches (``None``: any).

    Returns the document after the change; None when it is missing or changed since.
    """
    query: dict[str, Any] = {"_id": document_id}
    if expected_version is not None:
        query["version"] = expected_version
    return await collection.find_one_and_update(
        query,
        {"$set": {**changes, "updated_at": datetime.now(UTC)}, "$inc": {"version": 1}},
        return_document=ReturnDocument.AFTER,
    )
