from __future__ import annotations

from sales.domain.routing import (
    DirectoryEntry,
    LeadFacts,
    RoutingRule,
    RuleConditions,
    RuleTarget,
    SalesRep,
    directory_entry,
    eligible_reps,
    first_matching_rule,
    round_robin_pick,
)

RULES = [
    RoutingRule(
        rule_id="vip",
        name="hot leads to seniors",
        position=1,
        conditions=RuleConditions(min_score=85),
        target=RuleTarget(senior_only=True),
    ),
    RoutingRule(
        rule_id="north",
        name="Beijing to North China",
        position=2,
        conditions=RuleConditions(regions=["Beijing", "Tianjin"]),
        target=RuleTarget(team="north-china"),
    ),
    RoutingRule(rule_id="rest", name="everyone else", position=9),
]
REPS = [
    SalesRep(rep_id="a", name="A", team="north-china"),
    SalesRep(rep_id="b", name="B", team="north-china", senior=True, skills=["Mandarin"]),
    SalesRep(rep_id="c", name="C", team="east-china", active=False),
]


def test_beijing_lead_matches_the_north_china_rule() -> None:
    rule = first_matching_rule(RULES, LeadFacts(region="beijing", score=40))
    assert rule is not None
    assert rule.rule_id == "north"
    assert [rep.rep_id for rep in eligible_reps(rule.target, REPS)] == ["a", "b"]


def test_first_match_wins_so_a_hot_beijing_lead_goes_to_seniors() -> None:
    rule = first_matching_rule(RULES, LeadFacts(region="Beijing", score=90))
    assert rule is not None
    assert rule.rule_id == "vip"
    assert [rep.rep_id for rep in eligible_reps(rule.target, REPS)] == ["b"]


def test_lead_matching_no_specific_rule_falls_to_the_catch_all() -> None:
    rule = first_matching_rule(RULES, LeadFacts(region="Shanghai", score=10))
    assert rule is not None
    assert rule.rule_id == "rest"


def test_disabled_rules_and_inactive_reps_are_skipped() -> None:
    disabled = [rule.model_copy(update={"enabled": False}) for rule in RULES]
    assert first_matching_rule(disabled, LeadFacts(region="Beijing")) is None
    assert "c" not in [rep.rep_id for rep in eligible_reps(RuleTarget(), REPS)]


def test_skill_target_keeps_only_reps_with_that_skill() -> None:
    assert [r.rep_id for r in eligible_reps(RuleTarget(skill="mandarin"), REPS)] == ["b"]


def test_round_robin_cycles_through_reps_in_order() -> None:
    assert [round_robin_pick(["a", "b", "c"], turn) for turn in range(5)] == list("abcab")


def test_the_directory_lists_sellers_and_keeps_others_off_the_roster() -> None:
    def entry(roles: list[str], *, active: bool = True, name: str = "Li Lei") -> DirectoryEntry:
        return directory_entry(
            display_name=name, email="li@example.cn", roles=roles, team="north", active=active
        )

    assert entry(["sales_rep"]) == DirectoryEntry("Li Lei", "north", active=True, sells=True)
    assert entry(["sales_manager", "analyst"]).active
    # Deactivated, or no longer selling: listed (or not) but never assigned anew.
    assert entry(["sales_rep"], active=False) == DirectoryEntry(
        "Li Lei", "north", active=False, sells=True
    )
    assert entry(["support_agent"]) == DirectoryEntry("Li Lei", "north", active=False, sells=False)
    assert entry([]).sells is False
    # No display name: the e-mail names the rep.
    assert entry(["sales_rep"], name="  ").name == "li@example.cn"
