"""``/api/v1/webhook-subscriptions`` and ``/api/v1/webhook-deliveries``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import Conflict, NotFound
from crm_chassis.pagination import Page, PageDep
from crm_contracts.access import Permission
from gateway.api.deps import GatewayDep
from gateway.domain.webhooks import (
    DeliveryOut,
    DeliveryStatus,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionPatch,
)
from gateway.webhooks import subscriptions as use_cases

subscriptions_router = APIRouter(prefix="/api/v1/webhook-subscriptions", tags=["webhooks"])
deliveries_router = APIRouter(prefix="/api/v1/webhook-deliveries", tags=["webhooks"])
Manager = Annotated[Principal, allowed(Permission.WEBHOOKS_MANAGE)]


@subscriptions_router.post("", status_code=status.HTTP_201_CREATED)
async def create_subscription(
    body: SubscriptionCreate, gateway: GatewayDep, principal: Manager, response: Response
) -> SubscriptionCreated:
    """Subscribe a URL to event types (exact names or patterns like ``crm.sales.*``).
    Deliveries are CloudEvents, signed as Standard Webhooks with the returned secret."""
    created = await use_cases.create(gateway, body, principal.subject)
    response.headers["Location"] = f"/api/v1/webhook-subscriptions/{created.id}"
    response.headers["ETag"] = etag(created.version)
    return created


@subscriptions_router.get("")
async def list_subscriptions(
    gateway: GatewayDep,
    principal: Manager,
    page: PageDep,
    active: bool | None = None,
    client_id: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[SubscriptionOut]:
    query: dict[str, Any] = {}
    if active is not None:
        query["active"] = active
    if client_id is not None:
        query["client_id"] = client_id
    records, total = await gateway.subscriptions.list(query, page.offset, page.limit)
    items = [SubscriptionOut.of(r) for r in records]
    return Page(items=items, total=total, offset=page.offset, limit=page.limit)


@subscriptions_router.get("/{subscription_id}")
async def get_subscription(
    subscription_id: str, gateway: GatewayDep, principal: Manager, response: Response
) -> SubscriptionOut:
    record = await gateway.subscriptions.get(subscription_id)
    if record is None:
        raise NotFound(f"No webhook subscription {subscription_id}.")
    response.headers["ETag"] = etag(record.version)
    return SubscriptionOut.of(record)


@subscriptions_router.patch("/{subscription_id}")
async def update_subscription(
    subscription_id: str,
    body: SubscriptionPatch,
    gateway: GatewayDep,
    principal: Manager,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> SubscriptionOut:
    """Change the target or event types, or re-enable (``active: true``) after the
    gateway disabled it for repeated failures."""
    record = await use_cases.update(gateway, subscription_id, body, expected_version(if_match))
    response.headers["ETag"] = etag(record.version)
    return SubscriptionOut.of(record)


@subscriptions_router.delete("/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_subscription(
    subscription_id: str, gateway: GatewayDep, principal: Manager
) -> None:
    if not await gateway.subscriptions.delete(subscription_id):
        raise NotFound(f"No webhook subscription {subscription_id}.")


@deliveries_router.get("")
async def list_deliveries(
    gateway: GatewayDep,
    principal: Manager,
    page: PageDep,
    subscription_id: Annotated[str | None, Query(max_length=100)] = None,
    delivery_status: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
    event_type: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[DeliveryOut]:
    """The delivery log: every attempt with its answer or error, newest first."""
    query: dict[str, Any] = {}
    if subscription_id is not None:
        query["subscription_id"] = subscription_id
    if delivery_status is not None:
        query["status"] = delivery_status.value
    if event_type is not None:
        query["event_type"] = event_type
    items, total = await gateway.deliveries.list(query, page.offset, page.limit)
    return Page(items=items, total=total, offset=page.offset, limit=page.limit)


@deliveries_router.get("/{delivery_id}")
async def get_delivery(delivery_id: str, gateway: GatewayDep, principal: Manager) -> DeliveryOut:
    delivery = await gateway.deliveries.get(delivery_id)
    if delivery is None:
        raise NotFound(f"No webhook delivery {delivery_id}.")
    return delivery


@deliveries_router.post("/{delivery_id}/retry", status_code=status.HTTP_202_ACCEPTED)
async def retry_delivery(delivery_id: str, gateway: GatewayDep, principal: Manager) -> DeliveryOut:
    """Deliver again now (e.g. a failed delivery, once the receiver is fixed)."""
    delivery = await gateway.deliveries.retry_now(delivery_id)
    if delivery is None:
        if await gateway.deliveries.get(delivery_id) is None:
            raise NotFound(f"No webhook delivery {delivery_id}.")
        raise Conflict("The delivery is being attempted right now.")
    gateway.deliverer.notify()
    return delivery
