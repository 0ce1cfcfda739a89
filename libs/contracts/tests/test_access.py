"""Which customers a caller may see: one rule for the customer service and every copy."""

from __future__ import annotations

from crm_contracts.access import (
    Permission,
    RecordScope,
    Role,
    customer_scope,
    permissions_of,
    sales_scope,
)


def test_roles_that_see_every_customer_are_unrestricted_whatever_else_they_hold() -> None:
    for role in (Role.ADMIN, Role.ANALYST, Role.INTEGRATION, Role.MARKETER, Role.SUPPORT_AGENT):
        scope = customer_scope([role, Role.SALES_REP], "u1", "north")
        assert scope.unrestricted
        assert scope.query() == {}
        assert scope.allows("someone-else", "south")


def test_a_sales_manager_sees_their_teams_customers_and_their_own() -> None:
    scope = customer_scope([Role.SALES_MANAGER], "m1", "north")

    assert scope == RecordScope(owner_id="m1", team="north")
    assert scope.allows("rep-1", "north")
    assert scope.allows("m1", None)
    assert not scope.allows("rep-2", "south")
    assert not scope.allows(None, None)
    assert scope.query() == {"$or": [{"owner_id": "m1"}, {"team": "north"}]}


def test_a_sales_rep_and_a_manager_without_a_team_see_only_what_they_own() -> None:
    for roles in ([Role.SALES_REP], [Role.SALES_MANAGER], []):
        scope = customer_scope(roles, "u1", None)
        assert scope == RecordScope(owner_id="u1")
        assert not scope.allows("u2", None)
        assert scope.query(owner_field="owner") == {"$or": [{"owner": "u1"}]}
    assert not customer_scope([Role.SALES_REP], "u1", "north").allows("u2", "north")


def test_sales_records_are_seen_whole_by_the_same_roles_except_support() -> None:
    for role in (Role.ADMIN, Role.ANALYST, Role.INTEGRATION, Role.MARKETER):
        assert sales_scope([role], "u1", "north").unrestricted
    assert sales_scope([Role.SUPPORT_AGENT], "a1", "north") == RecordScope(owner_id="a1")
    assert sales_scope([Role.SALES_MANAGER], "m1", "north") == RecordScope(
        owner_id="m1", team="north"
    )
    assert sales_scope([Role.SALES_REP], "r1", "north") == RecordScope(owner_id="r1")


def test_every_person_has_an_inbox_and_only_administrators_edit_customer_notices() -> None:
    for role in Role:
        granted = permissions_of([role])
        assert (Permission.NOTIFICATIONS_OWN in granted) is (role is not Role.INTEGRATION)
        assert (Permission.NOTIFICATIONS_ADMIN in granted) is (role is Role.ADMIN)
