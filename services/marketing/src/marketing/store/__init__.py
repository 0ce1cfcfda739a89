"""Persistence of the marketing service: the only code that knows collection names.

One module per aggregate; :data:`INDEXES` declares every index, created at start-up.
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel

from crm_chassis.mongo import IndexPlan

CAMPAIGNS = "campaigns"
SEGMENTS = "segments"
TEMPLATES = "email_templates"
CUSTOMERS = "customer_projection"
DELIVERIES = "deliveries"
SUBSCRIPTIONS = "subscriptions"
SUPPRESSIONS = "suppressions"
SEND_WINDOWS = "send_windows"
SENT_EVENTS = "sent_events"
CONVERSIONS = "conversions"
RESPONSES = "campaign_responses"
PROMOTIONS = "promotions"
COUPONS = "coupons"

OUTBOX_COLLECTIONS = (CAMPAIGNS, SENT_EVENTS, DELIVERIES, SUBSCRIPTIONS, COUPONS, RESPONSES)

INDEXES: IndexPlan = {
    CAMPAIGNS: [
        IndexModel([("status", ASCENDING), ("created_at", DESCENDING)]),
        IndexModel([("metrics_dirty", ASCENDING)], sparse=True),
    ],
    SEGMENTS: [IndexModel([("name", ASCENDING)])],
    TEMPLATES: [IndexModel([("name", ASCENDING)])],
    CUSTOMERS: [
        IndexModel([("tier", ASCENDING)]),
        IndexModel([("tags", ASCENDING)]),
        IndexModel([("region", ASCENDING)]),
        IndexModel([("email", ASCENDING)], sparse=True),
    ],
    DELIVERIES: [
        IndexModel([("campaign_id", ASCENDING), ("customer_id", ASCENDING)], unique=True),
        IndexModel(
            [("status", ASCENDING), ("priority", ASCENDING), ("next_attempt_at", ASCENDING)]
        ),
        IndexModel([("lease_owner", ASCENDING)], sparse=True),
        IndexModel([("customer_id", ASCENDING), ("sent_at", DESCENDING)]),
    ],
    SUBSCRIPTIONS: [IndexModel([("email", ASCENDING)], sparse=True)],
    SUPPRESSIONS: [IndexModel([("created_at", DESCENDING)])],
    SEND_WINDOWS: [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0)],
    SENT_EVENTS: [IndexModel([("written_at", ASCENDING)], expireAfterSeconds=7 * 24 * 3600)],
    CONVERSIONS: [IndexModel([("campaign_id", ASCENDING)])],
    RESPONSES: [IndexModel([("campaign_id", ASCENDING), ("responded_at", DESCENDING)])],
    PROMOTIONS: [IndexModel([("auto_issue_on_tier", ASCENDING)], sparse=True)],
    COUPONS: [
        IndexModel([("code", ASCENDING)], unique=True),
        IndexModel([("customer_id", ASCENDING)], sparse=True),
        IndexModel([("promotion_id", ASCENDING)]),
    ],
}
