"""Segments: define, change and evaluate audiences over the local copy of customers."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_chassis.auth import Principal
from crm_chassis.domain_errors import RecordNotFound
from crm_chassis.mongo import Document
from marketing.domain import segments as rules
from marketing.domain.segments import Segment, SegmentKind
from marketing.operations.access import require_manager, visible_audience
from marketing.store.customers import CustomerCopies
from marketing.store.segments import SegmentStore, audience_query

PREVIEW_SAMPLE = 10


@dataclass(frozen=True)
class Preview:
    count: int
    sample: list[Document]


def check_definition(stored_rules: Mapping[str, Any], members: Sequence[str]) -> None:
    rules.validate_rules(rules.stored_rules(stored_rules))
    rules.validate_static_members(list(members))


def audience_of(segment: Segment, now: datetime) -> dict[str, Any]:
    """The customer-copy query selecting a stored segment's audience."""
    return audience_query(
        segment.kind, rules.stored_rules(segment.rules), segment.customer_ids, now
    )


async def member_count(
    customers: CustomerCopies, principal: Principal, segment: Segment, now: datetime
) -> int:
    """How many customers the segment selects now, of those the caller may see: the
    count its preview shows (a rule segment stores no members, only its rules)."""
    return await customers.count(visible_audience(principal, audience_of(segment, now)))


async def preview(customers: CustomerCopies, query: dict[str, Any]) -> Preview:
    return Preview(
        count=await customers.count(query), sample=await customers.sample(query, PREVIEW_SAMPLE)
    )


async def preview_segment(
    customers: CustomerCopies, principal: Principal, segment: Segment, now: datetime
) -> Preview:
    """The segment evaluated now: its audience size and a sample (of the customers the
    caller may see)."""
    return await preview(customers, visible_audience(principal, audience_of(segment, now)))


async def preview_definition(
    customers: CustomerCopies,
    principal: Principal,
    kind: SegmentKind,
    stored_rules: Mapping[str, Any],
    members: Sequence[str],
    now: datetime,
) -> Preview:
    """How many customers a definition selects before it is saved (of those the caller
    may see)."""
    check_definition(stored_rules, members)
    query = audience_query(kind, rules.stored_rules(stored_rules), members, now)
    return await preview(customers, visible_audience(principal, query))


async def create_segment(
    segments: SegmentStore,
    principal: Principal,
    *,
    name: str,
    description: str | None,
    kind: SegmentKind,
    stored_rules: Mapping[str, Any],
    members: Sequence[str],
    now: datetime,
) -> Segment:
    check_definition(stored_rules, members)
    segment = Segment(
        id=uuid.uuid4().hex,
        name=name,
        description=description,
        kind=kind,
        rules=dict(stored_rules),
        customer_ids=sorted(set(members)),
        owner_id=principal.subject,
        team=principal.team,
        created_at=now,
        updated_at=now,
    )
    await segments.insert(segment)
    return segment


async def change_segment(
    segments: SegmentStore,
    principal: Principal,
    segment_id: str,
    version: int | None,
    changes: Mapping[str, Any],
    now: datetime,
) -> Segment:
    """Apply ``changes`` (name, description, rules, customer_ids) to the segment read at
    ``version``."""
    current = await segments.require(segment_id)
    require_manager(principal, current, "segment")
    changed = current.model_copy(update={**changes, "updated_at": now})
    check_definition(changed.rules, changed.customer_ids)
    changed.customer_ids = sorted(set(changed.customer_ids))
    return await segments.save(changed, current.version if version is None else version)


async def delete_segment(segments: SegmentStore, principal: Principal, segment_id: str) -> None:
    current = await segments.require(segment_id)
    require_manager(principal, current, "segment")
    if not await segments.delete(segment_id):
        raise RecordNotFound(f"No segment {segment_id}.")
