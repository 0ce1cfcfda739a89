"""Orders attributed to campaigns (conversion and ROI, M-7)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document, is_duplicate_key
from marketing.store import CONVERSIONS


class ConversionStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._conversions = db[CONVERSIONS]

    async def record(
        self,
        order_id: str,
        campaign_id: str,
        customer_id: str,
        amount: Decimal,
        placed_at: datetime,
        attribution: str,
    ) -> bool:
        """Attribute an order once (keyed by order id); False when it already was."""
        try:
            await self._conversions.insert_one(
                {
                    "_id": order_id,
                    "campaign_id": campaign_id,
                    "customer_id": customer_id,
                    "amount": amount,
                    "placed_at": placed_at,
                    "attribution": attribution,
                }
            )
        except DuplicateKeyError as error:
            if not is_duplicate_key(error):
                raise
            return False
        return True

    async def revenue(self, campaign_id: str) -> tuple[Decimal, int]:
        """The campaign's attributed revenue and how many customers it converted."""
        revenue = Decimal("0")
        converted: set[str] = set()
        async for conversion in self._conversions.find({"campaign_id": campaign_id}):
            revenue += conversion["amount"]
            converted.add(conversion["customer_id"])
        return revenue, len(converted)
