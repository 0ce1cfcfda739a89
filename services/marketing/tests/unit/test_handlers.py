"""Consumed events, handled by the module-level handlers with their parts passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

from crm_chassis.local_copies import Stamp
from crm_contracts.events.customer import CustomerErased, CustomerTierChanged
from crm_contracts.events.registry import to_cloud_event
from crm_contracts.events.sales import OrderPlaced
from marketing.components import Components
from marketing.handlers import customer_erased, order_placed, tier_changed

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Recorder:
    """Any store: records each call and answers from ``answers`` (None otherwise)."""

    def __init__(self, **answers: Any) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self._answers = answers

    def __getattr__(self, name: str) -> Any:
        async def call(*args: Any) -> Any:
            self.calls.append((name, args))
            return self._answers.get(name)

        return call

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


def _parts(**stores: Recorder) -> Components:
    names = ("customers", "deliveries", "consent", "responses", "campaigns", "conversions")
    fields: dict[str, Any] = {name: stores.get(name, Recorder()) for name in names}
    fields["promotions"] = stores.get("promotions", Recorder(auto_issued_on=[]))
    fields["coupons"] = stores.get("coupons", Recorder())
    fields["settings"] = SimpleNamespace(attribution_window_days=30)
    return cast(Components, SimpleNamespace(**fields))


def _order(campaign_id: str | None) -> OrderPlaced:
    return OrderPlaced(
        order_id="o-1",
        order_number="SO-1",
        customer_id="c-1",
        campaign_id=campaign_id,
        amount=Decimal("250.00"),
        placed_at=NOW,
    )


async def test_erasure_reaches_every_store_holding_the_customers_data() -> None:
    parts = _parts()
    await customer_erased(
        to_cloud_event(CustomerErased(customer_id="c-1", erased_at=NOW), subject="c-1"), parts
    )
    assert cast(Recorder, parts.customers).calls == [("erase", ("c-1", NOW))]
    assert cast(Recorder, parts.deliveries).calls == [("forget_recipient", ("c-1",))]
    assert cast(Recorder, parts.consent).calls == [("forget_address", ("c-1",))]
    assert cast(Recorder, parts.responses).calls == [("anonymise", ("c-1",))]


async def test_an_order_naming_a_known_campaign_is_attributed_to_it() -> None:
    campaigns = Recorder(exists=True)
    conversions = Recorder(record=True)
    parts = _parts(campaigns=campaigns, conversions=conversions)
    await order_placed(to_cloud_event(_order("camp-1"), subject="o-1"), parts)
    [(_, recorded)] = conversions.calls
    assert recorded == ("o-1", "camp-1", "c-1", Decimal("250.00"), NOW, "explicit")
    assert ("mark_metrics_dirty", (["camp-1"],)) in campaigns.calls


async def test_an_order_without_a_campaign_or_recent_message_is_attributed_to_none() -> None:
    deliveries = Recorder(last_touch=None)
    conversions = Recorder()
    parts = _parts(deliveries=deliveries, conversions=conversions)
    await order_placed(to_cloud_event(_order(None), subject="o-1"), parts)
    assert conversions.calls == []
    [(_, window)] = deliveries.calls
    assert window == ("c-1", NOW - timedelta(days=30), NOW)


async def test_an_order_goes_to_the_last_campaign_message_within_the_window() -> None:
    deliveries = Recorder(last_touch={"campaign_id": "camp-9"})
    conversions = Recorder(record=True)
    parts = _parts(deliveries=deliveries, conversions=conversions)
    await order_placed(to_cloud_event(_order(None), subject="o-1"), parts)
    [(_, recorded)] = conversions.calls
    assert recorded[1] == "camp-9"
    assert recorded[-1] == "last_touch"


async def test_only_reaching_svip_issues_the_tier_coupons() -> None:
    def changed(previous: str, tier: str) -> Any:
        data = CustomerTierChanged(
            customer_id="c-1",
            previous_tier=previous,
            tier=tier,
            total_consumption=Decimal("0"),
            changed_at=NOW,
        )
        return to_cloud_event(data, subject="c-1")

    promotions = Recorder(auto_issued_on=[])
    customers = Recorder()
    parts = _parts(promotions=promotions, customers=customers)
    await tier_changed(changed("SVIP", "SVIP"), parts)
    await tier_changed(changed("VIP", "VIP"), parts)
    assert promotions.calls == []
    event = changed("VIP", "SVIP")
    await tier_changed(event, parts)
    assert promotions.names() == ["auto_issued_on"]
    assert customers.calls[-1] == ("apply_tier", ("c-1", Stamp(NOW, event.id), "svip"))
