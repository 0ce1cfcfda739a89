"""Creating, changing, reading and deleting member profiles (C-1)."""

from __future__ import annotations

import uuid
from typing import Any

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import RecordNotFound, RuleViolation, VersionConflict
from customer.components import Components
from customer.domain import customer as rules
from customer.domain.access import Visibility
from customer.domain.custom_fields import validate_custom_values
from customer.domain.customer import Customer, CustomerStatus
from customer.domain.profile import Profile, ProfileChanges


def new_customer_id() -> str:
    return uuid.uuid4().hex


async def checked_custom_fields(
    parts: Components, values: dict[str, Any], *, complete: bool
) -> dict[str, Any]:
    definitions = await parts.custom_fields.all()
    clean, errors = validate_custom_values(definitions, values, complete=complete)
    if errors:
        # Every field refused at once, as for the rest of the body.
        raise RuleViolation(
            "One or more custom fields are invalid.",
            field_errors=[
                (f"body.custom_fields.{key}", reason) for key, reason in sorted(errors.items())
            ],
        )
    return clean


async def create(
    parts: Components,
    profile: Profile,
    *,
    actor: str,
    customer_id: str | None = None,
    require_custom_fields: bool = True,
) -> Customer:
    """``require_custom_fields`` is off for customers other services create (a converted
    lead): they cannot know this service's admin-defined fields."""
    custom = await checked_custom_fields(
        parts, profile.custom_fields, complete=require_custom_fields
    )
    profile = profile.model_copy(update={"custom_fields": custom})
    (member_id,) = await parts.customers.reserve_member_ids(1)
    now = utc_now()
    customer, events = rules.create_customer(
        profile, customer_id=customer_id or new_customer_id(), member_id=member_id, now=now
    )
    await parts.customers.insert(customer, events)
    await parts.audit.record(
        customer_id=customer.id, version=customer.version, actor=actor, action="created", at=now
    )
    return customer


async def visible(parts: Components, customer_id: str, visibility: Visibility) -> Customer:
    """The active customer if the caller may see it; 404 otherwise (existence is not leaked)."""
    customer = await parts.customers.get(customer_id)
    if (
        customer is None
        or customer.status != CustomerStatus.ACTIVE
        or not visibility.allows(customer.owner_id, customer.team)
    ):
        raise RecordNotFound(f"No customer {customer_id}.")
    return customer


async def change(
    parts: Components,
    customer_id: str,
    changes: ProfileChanges,
    *,
    expected_version: int | None,
    visibility: Visibility,
    actor: str,
) -> Customer:
    current = await visible(parts, customer_id, visibility)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(customer_id)
    patch = changes.changed()
    if "custom_fields" in patch:
        merged = {**current.custom_fields, **(patch["custom_fields"] or {})}
        merged = {key: value for key, value in merged.items() if value is not None}
        patch["custom_fields"] = await checked_custom_fields(parts, merged, complete=True)
    if "tags" in patch and patch["tags"] is None:
        patch["tags"] = []
    now = utc_now()
    updated, events, diffs = rules.change_customer(current, patch, now)
    if not events:
        return current
    updated = await parts.customers.save(updated, current.version, events)
    await parts.audit.record(
        customer_id=updated.id,
        version=updated.version,
        actor=actor,
        action="updated",
        at=now,
        changes=diffs,
    )
    return updated
