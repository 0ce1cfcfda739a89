"""Versioned schemas of every domain event the CRM publishes.

Each event's ``data`` is a pydantic model registered under its CloudEvents type
name (``crm.<service>.<aggregate>.<what happened>.v<N>``). Consumers validate the
``data`` they receive against the model of its type; producers build the model and
let :func:`crm_contracts.events.registry.to_cloud_event` wrap it. One module per
producing service, owned by that service's team; importing this package registers
every type.
"""

from crm_contracts.events import (
    analytics,
    customer,
    gateway,
    marketing,
    platform,
    sales,
    support,
)
from crm_contracts.events.registry import (
    EVENT_TYPES,
    EventData,
    event_type,
    parse_data,
    to_cloud_event,
)

__all__ = [
    "EVENT_TYPES",
    "EventData",
    "analytics",
    "customer",
    "event_type",
    "gateway",
    "marketing",
    "parse_data",
    "platform",
    "sales",
    "support",
    "to_cloud_event",
]
