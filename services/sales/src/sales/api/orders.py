"""/api/v1/orders: place, track status, contract, deliveries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from crm_chassis.auth import Principal
from crm_chassis.clock import utc_now
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import NotFound
from crm_chassis.pagination import Page, PageDep, parse_sort
from sales.api.deps import ComponentsDep, IfMatch, ReadSales, WriteSales
from sales.api.order_models import DeliveryIn, OrderCreate, OrderOut, StatusIn
from sales.api.visibility import ensure_customer_visible, ensure_visible, restricted
from sales.components import Components
from sales.domain.orders import Contract, Delivery, Order, OrderStatus
from sales.operations import orders as order_ops
from sales.operations.ids import new_id

router = APIRouter(prefix="/api/v1/orders", tags=["orders"])

_SORTABLE = ("created_at", "updated_at", "order_number", "status")


async def visible_order(parts: Components, principal: Principal, order_id: str) -> Order:
    order = await parts.orders.get(order_id)
    if order is None:
        raise NotFound("No order with that id.")
    ensure_visible(principal, order.owner_id, order.team, "order")
    return order


async def _out(parts: Components, order: Order, response: Response | None = None) -> OrderOut:
    if response is not None:
        response.headers["ETag"] = etag(order.version)
    return OrderOut.of(order, utc_now().date(), await parts.customers.label(order.customer_id))


def _version(if_match: str | None, order: Order) -> int:
    version = expected_version(if_match)
    return order.version if version is None else version


@router.post("", status_code=status.HTTP_201_CREATED)
async def place_order(
    body: OrderCreate,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
) -> OrderOut:
    await ensure_customer_visible(parts, principal, body.customer_id)
    rep = await parts.routing.get_rep(principal.subject)
    order = await order_ops.place(
        parts,
        scope=principal.sales_scope(),
        customer_id=body.customer_id,
        opportunity_id=body.opportunity_id,
        quote_id=body.quote_id,
        lines=body.lines,
        discount_percent=body.discount_percent,
        tax_rate_percent=body.tax_rate_percent,
        actor=principal.subject,
        details={
            "campaign_id": body.campaign_id,
            "currency": body.currency,
            "owner_id": principal.subject,
            "team": rep.team if rep else principal.team,
        },
    )
    return await _out(parts, order, response)


@router.get("")
async def list_orders(
    principal: ReadSales,
    parts: ComponentsDep,
    page: PageDep,
    order_status: Annotated[OrderStatus | None, Query(alias="status")] = None,
    customer_id: str | None = None,
    owner_id: str | None = None,
    opportunity_id: str | None = None,
    quote_id: str | None = None,
    sort: str | None = None,
) -> Page[OrderOut]:
    """Orders the caller may see, newest first; ``quote_id`` finds the order placed from
    a quote."""
    filters = {
        "status": order_status.value if order_status else None,
        "customer_id": customer_id,
        "owner_id": owner_id,
        "opportunity_id": opportunity_id,
        "quote_id": quote_id,
    }
    query = restricted(principal, filters)
    order = parse_sort(sort, _SORTABLE, "-created_at")
    found = await parts.orders.find(query, sort=order, offset=page.offset, limit=page.limit)
    total = await parts.orders.count(query)
    customers = await parts.customers.labels(o.customer_id for o in found)
    today = utc_now().date()
    items = [OrderOut.of(o, today, customers.get(o.customer_id)) for o in found]
    return Page(items=items, total=total, offset=page.offset, limit=page.limit)


@router.get("/{order_id}")
async def get_order(
    order_id: str, principal: ReadSales, parts: ComponentsDep, response: Response
) -> OrderOut:
    return await _out(parts, await visible_order(parts, principal, order_id), response)


@router.put("/{order_id}/status")
async def change_status(
    order_id: str,
    body: StatusIn,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrderOut:
    """placed -> confirmed -> shipped -> delivered -> completed; cancel before shipping."""
    order = await visible_order(parts, principal, order_id)
    moved = await order_ops.move(
        parts, order, body.status, _version(if_match, order), principal.subject
    )
    return await _out(parts, moved, response)


@router.put("/{order_id}/contract")
async def sign_contract(
    order_id: str,
    body: Contract,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrderOut:
    order = await visible_order(parts, principal, order_id)
    signed = await order_ops.sign(parts, order, body, _version(if_match, order))
    return await _out(parts, signed, response)


@router.post("/{order_id}/deliveries", status_code=status.HTTP_201_CREATED)
async def add_delivery(
    order_id: str,
    body: DeliveryIn,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrderOut:
    order = await visible_order(parts, principal, order_id)
    delivery = Delivery(
        delivery_id=new_id(),
        carrier=body.carrier,
        tracking_number=body.tracking_number,
        shipped_at=body.shipped_at or utc_now(),
        note=body.note,
    )
    shipped = await order_ops.ship(parts, order, delivery, _version(if_match, order))
    return await _out(parts, shipped, response)


@router.put("/{order_id}/deliveries/{delivery_id}/delivered")
async def mark_delivered(
    order_id: str,
    delivery_id: str,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrderOut:
    order = await visible_order(parts, principal, order_id)
    updated = await order_ops.delivered(parts, order, delivery_id, _version(if_match, order))
    return await _out(parts, updated, response)
