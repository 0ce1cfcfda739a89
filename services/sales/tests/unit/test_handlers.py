"""Consumed-event handlers called directly with the parts they need (fakes of the stores)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from crm_contracts.events import customer, gateway, marketing
from crm_contracts.events.registry import EventData, to_cloud_event
from sales import handlers
from sales.components import Components
from sales.domain.leads import Lead, LeadStatus
from sales.domain.routing import DirectoryEntry, RoutingRule
from sales.domain.scoring import ScoringConfig

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class CustomerCopies:
    """Records what the handlers ask of sales' customer copy."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    async def updated(self, *args: Any) -> None:
        self.calls.append(("updated", args))

    async def erased(self, *args: Any) -> None:
        self.calls.append(("erased", args))


class Leads:
    def __init__(self) -> None:
        self.stored: dict[str, tuple[Lead, list[EventData]]] = {}

    async def get(self, lead_id: str) -> Lead | None:
        found = self.stored.get(lead_id)
        return None if found is None else found[0]

    async def insert(self, lead: Lead, events: list[EventData]) -> None:
        self.stored[lead.lead_id] = (lead, list(events))


class LeadSettings:
    async def lead_rules(self) -> tuple[ScoringConfig, list[Any]]:
        return ScoringConfig(), []


class NoRoutingRules:
    async def list_rules(self) -> list[RoutingRule]:
        return []


class Roster:
    """Records the directory entries the handler hands to the routing store."""

    def __init__(self) -> None:
        self.applied: list[tuple[str, DirectoryEntry, int, str]] = []

    async def apply_directory(
        self, rep_id: str, entry: DirectoryEntry, version: int, event_id: str
    ) -> bool:
        self.applied.append((rep_id, entry, version, event_id))
        return True


def parts(**stores: Any) -> Components:
    """The service's parts with only the stores a handler uses."""
    return cast(Components, SimpleNamespace(**stores))


async def test_customer_update_reaches_the_copy_with_its_version_and_the_copied_fields() -> None:
    copies = CustomerCopies()
    given = parts(customers=copies)
    data = customer.CustomerUpdated(
        customer_id="cust-1",
        version=4,
        name="Acme Group",
        email="buyer@acme.example",
        company="Acme",
        region="Beijing",
        owner_id="rep-1",
        team="north",
        updated_at=NOW,
        language="en",
    )

    event = to_cloud_event(data, subject="cust-1")

    await handlers.customer_updated(event, given)

    fields = {
        "name": "Acme Group",
        "company": "Acme",
        "industry": None,
        "region": "Beijing",
        "owner_id": "rep-1",
        "team": "north",
        "language": "en",
    }
    # The e-mail is not part of sales' copy.
    assert copies.calls == [("updated", ("cust-1", 4, fields, event.id))]


async def test_customer_erasure_reaches_the_copy_with_its_time() -> None:
    copies = CustomerCopies()
    given = parts(customers=copies)
    data = customer.CustomerErased(customer_id="cust-1", erased_at=NOW)

    await handlers.customer_erased(to_cloud_event(data, subject="cust-1"), given)

    assert copies.calls == [("erased", ("cust-1", NOW))]


async def test_a_directory_entry_reaches_the_roster_with_its_version_and_event_id() -> None:
    roster = Roster()
    given = parts(routing=roster)

    def changed(version: int, roles: list[str], active: bool = True) -> gateway.UserChanged:
        return gateway.UserChanged(
            user_id="user-7",
            email="li@example.cn",
            display_name="Li Lei",
            roles=roles,
            team="north",
            active=active,
            version=version,
            changed_at=NOW,
        )

    hired = to_cloud_event(changed(1, ["sales_rep"]), subject="user-7")
    moved = to_cloud_event(changed(2, ["support_agent"]), subject="user-7")
    left = to_cloud_event(changed(3, ["sales_manager"], active=False), subject="user-7")

    for event in (hired, moved, left):
        await handlers.user_changed(event, given)

    assert roster.applied == [
        ("user-7", DirectoryEntry("Li Lei", "north", active=True, sells=True), 1, hired.id),
        ("user-7", DirectoryEntry("Li Lei", "north", active=False, sells=False), 2, moved.id),
        ("user-7", DirectoryEntry("Li Lei", "north", active=False, sells=True), 3, left.id),
    ]


async def test_campaign_response_becomes_one_lead_keyed_by_the_response() -> None:
    leads = Leads()
    given = parts(leads=leads, config=LeadSettings(), routing=NoRoutingRules())
    data = marketing.CampaignResponded(
        response_id="resp-7",
        campaign_id="camp-1",
        name="Han Meimei",
        email="han@example.com",
        interest="demo",
        responded_at=NOW,
    )
    event = to_cloud_event(data, subject="camp-1")

    await handlers.campaign_responded(event, given)
    await handlers.campaign_responded(event, given)  # redelivered

    assert list(leads.stored) == ["campaign-response-resp-7"]
    lead, events = leads.stored["campaign-response-resp-7"]
    assert lead.source_channel == "campaign"
    assert lead.campaign_id == "camp-1"
    assert lead.interest_level == handlers.CAMPAIGN_INTEREST_LEVEL
    assert lead.status is LeadStatus.NEW
    assert [event.TYPE for event in events] == ["crm.sales.lead.captured.v1"]


def test_every_consumed_type_has_one_handler_and_only_copy_writes_skip_the_ledger() -> None:
    idempotent = {kind for kind, row in handlers.HANDLERS.items() if row.idempotent}
    assert idempotent == {
        customer.CustomerCreated.TYPE,
        customer.CustomerUpdated.TYPE,
        customer.CustomerTierChanged.TYPE,
        gateway.UserChanged.TYPE,
    }
    assert set(handlers.HANDLERS) == idempotent | {
        customer.CustomersMerged.TYPE,
        customer.CustomerErased.TYPE,
        marketing.CampaignResponded.TYPE,
    }
