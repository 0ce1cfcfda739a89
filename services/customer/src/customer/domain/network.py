"""The relationship network (C-7): who is connected to whom, and who holds it together.

Nodes are customers and the organisations they work for. A customer-organisation
edge links a customer to their company. A customer-customer edge exists where two
customers are related (a stated relation such as a referral) or transact in the
same campaigns (co-transactions); its weight adds up the stated weight, the share
of co-transactions, the amount coupling (how alike their total consumption is)
and the cosine similarity of their behaviour (touches per channel).
Centralities come from networkx: degree centrality; betweenness over distances
``1 / weight`` (a strong tie is a short path); Louvain communities with a fixed seed
so the same graph always gives the same partition.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import combinations

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from crm_contracts.access import RecordScope

ORG_PREFIX = "org:"
CO_TRANSACTION_WEIGHT = 0.5
AMOUNT_WEIGHT = 0.25
BEHAVIOUR_WEIGHT = 0.25
DORMANT_AFTER = timedelta(days=180)
COMMUNITY_SEED = 7
# Exact betweenness costs O(nodes x edges); past this many nodes it is estimated from a
# fixed number of source nodes (seeded, so the same graph gives the same ranking).
EXACT_BETWEENNESS_NODES = 1_000
BETWEENNESS_SAMPLES = 200


class Relation(BaseModel):
    """A stated relationship between two customers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_id: str = Field(min_length=1, max_length=100)
    target_id: str = Field(min_length=1, max_length=100)
    kind: str = Field(default="related", pattern=r"^[a-z_]{1,30}$")
    weight: float = Field(default=1.0, gt=0, le=10)


@dataclass(frozen=True)
class CustomerNode:
    id: str
    name: str
    company: str | None = None
    total_consumption: Decimal = Decimal(0)
    last_consumption_at: datetime | None = None
    channels: Mapping[str, int] = field(default_factory=dict)
    campaigns: frozenset[str] = frozenset()
    owner_id: str | None = None
    team: str | None = None


def organisation_node(company: str) -> str:
    return ORG_PREFIX + " ".join(company.lower().split())


def shown_nodes(customers: Iterable[CustomerNode], scope: RecordScope) -> frozenset[str] | None:
    """The nodes a caller may be shown (``None``: all of them).

    The customers they may see, and the organisations those customers work at (whose
    names they read on the customers anyway). Metrics stay those of the whole network:
    a hidden customer still counts in a visible one's degree, but its id and name, and
    an organisation known only through it, are not shown.
    """
    if scope.unrestricted:
        return None
    visible = [c for c in customers if scope.allows(c.owner_id, c.team)]
    organisations = {organisation_node(c.company) for c in visible if c.company}
    return frozenset({c.id for c in visible} | organisations)


def amount_coupling(a: Decimal, b: Decimal) -> float:
    """1 when two customers spent the same, towards 0 as the amounts diverge."""
    high = max(a, b)
    return 0.0 if high <= 0 else float(min(a, b) / high)


