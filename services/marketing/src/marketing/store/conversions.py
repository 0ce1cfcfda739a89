"""Orders attributed to campaigns, and the campaign figures counted from the queue."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document, is_duplicate_key
from marketing.domain.deliveries import DeliveryStatus as St
from marketing.domain.metrics import CampaignCounts
from marketing.store import CONVERSIONS, DELIVERIES


async def record_conversion(
    db: AsyncDatabase[Document],
    order_id: str,
    campaign_id: str,
    customer_id: str,
    amount: Decimal,
    placed_at: datetime,
    attribution: str,
) -> bool:
    """Attribute an order once (keyed by order id); False when it already was."""
    try:
        await db[CONVERSIONS].insert_one(
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


async def campaign_counts(
    db: AsyncDatabase[Document], campaign_id: str, audience: int
) -> CampaignCounts:
    deliveries = db[DELIVERIES]

    async def count(query: Document) -> int:
        return await deliveries.count_documents({"campaign_id": campaign_id, **query})

    sent = await count({"sent_at": {"$ne": None}})
    opened = await count({"opened_at": {"$ne": None}})
    revenue = Decimal("0")
    converted: set[str] = set()
    async for conversion in db[CONVERSIONS].find({"campaign_id": campaign_id}):
        revenue += conversion["amount"]
        converted.add(conversion["customer_id"])
    return CampaignCounts(
        audience=audience,
        queued=await count({"status": {"$in": [St.QUEUED.value, St.SENDING.value]}}),
        sent=sent,
        delivered=sent,
        bounced=await count({"status": St.BOUNCED.value}),
        failed=await count({"status": St.FAILED.value}),
        suppressed=await count({"status": St.SUPPRESSED.value}),
        opened=opened,
        clicked=await count({"clicked_at": {"$ne": None}}),
        participants=opened,
        converted=len(converted),
        revenue=revenue,
    )
