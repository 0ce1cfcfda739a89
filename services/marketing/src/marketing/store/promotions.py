"""Promotions and coupons: versioned aggregates on the chassis store. Redeeming a
coupon is one conditional single-document write, so two checkouts never share a use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.domain_errors import RecordNotFound
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import STATE_PROJECTION, ModelCodec, VersionedStore
from crm_contracts.events.registry import EventData
from marketing.domain.promotions import Coupon, Promotion
from marketing.store import COUPONS, PROMOTIONS


class PromotionStore(VersionedStore[Promotion]):
    def __init__(
        self, db: AsyncDatabase[Document], notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(db[PROMOTIONS], ModelCodec(Promotion, "id"), notify=notify)

    async def require(self, aggregate_id: str, message: str = "") -> Promotion:
        return await super().require(aggregate_id, message or f"No promotion {aggregate_id}.")

    async def auto_issued_on(self, tier: str, now: datetime) -> list[Promotion]:
        """The promotions valid now whose coupons customers reaching ``tier`` get."""
        return await self.find(
            {
                "auto_issue_on_tier": tier,
                "valid_from": {"$lte": now},
                "$or": [{"valid_until": None}, {"valid_until": {"$gt": now}}],
            }
        )


class CouponStore(VersionedStore[Coupon]):
    def __init__(
        self, db: AsyncDatabase[Document], notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(db[COUPONS], ModelCodec(Coupon, "id"), notify=notify)

    async def issue(self, coupon: Coupon, events: Sequence[EventData]) -> bool:
        """Store a new coupon; False when a coupon with its id exists already (issuing with
        a fixed id is idempotent). A taken code raises ``DuplicateValue("code")``."""
        try:
            await self.insert(coupon, events)
        except DuplicateKeyError:
            return False
        return True

    async def by_code(self, code: str) -> Coupon:
        found = await self.find({"code": code}, limit=1)
        if not found:
            raise RecordNotFound(f"No coupon {code}.")
        return found[0]

    async def redeem(
        self, code: str, customer_id: str | None, order_id: str | None, now: datetime
    ) -> Coupon | None:
        """Use one redemption if the coupon is valid now, has uses left and fits the
        customer; None when any condition fails (the caller explains which)."""
        owner = [{"customer_id": None}] + ([{"customer_id": customer_id}] if customer_id else [])
        redeemed = await self.collection.find_one_and_update(
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
                "$push": {
                    "redeemed": {"at": now, "customer_id": customer_id, "order_id": order_id}
                },
            },
            projection=STATE_PROJECTION,
            return_document=ReturnDocument.AFTER,
        )
        return None if redeemed is None else self.codec.from_document(redeemed)
