"""The relationship network (C-7) against a graph checked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm_contracts.access import RecordScope
from customer.domain.network import (
    BETWEENNESS_SAMPLES,
    EXACT_BETWEENNESS_NODES,
    CustomerNode,
    Relation,
    amount_coupling,
    betweenness_samples,
    build_graph,
    cosine_similarity,
    key_customers,
    neighbourhood,
    node_metrics,
    shown_nodes,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _nodes(*ids: str, **kwargs: object) -> list[CustomerNode]:
    return [CustomerNode(id=i, name=i.upper(), **kwargs) for i in ids]  # type: ignore[arg-type]


def _kite() -> tuple[list[CustomerNode], list[Relation]]:
    """a - b - c, and c - d, c - e: c is the hub, b the bridge to a."""
    relations = [
        Relation(source_id="a", target_id="b"),
        Relation(source_id="b", target_id="c"),
        Relation(source_id="c", target_id="d"),
        Relation(source_id="e", target_id="c"),
    ]
    return _nodes("a", "b", "c", "d", "e"), relations


def test_degree_and_betweenness_match_the_hand_computed_figures() -> None:
    nodes, relations = _kite()
    metrics = node_metrics(build_graph(nodes, relations))
    # Degree centrality = degree / (n - 1) with n = 5.
    assert {k: m.degree_centrality for k, m in metrics.items()} == {
        "a": 0.25, "b": 0.5, "c": 0.75, "d": 0.25, "e": 0.25,
    }  # fmt: skip
    # Betweenness: b lies on a-c, a-d, a-e (3 of 6 pairs not involving b);
    # c on a-d, a-e, b-d, b-e, d-e (5 of 6); normalised by (n-1)(n-2)/2 = 6.
    assert metrics["b"].betweenness == 0.5
    assert metrics["c"].betweenness == pytest.approx(5 / 6, abs=1e-6)
    assert metrics["a"].betweenness == metrics["d"].betweenness == 0.0


def test_key_customers_rank_by_betweenness_and_flag_dormant_hubs() -> None:
    nodes, relations = _kite()
    nodes[2] = CustomerNode(id="c", name="C", last_consumption_at=NOW - timedelta(days=10))
    ranked = key_customers(build_graph(nodes, relations), nodes, NOW, limit=3)
    assert [item.metrics.id for item in ranked] == ["c", "b", "a"]
    assert [item.churn_risk for item in ranked] == [False, True, False]


def test_colleagues_meet_at_their_organisation() -> None:
    nodes = _nodes("x", "y", company="Acme Ltd") + _nodes("z")
    metrics = node_metrics(build_graph(nodes, []))
    org = metrics["org:acme ltd"]
    assert org.kind == "organisation"
    assert org.betweenness == pytest.approx(1 / 3, abs=1e-6)  # on x-y, of 3 pairs without it
    assert metrics["x"].community == metrics["y"].community != metrics["z"].community


def test_edge_weight_adds_co_transactions_amount_coupling_and_behaviour() -> None:
    p = CustomerNode(
        id="p", name="P", total_consumption=Decimal(100), channels={"email": 1},
        campaigns=frozenset({"c1"}),
    )  # fmt: skip
    q = CustomerNode(
        id="q", name="Q", total_consumption=Decimal(50), channels={"email": 2},
        campaigns=frozenset({"c1", "c2"}),
    )  # fmt: skip
    graph = build_graph([p, q], [])
    # 0.5 * 1 shared / 1 + 0.25 * 50/100 + 0.25 * cosine 1.0
    assert graph["p"]["q"]["weight"] == pytest.approx(0.5 + 0.125 + 0.25)


def test_similarity_measures() -> None:
    assert amount_coupling(Decimal(0), Decimal(0)) == 0.0
    assert amount_coupling(Decimal(30), Decimal(60)) == 0.5
    assert cosine_similarity({"call": 1}, {"email": 3}) == 0.0
    assert cosine_similarity({"call": 2, "email": 2}, {"call": 1, "email": 1}) == pytest.approx(1)


def test_betweenness_of_a_large_network_is_estimated_from_a_bounded_sample() -> None:
    # A star of 1,500 customers around one hub: exact betweenness would run a shortest-path
    # search from every node; the sample keeps the work per request bounded.
    ids = [f"c{n}" for n in range(1_500)]
    relations = [Relation(source_id="hub", target_id=leaf) for leaf in ids]
    graph = build_graph(_nodes("hub", *ids), relations)

    ranked = key_customers(graph, _nodes("hub", *ids), NOW, 1)

    assert betweenness_samples(graph.number_of_nodes()) == BETWEENNESS_SAMPLES
    assert betweenness_samples(EXACT_BETWEENNESS_NODES) is None
    assert ranked[0].metrics.id == "hub"
    assert ranked[0].metrics.betweenness > 0.9


def _kite_of_two_reps() -> tuple[list[CustomerNode], list[Relation]]:
    """The kite, where rep-1 (team north) owns a, b and c and rep-2 (south) owns d and e;
    d works at Acme with c, e at Zeta alone."""
    nodes, relations = _kite()
    owners = {"a": "rep-1", "b": "rep-1", "c": "rep-1", "d": "rep-2", "e": "rep-2"}
    companies = {"c": "Acme", "d": "Acme", "e": "Zeta"}
    return [
        CustomerNode(
            id=n.id,
            name=n.name,
            company=companies.get(n.id),
            owner_id=owners[n.id],
            team="north" if owners[n.id] == "rep-1" else "south",
        )
        for n in nodes
    ], relations


def test_a_scoped_caller_is_shown_their_customers_and_the_organisations_they_work_at() -> None:
    nodes, _ = _kite_of_two_reps()

    assert shown_nodes(nodes, RecordScope()) is None
    assert shown_nodes(nodes, RecordScope(owner_id="rep-1")) == {"a", "b", "c", "org:acme"}
    assert shown_nodes(nodes, RecordScope(owner_id="boss", team="south")) == {
        "d", "e", "org:acme", "org:zeta",
    }  # fmt: skip
    assert shown_nodes(nodes, RecordScope(owner_id="nobody")) == frozenset()


def test_key_customers_list_only_shown_customers_ranked_in_the_whole_network() -> None:
    nodes, relations = _kite_of_two_reps()
    graph = build_graph(nodes, relations)
    shown = shown_nodes(nodes, RecordScope(owner_id="rep-2"))

    ranked = key_customers(graph, nodes, NOW, limit=5, shown=shown)

    everyone = key_customers(graph, nodes, NOW, limit=10)
    assert [item.metrics.id for item in ranked] == [
        item.metrics.id for item in everyone if item.metrics.id in {"d", "e"}
    ]
    assert {item.metrics.id for item in ranked} == {"d", "e"}


def test_a_neighbourhood_leaves_out_what_the_caller_may_not_see() -> None:
    nodes, relations = _kite_of_two_reps()
    graph = build_graph(nodes, relations)

    local = neighbourhood(graph, "c", 1, shown_nodes(nodes, RecordScope(owner_id="rep-1")))

    assert set(local.nodes) == {"b", "c", "org:acme"}
    assert {frozenset(edge) for edge in local.edges} == {
        frozenset({"b", "c"}), frozenset({"c", "org:acme"}),
    }  # fmt: skip
    assert set(neighbourhood(graph, "c", 1).nodes) == {"b", "c", "d", "e", "org:acme"}
