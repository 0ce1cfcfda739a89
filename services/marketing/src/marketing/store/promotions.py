"""Promotion and coupon documents; redemption is one conditional single-document write."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.errors import NotFound
from crm_chassis.mongo import Document, is_duplicate_key
from crm_chassis.pagination import PageParams, SortSpec
from crm_contracts.envelope import CloudEvent
from marketing.store import COUPONS, PROMOTIONS, documents


async def insert_promotion(db: AsyncDatabase[Document], document: Document) -> None:
    await documents.insert(db[PROMOTIONS], document)


async def get_promotion(db: AsyncDatabase[Document], promotion_id: str) -> Document:
    return await documents.get(db[PROMOTIONS], promotion_id, "promotion")


async def update_promotion(
    db: AsyncDatabase[Document],
    promotion_id: str,
    expected_version: int | None,
    update: Mapping[str, Any],
) -> Document:
    return await documents.update_versioned(
        db[PROMOTIONS], promotion_id, expected_version, update, "promotion"
    )


async def page_promotions(
    db: AsyncDatabase[Document], query: Mapping[str, Any], sort: SortSpec, params: PageParams
) -> tuple[list[Document], int]:
    return await documents.page(db[PROMOTIONS], query, sort, params)


async def auto_issue_promotions(
    db: AsyncDatabase[Document], tier: str, now: datetime
) -> list[Document]:
    cursor = db[PROMOTIONS].find(
        {
            "auto_issue_on_tier": tier,
            "valid_from": {"$lte": now},
            "$or": [{"valid_until": None}, {"valid_until": {"$gt": now}}],
        }
    )
    return await cursor.to_list(length=None)


async def insert_coupon(
    db: AsyncDatabase[Document], document: Document, events: Sequence[CloudEvent]
) -> bool:
    """Store a coupon; False when its id or code exists already."""
    try:
        await documents.insert(db[COUPONS], document, events)
    except DuplicateKeyError as error:
        if not is_duplicate_key(error):
            raise
        return False
    return True


async def get_coupon(db: AsyncDatabase[Document], code: str) -> Document:
    found = await db[COUPONS].find_one({"code": code}, documents.HIDDEN_FIELDS)
    if found is None:
        raise NotFound(f"No coupon {code}.")
    return found


async def redeem_coupon(
    db: AsyncDatabase[Document],
    code: str,
    customer_id: str | None,
    order_id: str | None,
    now: datetime,
) -> Document | None:
    """Use one redemption if the coupon is valid now, has uses left and fits the
    customer; None when any condition fails (the caller explains which)."""
    owner = [{"customer_id": None}] + ([{"customer_id": customer_id}] if customer_id else [])
    return await db[COUPONS].find_one_and_update(
        {
            "code": code,
            "revoked": {"$ne": True},
            "remaining": {"$gt": 0},
            "valid_from": {"$lte": now},
            "$and": [
                {"$or": [{"valid_until": None}, {"valid_until": {"$gt": now}}]},
                {"$or": owner},
            ],
        },
        {
            "$inc": {"remaining": -1, "redemptions": 1, "version": 1},
            "$push": {"redeemed": {"at": now, "customer_id": customer_id, "order_id": order_id}},
        },
        projection=documents.HIDDEN_FIELDS,
        return_document=ReturnDocument.AFTER,
    )


async def page_coupons(
    db: AsyncDatabase[Document], query: Mapping[str, Any], sort: SortSpec, params: PageParams
) -> tuple[list[Document], int]:
    return await documents.page(db[COUPONS], query, sort, params)


async def coupon_exists(db: AsyncDatabase[Document], coupon_id: str) -> bool:
    return await db[COUPONS].count_documents({"_id": coupon_id}, limit=1) > 0