def cosine_similarity(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    dot = sum(count * b.get(key, 0) for key, count in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return 0.0 if norm == 0 else dot / norm


def build_graph(customers: Sequence[CustomerNode], relations: Iterable[Relation]) -> nx.Graph:
    graph = nx.Graph()
    by_id = {customer.id: customer for customer in customers}
    for customer in customers:
        graph.add_node(customer.id, kind="customer", label=customer.name)
        if customer.company:
            org = organisation_node(customer.company)
            graph.add_node(org, kind="organisation", label=customer.company)
            graph.add_edge(customer.id, org, weight=1.0, kind="works_at")
    stated: dict[tuple[str, str], float] = defaultdict(float)
    for relation in relations:
        ends = (relation.source_id, relation.target_id)
        if ends[0] in by_id and ends[1] in by_id and ends[0] != ends[1]:
            first, second = sorted(ends)
            stated[(first, second)] += relation.weight
    by_campaign: dict[str, list[str]] = defaultdict(list)
    for customer in customers:
        for campaign in customer.campaigns:
            by_campaign[campaign].append(customer.id)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for members in by_campaign.values():
        for a, b in combinations(sorted(members), 2):
            shared[(a, b)] += 1
    for a, b in set(stated) | set(shared):
        one, other = by_id[a], by_id[b]
        fewest = max(min(len(one.campaigns), len(other.campaigns)), 1)
        weight = (
            stated.get((a, b), 0.0)
            + CO_TRANSACTION_WEIGHT * shared.get((a, b), 0) / fewest
            + AMOUNT_WEIGHT * amount_coupling(one.total_consumption, other.total_consumption)
            + BEHAVIOUR_WEIGHT * cosine_similarity(one.channels, other.channels)
        )
        graph.add_edge(a, b, weight=round(weight, 6), kind="customer")
    for _, _, data in graph.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    return graph


@dataclass(frozen=True)
class NodeMetrics:
    id: str
    kind: str
    label: str
    degree: int
    degree_centrality: float
    betweenness: float
    community: int


def node_metrics(graph: nx.Graph) -> dict[str, NodeMetrics]:
    """Degree, degree centrality, betweenness (normalised) and community of every node."""
    if graph.number_of_nodes() == 0:
        return {}
    degree = nx.degree_centrality(graph)
    betweenness = nx.betweenness_centrality(
        graph,
        k=betweenness_samples(graph.number_of_nodes()),
        weight="distance",
        normalized=True,
        seed=COMMUNITY_SEED,
    )
    communities = nx.community.louvain_communities(graph, weight="weight", seed=COMMUNITY_SEED)
    ordered = sorted(communities, key=lambda members: (-len(members), min(members)))
    community_of = {node: index for index, members in enumerate(ordered) for node in members}
    return {
        node: NodeMetrics(
            id=node,
            kind=data.get("kind", "customer"),
            label=data.get("label", node),
            degree=graph.degree(node),
            degree_centrality=round(degree[node], 6),
            betweenness=round(betweenness[node], 6),
            community=community_of[node],
        )
        for node, data in graph.nodes(data=True)
    }


def betweenness_samples(nodes: int) -> int | None:
    """How many source nodes betweenness is computed from: all (None) in a small graph,
    a fixed sample in a large one, so a request's work stays bounded."""
    return None if nodes <= EXACT_BETWEENNESS_NODES else BETWEENNESS_SAMPLES


@dataclass(frozen=True)
class KeyCustomer:
    metrics: NodeMetrics
    churn_risk: bool


def key_customers(
    graph: nx.Graph,
    customers: Sequence[CustomerNode],
    now: datetime,
    limit: int,
    shown: frozenset[str] | None = None,
) -> list[KeyCustomer]:
    """Customers ranked by betweenness, then degree: the ones the network hangs on.

    A hub (it connects others) that has bought nothing for 180 days is a churn risk
    whose loss would cut its neighbours apart. With ``shown``, only those customers are
    listed (ranked by their place in the whole network).
    """
    metrics = node_metrics(graph)
    last = {customer.id: customer.last_consumption_at for customer in customers}
    ranked = sorted(
        (m for m in metrics.values() if m.kind == "customer" and (shown is None or m.id in shown)),
        key=lambda m: (-m.betweenness, -m.degree_centrality, m.id),
    )
    result = []
    for item in ranked[:limit]:
        bought = last.get(item.id)
        dormant = bought is None or now - bought > DORMANT_AFTER
        result.append(KeyCustomer(item, churn_risk=item.betweenness > 0 and dormant))
    return result


def neighbourhood(
    graph: nx.Graph, node: str, radius: int, shown: frozenset[str] | None = None
) -> nx.Graph:
    """The nodes within ``radius`` steps of ``node``, limited to ``shown`` (with the
    edges between them)."""
    local = nx.ego_graph(graph, node, radius=radius)
    return local if shown is None else local.subgraph(n for n in local if n in shown)
