"""Events published by the analytics service."""

from __future__ import annotations

from datetime import datetime

from crm_contracts.events.registry import EventData, event_type

SOURCE = "crm/analytics"


@event_type("crm.analytics.report.delivered.v1", source=SOURCE)
class ReportDelivered(EventData):
    schedule_id: str
    report: str
    recipients: list[str]
    delivered_at: datetime
