"""``/api/v1/subscriptions`` (consent per customer and channel) and
``/api/v1/suppressions`` (addresses that never receive anything) (M-5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, EmailStr, Field

from crm_chassis.auth import Principal, allowed
from crm_chassis.domain_errors import RecordNotFound
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Permission
from marketing.api.deps import PartsDep, utc_now
from marketing.domain.campaigns import Channel
from marketing.domain.consent import SuppressionReason, normalise_email
from marketing.operations.consent import set_consent as change_consent

router = APIRouter(tags=["consent"])

CustomerId = Annotated[str, Path(min_length=1, max_length=100)]


class ChannelConsent(BaseModel):
    subscribed: bool
    changed_at: datetime
    source: str


class SubscriptionOut(BaseModel):
    customer_id: str
    email: str | None
    channels: dict[str, ChannelConsent]


class ConsentChange(InputModel):
    subscribed: bool
    email: EmailStr | None = Field(default=None, description="The address the consent is for")


class SuppressionCreate(InputModel):
    email: EmailStr
    reason: SuppressionReason = SuppressionReason.MANUAL
    note: str | None = Field(default=None, max_length=1000)


class SuppressionOut(BaseModel):
    email: str
    reason: str
    note: str | None
    created_at: datetime


def _subscription_out(customer_id: str, document: dict[str, Any] | None) -> SubscriptionOut:
    document = document or {}
    return SubscriptionOut(
        customer_id=customer_id,
        email=document.get("email"),
        channels={
            name: ChannelConsent.model_validate(value)
            for name, value in (document.get("channels") or {}).items()
        },
    )


def _suppression_out(document: dict[str, Any]) -> SuppressionOut:
    return SuppressionOut(
        email=document["_id"],
        reason=document["reason"],
        note=document.get("note"),
        created_at=document["created_at"],
    )


@router.get("/api/v1/subscriptions")
async def list_subscriptions(
    parts: PartsDep,
    page: PageDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
    channel: Channel = Channel.EMAIL,
    subscribed: bool | None = None,
) -> Page[SubscriptionOut]:
    """Recorded consent; customers never asked are subscribed by default (opt-out)."""
    query: dict[str, Any] = {f"channels.{channel.value}": {"$exists": True}}
    if subscribed is not None:
        query[f"channels.{channel.value}.subscribed"] = subscribed
    order = parse_sort(None, ["updated_at"], "-updated_at")
    items, total = await parts.consent.page_subscriptions(query, order, page)
    return Page(
        items=[_subscription_out(d["_id"], d) for d in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/api/v1/subscriptions/{customer_id}")
async def get_subscription(
    customer_id: CustomerId,
    parts: PartsDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> SubscriptionOut:
    return _subscription_out(customer_id, await parts.consent.get_subscription(customer_id))


@router.put("/api/v1/subscriptions/{customer_id}/channels/{channel}")
async def set_consent(
    customer_id: CustomerId,
    channel: Channel,
    body: ConsentChange,
    parts: PartsDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> SubscriptionOut:
    """Subscribe or unsubscribe a customer on one channel (as they asked, e.g. by phone)."""
    document = await change_consent(
        parts, customer_id, channel, body.subscribed, body.email, utc_now()
    )
    return _subscription_out(customer_id, document)


@router.get("/api/v1/suppressions")
async def list_suppressions(
    parts: PartsDep,
    page: PageDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
    reason: SuppressionReason | None = None,
) -> Page[SuppressionOut]:
    query = {"reason": reason.value} if reason else {}
    order = parse_sort(None, ["created_at"], "-created_at")
    items, total = await parts.consent.page_suppressions(query, order, page)
    return Page(
        items=[_suppression_out(d) for d in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.post("/api/v1/suppressions", status_code=status.HTTP_201_CREATED)
async def add_suppression(
    body: SuppressionCreate,
    parts: PartsDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> SuppressionOut:
    """Never send to this address again, whoever it belongs to (idempotent)."""
    document = await parts.consent.suppress(
        normalise_email(body.email), body.reason.value, body.note, utc_now()
    )
    return _suppression_out(document)


@router.get("/api/v1/suppressions/{email}")
async def get_suppression(
    email: Annotated[str, Path(max_length=320)],
    parts: PartsDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> SuppressionOut:
    document = await parts.consent.get_suppression(normalise_email(email))
    if document is None:
        raise RecordNotFound(f"{email} is not suppressed.")
    return _suppression_out(document)


@router.delete("/api/v1/suppressions/{email}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_suppression(
    email: Annotated[str, Path(max_length=320)],
    parts: PartsDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> None:
    if not await parts.consent.unsuppress(normalise_email(email)):
        raise RecordNotFound(f"{email} is not suppressed.")
