from support.domain.routing import (
    Agent,
    AssignmentStrategy,
    RoutingRule,
    RoutingSubject,
    RuleMatch,
    classify_ticket_type,
    escalation_target,
    route,
)
from support.domain.sla import Priority, Tier
from support.domain.tickets import Channel, TicketType


def subject(**overrides: object) -> RoutingSubject:
    values: dict[str, object] = {
        "type": TicketType.TECHNICAL,
        "priority": Priority.NORMAL,
        "channel": Channel.EMAIL,
        "tier": Tier.NORMAL,
        "product": "Router X",
        "text": "The router keeps rebooting",
    }
    return RoutingSubject.model_validate({**values, **overrides})


AGENTS = [
    Agent(id="l1-a", name="A", team="network", skills=["networking"], level=1),
    Agent(id="l1-b", name="B", team="network", skills=["networking", "vip"], level=1),
    Agent(id="l2", name="C", team="network", skills=["networking"], level=2),
    Agent(id="boss", name="D", team="network", level=3, is_manager=True),
    Agent(id="bill", name="E", team="billing", skills=["billing"], level=1),
]


def test_classifies_by_keywords_and_defaults_to_technical() -> None:
    assert (
        classify_ticket_type("Please refund the double charge on my invoice") is TicketType.BILLING
    )
    assert classify_ticket_type("这是投诉 服务太差") is TicketType.COMPLAINT
    assert classify_ticket_type("A suggestion: dark mode") is TicketType.SUGGESTION
    assert classify_ticket_type("The app crashes on start") is TicketType.TECHNICAL


def test_first_matching_rule_by_position_wins() -> None:
    rules = [
        RoutingRule(
            id="r2",
            name="Anything",
            position=20,
            team="general",
            strategy=AssignmentStrategy.TEAM_QUEUE,
        ),
        RoutingRule(
            id="r1",
            name="Routers",
            position=10,
            team="network",
            match=RuleMatch(products=["router x"]),
        ),
        RoutingRule(id="r0", name="Off", position=0, team="nobody", enabled=False),
    ]
    decision = route(rules, AGENTS, {}, subject())
    assert (decision.rule_id, decision.team) == ("r1", "network")
    assert route(rules, AGENTS, {}, subject(product="Phone")).team == "general"


def test_least_loaded_agent_with_the_skills_gets_the_ticket() -> None:
    rule = RoutingRule(
        id="r", name="Network", position=1, team="network", required_skills=["networking"]
    )
    loads = {"l1-a": 3, "l1-b": 1, "l2": 1}
    assert route([rule], AGENTS, loads, subject()).agent_id == "l1-b"  # ties: lower level first
    vip_rule = rule.model_copy(update={"required_skills": ["networking", "vip"]})
    assert route([vip_rule], AGENTS, {"l1-b": 9}, subject()).agent_id == "l1-b"


def test_agent_at_capacity_is_skipped() -> None:
    full = [a.model_copy(update={"max_open_tickets": 1}) for a in AGENTS]
    rule = RoutingRule(
        id="r", name="Network", position=1, team="network", required_skills=["networking"]
    )
    assert route([rule], full, {"l1-a": 1, "l1-b": 1}, subject()).agent_id == "l2"


def test_keyword_and_tier_conditions_must_all_hold() -> None:
    rule = RoutingRule(
        id="r",
        name="VIP outages",
        position=1,
        team="network",
        match=RuleMatch(keywords=["reboot"], tiers=[Tier.VIP]),
    )
    assert route([rule], AGENTS, {}, subject(tier=Tier.VIP)).rule_id == "r"
    assert route([rule], AGENTS, {}, subject()).rule_id is None


def test_escalation_goes_to_a_higher_level_then_to_the_manager() -> None:
    assert escalation_target(AGENTS, {}, team="network", current_agent_id="l1-a").id == "l2"  # type: ignore[union-attr]
    assert escalation_target(AGENTS, {}, team="network", current_agent_id="l2").id == "boss"  # type: ignore[union-attr]
    assert escalation_target(AGENTS, {}, team="billing", current_agent_id="bill") is None
