"""Test data: customer events as the customer service publishes them, request bodies."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from crm_contracts.events.customer import CustomerCreated

_sequence = itertools.count(1)


def customer_created(tier: str = "normal", **overrides: Any) -> CustomerCreated:
    n = next(_sequence)
    fields: dict[str, Any] = {
        "customer_id": f"c-{uuid.uuid4().hex[:12]}",
        "member_id": f"VIP{n:010d}",
        "name": f"Customer {n}",
        "email": f"customer{n}-{uuid.uuid4().hex[:6]}@example.org",
        "company": "Acme Trading",
        "industry": "retail",
        "region": "north",
        "tier": tier,
        "tags": ["loyal"],
        "created_at": datetime.now(UTC),
    }
    fields.update(overrides)
    return CustomerCreated(**fields)


def template_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Spring offer",
        "subject": "Hello {{ customer_name }}, spring is here",
        "html": (
            "<html><body><p>Dear {{ customer_name }},</p>"
            "<p>{{ promotion_details }}</p>"
            '<p><a href="https://shop.example.org/spring?src=mail">Shop now</a></p>'
            '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>'
        ),
    }
    body.update(overrides)
    return body


def campaign_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": f"Spring campaign {next(_sequence)}",
        "channels": ["email"],
        "budget": "10000.00",
        "cost": "500.00",
        "promotion_details": "20% off everything",
        "goals": {"target_conversions": 50},
    }
    body.update(overrides)
    return body


def money(value: str) -> Decimal:
    return Decimal(value)
