"""Profile, consumption and tier rules (C-1, C-2, C-3, C-10) without any I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from crm_contracts.events import customer as events
from customer.domain import customer as rules
from customer.domain.consumption import Payment, Tier, tier_for
from customer.domain.customer import Customer, CustomerStatus, member_id
from customer.domain.profile import MailLanguage, Profile, ProfileChanges

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _customer(**profile: object) -> Customer:
    values: dict[str, object] = {"name": "Zhao Lei", "phone": "13800000000"}
    values.update(profile)
    customer, _ = rules.create_customer(
        Profile.model_validate(values), customer_id="c1", member_id=member_id(7), now=NOW
    )
    return customer


def _paid(amount: str, payment_id: str, days_ago: int = 0) -> Payment:
    return Payment(
        payment_id=payment_id, amount=Decimal(amount), paid_at=NOW - timedelta(days=days_ago)
    )


@pytest.mark.parametrize(
    ("total", "tier"),
    [("0", Tier.NORMAL), ("999.99", Tier.NORMAL), ("1000", Tier.VIP), ("4999.99", Tier.VIP),
     ("5000", Tier.SVIP)],
)  # fmt: skip
def test_tier_boundaries(total: str, tier: Tier) -> None:
    assert tier_for(Decimal(total)) == tier


def test_member_id_is_vip_and_digits() -> None:
    assert member_id(42) == "VIP0000000042"


def test_created_customer_causes_created_event() -> None:
    customer, caused = rules.create_customer(
        Profile(name="A"), customer_id="c9", member_id="VIP0000000001", now=NOW
    )
    assert [type(event) for event in caused] == [events.CustomerCreated]
    assert customer.tier == Tier.NORMAL
    assert customer.version == 1


def test_payments_raise_tier_once_and_a_counted_payment_changes_nothing() -> None:
    customer = _customer()
    customer, caused = rules.record_payment(customer, _paid("1200", "p1"), NOW)
    assert customer.tier == Tier.VIP
    assert [type(e) for e in caused] == [
        events.CustomerConsumptionChanged, events.CustomerTierChanged,
    ]  # fmt: skip
    again, caused = rules.record_payment(customer, _paid("1200", "p1"), NOW)
    assert again is customer
    assert caused == []
    customer, caused = rules.record_payment(customer, _paid("0.555", "p2"), NOW)
    assert customer.consumption.total == Decimal("1200.56")
    assert [type(e) for e in caused] == [events.CustomerConsumptionChanged]


def test_a_payment_that_moves_the_tier_keeps_the_move_a_merge_leaves_it_behind() -> None:
    """The move is stored with the payment, so a redelivery can write its timeline and
    audit entries; the survivor of a merge does not take the other customer's moves."""
    customer, caused = rules.record_payment(_customer(), _paid("1200", "p1"), NOW)
    counted = customer.consumption.payment("p1")
    assert counted is not None
    assert counted.tier_move is not None
    assert (counted.tier_move.version, counted.tier_move.previous_tier) == (2, Tier.NORMAL)
    assert rules.tier_moved(customer.id, counted.tier_move) == caused[-1]
    customer, _ = rules.record_payment(customer, _paid("10", "p2"), NOW)
    assert [paid.tier_move is None for paid in customer.consumption.payments] == [False, True]
    survivor = _customer().model_copy(update={"id": "c2"})
    folded = survivor.consumption.combined(customer.consumption)
    assert [paid.tier_move for paid in folded.payments] == [None, None]


def test_purchase_frequency_counts_the_last_365_days() -> None:
    customer = _customer()
    for n, days in enumerate((1, 100, 364, 400)):
        customer, _ = rules.record_payment(customer, _paid("10", f"p{n}", days), NOW)
    assert customer.consumption.purchases_in_year_before(NOW) == 3
    assert customer.consumption.last_consumption_at == NOW - timedelta(days=1)


def test_change_audits_masked_personal_values_and_bumps_version() -> None:
    customer = _customer()
    changes = ProfileChanges(phone="+86 139 1234 5678", title="CFO").changed()
    updated, caused, diffs = rules.change_customer(customer, changes, NOW)
    assert updated.version == 2
    assert updated.phone == "13912345678"
    assert [type(e) for e in caused] == [events.CustomerUpdated]
    by_field = {diff.field: diff for diff in diffs}
    assert (by_field["phone"].before, by_field["phone"].after) == ("138****0000", "139****5678")


def test_a_patch_that_changes_nothing_causes_nothing() -> None:
    customer = _customer(title="CTO")
    updated, caused, diffs = rules.change_customer(customer, {"title": "CTO"}, NOW)
    assert updated is customer
    assert caused == []
    assert diffs == []


def test_erasure_removes_personal_fields_and_announces_it() -> None:
    customer = _customer(email="z@example.com", national_id="110101199003071234")
    erased, caused = rules.erase_customer(customer, NOW)
    assert erased.status == CustomerStatus.ERASED
    assert erased.phone is None
    assert erased.email is None
    assert erased.national_id is None
    assert erased.name == "(erased)"
    assert [type(e) for e in caused] == [events.CustomerErased]
    assert rules.erase_customer(erased, NOW)[1] == []


def test_name_cannot_be_cleared_and_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        ProfileChanges.model_validate({"name": None})
    with pytest.raises(ValidationError):
        Profile.model_validate({"name": "A", "favourite_colour": "red"})


def test_the_mail_language_is_announced_on_create_and_change_and_audited() -> None:
    customer, caused = rules.create_customer(
        Profile.model_validate({"name": "A", "language": "en"}),
        customer_id="c9",
        member_id="VIP0000000001",
        now=NOW,
    )
    assert customer.language == MailLanguage.EN
    [created] = caused
    assert isinstance(created, events.CustomerCreated)
    assert created.language == "en"

    changes = ProfileChanges.model_validate({"language": "zh-CN"}).changed()
    updated, caused, diffs = rules.change_customer(customer, changes, NOW)
    [announced] = caused
    assert isinstance(announced, events.CustomerUpdated)
    assert announced.language == "zh-CN"
    assert [(d.field, d.before, d.after) for d in diffs] == [("language", "en", "zh-CN")]
    cleared, caused, _ = rules.change_customer(updated, {"language": None}, NOW)
    assert cleared.language is None
    assert isinstance(caused[0], events.CustomerUpdated)
    assert caused[0].language is None


@pytest.mark.parametrize("value", ["fr", "EN", "zh-cn", "zh", ""])
def test_a_mail_language_other_than_zh_cn_or_en_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        ProfileChanges.model_validate({"language": value})
    assert [error["loc"] for error in refused.value.errors()] == [("language",)]


def test_a_merge_keeps_the_survivors_language_or_takes_the_other_customers() -> None:
    without = _customer()
    english = _customer(language="en", phone="13900000000")
    folded, _, caused, _ = rules.merge_customers(without, english, NOW)
    assert folded.language == MailLanguage.EN
    assert isinstance(caused[0], events.CustomerUpdated)
    assert caused[0].language == "en"
    chinese = _customer(language="zh-CN")
    kept, _, _, _ = rules.merge_customers(chinese, english, NOW)
    assert kept.language == MailLanguage.ZH_CN
