"""The relationship network (C-7), built from what this service knows."""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import RecordNotFound
from customer.components import Components
from customer.domain.access import Visibility
from customer.domain.network import (
    CustomerNode,
    KeyCustomer,
    NodeMetrics,
    Relation,
    build_graph,
    key_customers,
    neighbourhood,
    node_metrics,
    shown_nodes,
)
from customer.operations.profiles import visible


async def _facts(parts: Components) -> tuple[list[CustomerNode], list[Relation]]:
    channels, campaigns = await parts.timeline.behaviour()
    nodes = []
    for row in await parts.customers.network_facts():
        facts = row.get("consumption") or {}
        nodes.append(
            CustomerNode(
                id=row["_id"],
                name=row["name"],
                company=row.get("company"),
                total_consumption=Decimal(facts.get("total", 0)),
                last_consumption_at=facts.get("last_consumption_at"),
                channels=channels.get(row["_id"], {}),
                campaigns=frozenset(campaigns.get(row["_id"], set())),
                owner_id=row.get("owner_id"),
                team=row.get("team"),
            )
        )
    return nodes, await parts.relations.all()


async def relate(parts: Components, relation: Relation, visibility: Visibility) -> None:
    """Record a relation between two customers the caller may both see. An unknown and an
    invisible customer get the same 404, so the answer does not tell which ids exist."""
    for customer_id in (relation.source_id, relation.target_id):
        await visible(parts, customer_id, visibility)
    await parts.relations.add(relation)


def _rank(
    nodes: list[CustomerNode],
    relations: list[Relation],
    now: datetime,
    limit: int,
    visibility: Visibility,
) -> list[KeyCustomer]:
    shown = shown_nodes(nodes, visibility)
    return key_customers(build_graph(nodes, relations), nodes, now, limit, shown)


async def ranked_key_customers(
    parts: Components, limit: int, visibility: Visibility
) -> list[KeyCustomer]:
    """The key customers the caller may see, ranked in the whole network. Graph building
    and centralities are CPU work: done in a worker thread, so the service keeps
    answering other requests meanwhile."""
    nodes, relations = await _facts(parts)
    return await asyncio.to_thread(_rank, nodes, relations, utc_now(), limit, visibility)


async def around(
    parts: Components, customer_id: str, radius: int, visibility: Visibility
) -> tuple[list[NodeMetrics], list[tuple[str, str, float, str]]]:
    """The customer's neighbourhood with each node's whole-network metrics (computed in a
    worker thread, like the ranking), as far as the caller may see it: a customer they
    may not see answers 404 like an unknown one, and is left out around those they may."""
    nodes, relations = await _facts(parts)
    found = await asyncio.to_thread(_around, nodes, relations, customer_id, radius, visibility)
    if found is None:
        raise RecordNotFound(f"No customer {customer_id} in the network.")
    return found


def _around(
    nodes: list[CustomerNode],
    relations: list[Relation],
    customer_id: str,
    radius: int,
    visibility: Visibility,
) -> tuple[list[NodeMetrics], list[tuple[str, str, float, str]]] | None:
    graph = build_graph(nodes, relations)
    shown = shown_nodes(nodes, visibility)
    if customer_id not in graph or (shown is not None and customer_id not in shown):
        return None
    metrics = node_metrics(graph)
    local = neighbourhood(graph, customer_id, radius, shown)
    edges = [
        (a, b, float(data["weight"]), str(data["kind"])) for a, b, data in local.edges(data=True)
    ]
    return [metrics[node] for node in local.nodes], edges
