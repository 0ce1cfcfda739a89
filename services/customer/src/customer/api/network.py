"""``/api/v1/customer-network`` and ``/api/v1/customer-relations``: the network (C-7)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel

from customer.api.deps import ComponentsDep, ReadReports, WriteCustomers, visibility
from customer.domain.network import NodeMetrics, Relation
from customer.operations import network

router = APIRouter(tags=["relationship network"])


class NodeOut(BaseModel):
    id: str
    kind: str
    label: str
    degree: int
    degree_centrality: float
    betweenness: float
    community: int

    @classmethod
    def of(cls, metrics: NodeMetrics) -> NodeOut:
        return cls(**vars(metrics))


class KeyCustomerOut(NodeOut):
    churn_risk: bool


class EdgeOut(BaseModel):
    source: str
    target: str
    weight: float
    kind: str


class NeighbourhoodOut(BaseModel):
    customer_id: str
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class RelationCreate(Relation):
    """A stated relation between two customers, e.g. ``referral`` or ``family``."""


@router.post("/api/v1/customer-relations", status_code=status.HTTP_204_NO_CONTENT)
async def relate_customers(
    body: RelationCreate,
    parts: ComponentsDep,
    principal: WriteCustomers,
) -> Response:
    await network.relate(parts, body, visibility(principal))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/v1/customer-network/key-customers", response_model=list[KeyCustomerOut])
async def key_customers(
    parts: ComponentsDep,
    principal: ReadReports,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[KeyCustomerOut]:
    """Customers ranked by betweenness centrality (then degree), with their community
    and whether a hub has gone quiet (churn risk); only customers the caller may see."""
    ranked = await network.ranked_key_customers(parts, limit, visibility(principal))
    return [KeyCustomerOut(**vars(item.metrics), churn_risk=item.churn_risk) for item in ranked]


@router.get("/api/v1/customer-network/customers/{customer_id}", response_model=NeighbourhoodOut)
async def customer_neighbourhood(
    customer_id: str,
    parts: ComponentsDep,
    principal: ReadReports,
    radius: Annotated[int, Query(ge=1, le=3)] = 1,
) -> NeighbourhoodOut:
    nodes, edges = await network.around(parts, customer_id, radius, visibility(principal))
    return NeighbourhoodOut(
        customer_id=customer_id,
        nodes=[NodeOut.of(node) for node in nodes],
        edges=[EdgeOut(source=a, target=b, weight=w, kind=k) for a, b, w, k in edges],
    )
