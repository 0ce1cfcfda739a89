"""Mail to customers: an invoice passing its reminder steps gives one mail per step, none
after payment, none to an erased or opted-out customer; order status and ticket
acknowledgements once each, in the customer's language; templates and steps edited by
administrators. Two replicas run and events come twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from crm_chassis.testing import ServiceRunner, wait_until
from crm_contracts.access import Role
from crm_contracts.events import customer, marketing, sales, support
from crm_contracts.events.registry import EventData
from crm_localinfra.smtp import SmtpCapture
from notifications.domain.customer_notices import why_not_send
from notifications.settings import Settings

from .conftest import NOW, Notifications
from .mailing import (
    Addresses,
    StartApp,
    mail_replicas,
    mail_to,
    parts,
    rounds_pass,
    set_clock,
    wait_for_mail,
)

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")


def admin(app: Notifications) -> dict[str, str]:
    return app.auth(Role.ADMIN, subject="admin-1", team=None)


async def twice(apps: Sequence[Notifications], data: EventData) -> str:
    """Publish ``data`` once to each replica's side, with one id: a redelivery."""
    event_id = await apps[0].bus.publish(data)
    await apps[-1].bus.publish(data, event_id=event_id)
    return event_id


async def known_customer(
    app: Notifications, customer_id: str, email: str, language: str | None = None
) -> None:
    await app.bus.publish(
        customer.CustomerCreated(
            customer_id=customer_id,
            member_id=f"M-{customer_id}",
            name=f"Customer {customer_id}",
            email=email,
            created_at=NOW,
            language=language,
        )
    )

    async def copied() -> bool:
        return await app.collection("customers").find_one({"_id": customer_id}) is not None

    await wait_until(copied, timeout=15, what=f"the copy of {customer_id}")


def at_nine(day: date) -> datetime:
    """The moment a step on ``day`` falls due (09:00 in Shanghai, the default)."""
    return datetime.combine(day, time(9), tzinfo=SHANGHAI).astimezone(UTC)


async def notice_state(app: Notifications, notice_id: str, state: str) -> dict[str, Any]:
    async def reached() -> dict[str, Any] | None:
        found = await app.collection("customer_notices").find_one({"_id": notice_id})
        return found if found is not None and found["state"] == state else None

    await wait_until(reached, timeout=15, what=f"notice {notice_id} {state}")
    found = await reached()
    assert found is not None
    return found


def issued(invoice_id: str, customer_id: str, due: date, amount: str = "1200.00") -> EventData:
    return sales.InvoiceIssued(
        invoice_id=invoice_id,
        invoice_number=f"INV-{invoice_id}",
        order_id=f"O-{invoice_id}",
        order_number=f"SO-{invoice_id}",
        customer_id=customer_id,
        amount=Decimal(amount),
        due_date=due,
        issued_at=datetime.now(UTC),
    )


async def test_an_invoice_passing_its_steps_mails_once_per_step_and_none_after_payment(
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    mailbox: SmtpCapture,
) -> None:
    address = Addresses().of("buyer")
    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    due = today + timedelta(days=10)
    async with mail_replicas(service_runner, make_settings, start_app) as apps:
        first, second = apps
        steps = await first.client.put(
            "/api/v1/customer-notice-settings",
            json={"payment_reminder_days_before": [1, 3], "overdue_notice_days_after": [5, 1]},
            headers=admin(first),
        )
        assert steps.status_code == 200, steps.text
        assert steps.json()["overdue_notice_days_after"] == [1, 5]
        await known_customer(first, "C1", address, language="en")
        await twice(apps, issued("I1", "C1", due))
        await wait_until(
            lambda: second.collection("invoices").find_one({"_id": "I1"}),
            timeout=15,
            what="the invoice kept",
        )
        await rounds_pass(apps, "customer_mail")
        assert mail_to(mailbox, address) == []

        expected = [
            (due - timedelta(days=3), "Payment reminder: invoice INV-I1 is due on"),
            (due - timedelta(days=1), "Payment reminder: invoice INV-I1 is due on"),
            (due + timedelta(days=1), "Overdue: invoice INV-I1 is 1 day(s) past due"),
        ]
        for count, (day, subject) in enumerate(expected, start=1):
            set_clock(apps, "customer_mail", at_nine(day) + timedelta(minutes=1))
            mails = await wait_for_mail(mailbox, address, count=count)
            await rounds_pass(apps, "customer_mail")
            assert len(mail_to(mailbox, address)) == count
            assert mails[-1].subject.startswith(subject)

        reminder = mail_to(mailbox, address)[0].text()
        assert "1,200.00 CNY is open on invoice INV-I1 (order SO-I1)" in reminder
        assert "due in 3 day(s)" in reminder

        paid = sales.PaymentReceived(
            payment_id="P1",
            order_id="O-I1",
            customer_id="C1",
            amount=Decimal("1200.00"),
            paid_at=NOW,
            invoice_id="I1",
            invoice_balance=Decimal("0.00"),
        )
        await twice(apps, paid)
        await wait_until(
            lambda: first.collection("payments").find_one({"_id": "P1"}),
            timeout=15,
            what="the payment kept",
        )
        set_clock(apps, "customer_mail", at_nine(due + timedelta(days=5)) + timedelta(minutes=1))
        await rounds_pass(apps, "customer_mail")

        assert len(mail_to(mailbox, address)) == 3
        assert await first.collection("customer_notices").count_documents({}) == 3


async def test_a_payment_naming_no_invoice_settles_the_orders_invoices_oldest_first(
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    mailbox: SmtpCapture,
) -> None:
    address = Addresses().of("buyer")
    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    async with mail_replicas(service_runner, make_settings, start_app, count=1) as apps:
        (app,) = apps
        await known_customer(app, "C1", address)
        for invoice_id, days in (("I1", 5), ("I2", 6)):
            event = issued(invoice_id, "C1", today + timedelta(days=days), amount="100.00")
            await app.bus.publish(event.model_copy(update={"order_id": "ORD-A"}))
        await app.bus.publish(
            sales.PaymentReceived(
                payment_id="P1",
                order_id="ORD-A",
                customer_id="C1",
                amount=Decimal(100),
                paid_at=NOW,
            )
        )
        await wait_until(
            lambda: app.collection("payments").find_one({"_id": "P1"}),
            timeout=15,
            what="the payment kept",
        )

        async def both_kept() -> bool:
            return await app.collection("invoices").count_documents({}) == 2

        await wait_until(both_kept, timeout=15, what="both invoices kept")

        # Both invoices are 1 day overdue by then: only the later one is still open.
        set_clock(apps, "customer_mail", at_nine(today + timedelta(days=7)) + timedelta(minutes=1))
        mails = await wait_for_mail(mailbox, address)
        await rounds_pass(apps, "customer_mail")

        assert len(mail_to(mailbox, address)) == 1
        assert "INV-I2" in mails[0].subject
        # No language known: Chinese.
        assert mails[0].subject == "逾期通知：发票 INV-I2 已逾期 1 天"  # noqa: RUF001


async def test_no_mail_to_an_erased_or_opted_out_customer(
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    mailbox: SmtpCapture,
) -> None:
    addresses = Addresses()
    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    due = today + timedelta(days=3)
    async with mail_replicas(service_runner, make_settings, start_app) as apps:
        first, _ = apps
        # Nothing falls due until every event below is applied: events of different
        # kinds arrive in no fixed order, and a notice sent before the erasure or the
        # opt-out it races would be right to go.
        set_clock(apps, "customer_mail", NOW)
        await known_customer(first, "C-erased", addresses.of("erased"))
        await known_customer(first, "C-out", addresses.of("out"))
        await known_customer(first, "C-address-out", addresses.of("address-out"))
        await twice(
            apps,
            marketing.SubscriptionChanged(
                customer_id="C-out", channel="email", subscribed=False, changed_at=NOW
            ),
        )
        await twice(
            apps,
            marketing.SubscriptionChanged(
                email=addresses.of("address-out").upper(),
                channel="email",
                subscribed=False,
                changed_at=NOW,
            ),
        )
        # Another channel's opt-out does not stop e-mail.
        await twice(
            apps,
            marketing.SubscriptionChanged(
                customer_id="C-erased", channel="sms", subscribed=False, changed_at=NOW
            ),
        )
        for customer_id in ("C-erased", "C-out", "C-address-out"):
            await twice(apps, issued(f"I-{customer_id}", customer_id, due))
        await twice(
            apps,
            sales.OrderStatusChanged(
                order_id="O9",
                order_number="SO-9",
                customer_id="C-erased",
                from_status="placed",
                status="confirmed",
                changed_at=NOW,
            ),
        )
        await notice_state(first, "order:O9:confirmed", "pending")
        # The erasure cancels the waiting notice and takes what it quoted.
        await twice(apps, customer.CustomerErased(customer_id="C-erased", erased_at=NOW))
        order = await notice_state(first, "order:O9:confirmed", "cancelled")
        assert order["reason"] == "erased"
        assert "facts" not in order
        await all_applied(first, ("I-C-erased", "I-C-out", "I-C-address-out"))

        set_clock(apps, "customer_mail", at_nine(due - timedelta(days=1)) + timedelta(minutes=1))
        for customer_id, reason in (
            ("C-erased", "erased"),
            ("C-out", "opted_out"),
            ("C-address-out", "opted_out"),
        ):
            notice = await notice_state(first, f"invoice:I-{customer_id}:before-1", "cancelled")
            assert notice["reason"] == reason
        await rounds_pass(apps, "customer_mail")

        assert [m for m in mailbox.messages() if addresses.tag in ",".join(m.rcpt_tos)] == []
        copy = await first.collection("customers").find_one({"_id": "C-erased"})
        assert copy is not None
        assert "email" not in copy
        assert "name" not in copy


async def all_applied(app: Notifications, invoice_ids: Sequence[str]) -> None:
    """Wait until the invoices are known and the opt-outs and the erasure are applied:
    every invoice's customer reads as one no mail may go to."""
    customers = parts(app).customers

    async def applied() -> bool:
        found = await app.collection("invoices").find({"_id": {"$in": list(invoice_ids)}}).to_list()
        if len(found) < len(invoice_ids):
            return False
        for invoice in found:
            recipient = await customers.recipient(invoice["customer_id"])
            if recipient is None or why_not_send(recipient) is None:
                return False
        return True

    await wait_until(applied, timeout=15, what="the invoices, opt-outs and erasure applied")


async def test_order_status_and_ticket_acknowledgement_once_each_in_the_customers_language(
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    mailbox: SmtpCapture,
) -> None:
    addresses = Addresses()
    chinese, english = addresses.of("zh"), addresses.of("en")
    async with mail_replicas(service_runner, make_settings, start_app) as apps:
        first, _ = apps
        await known_customer(first, "C-zh", chinese)
        await known_customer(first, "C-en", english, language="en")
        for previous, status in (
            ("placed", "confirmed"),
            ("confirmed", "shipped"),
            ("shipped", "delivered"),
            ("delivered", "completed"),
        ):
            await twice(
                apps,
                sales.OrderStatusChanged(
                    order_id="O1",
                    order_number="SO-1",
                    customer_id="C-zh",
                    from_status=previous,
                    status=status,
                    changed_at=NOW,
                ),
            )
        due = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
        await twice(
            apps,
            support.TicketOpened(
                ticket_id="TK-1",
                customer_id="C-en",
                type="question",
                priority="high",
                channel="email",
                subject="Invoice address wrong",
                opened_at=NOW,
                first_response_due=due,
            ),
        )
        # From the public form without a customer: acknowledged once an agent links it.
        await twice(
            apps,
            support.TicketOpened(
                ticket_id="TK-2",
                type="question",
                priority="low",
                channel="web",
                subject="Hello",
                opened_at=NOW,
            ),
        )

        orders = await wait_for_mail(mailbox, chinese, count=3)
        tickets = await wait_for_mail(mailbox, english)
        await rounds_pass(apps, "customer_mail")

        assert len(mail_to(mailbox, chinese)) == 3
        assert sorted(m.subject for m in orders) == sorted(
            ["订单 SO-1 已确认", "订单 SO-1 已发货", "订单 SO-1 已送达"]
        )
        assert len(mail_to(mailbox, english)) == 1
        ticket = tickets[0]
        assert ticket.subject == "We have received your request: Invoice address wrong"
        assert "Expected first response: 2026-06-01 17:30 (UTC+08:00)." in ticket.text()
        assert "(ticket TK-1)" in ticket.text()
        assert await first.collection("customer_notices").count_documents({}) == 4


async def test_templates_are_edited_by_administrators_and_unknown_placeholders_refused(
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    mailbox: SmtpCapture,
) -> None:
    address = Addresses().of("en")
    async with mail_replicas(service_runner, make_settings, start_app, count=1) as apps:
        (app,) = apps
        client = app.client
        listed = await client.get("/api/v1/customer-notice-templates", headers=admin(app))
        assert listed.status_code == 200
        items = listed.json()["items"]
        assert {(t["kind"], t["language"]) for t in items} == {
            (kind, language)
            for kind in (
                "payment_reminder",
                "overdue_notice",
                "order_status",
                "ticket_acknowledgement",
            )
            for language in ("zh-CN", "en")
        }
        assert all(t["default"] and t["version"] == 0 for t in items)
        order_en = next(t for t in items if (t["kind"], t["language"]) == ("order_status", "en"))
        assert order_en["variables"] == ["customer_name", "order_number", "status"]

        path = "/api/v1/customer-notice-templates/order_status/en"
        forbidden = await client.put(
            path, json={"subject": "x", "body": "y"}, headers=app.as_person("rep-1")
        )
        assert forbidden.status_code == 403
        unknown = await client.put(
            path,
            json={"subject": "Order ${order_number}", "body": "Hi ${customer_name}, ${secret}"},
            headers=admin(app),
        )
        assert unknown.status_code == 422
        problem = unknown.json()
        assert problem["errors"][0]["field"] == "body.body"
        assert "secret" in problem["detail"]
        lone_dollar = await client.put(
            path, json={"subject": "Pay $5 now", "body": "x"}, headers=admin(app)
        )
        assert lone_dollar.status_code == 422
        assert lone_dollar.json()["errors"][0]["field"] == "body.subject"
        bad_kind = await client.put(
            "/api/v1/customer-notice-templates/spam/en",
            json={"subject": "x", "body": "y"},
            headers=admin(app),
        )
        assert bad_kind.status_code == 422
        assert bad_kind.json()["errors"][0]["field"] == "path.kind"

        saved = await client.put(
            path,
            json={
                "subject": "${order_number}: ${status} ($$0 shipping)",
                "body": "Hello ${customer_name}, order ${order_number} is ${status}.",
            },
            headers={**admin(app), "If-Match": '"0"'},
        )
        assert saved.status_code == 200, saved.text
        assert saved.headers["ETag"] == '"1"'
        assert saved.json()["default"] is False
        assert saved.json()["updated_by"] == "admin-1"
        stale = await client.put(
            path, json={"subject": "x", "body": "y"}, headers={**admin(app), "If-Match": '"0"'}
        )
        assert stale.status_code == 412

        settings = await client.get("/api/v1/customer-notice-settings", headers=admin(app))
        assert settings.status_code == 200
        assert settings.json()["payment_reminder_days_before"] == [1, 7]
        assert settings.json()["overdue_notice_days_after"] == [1, 7, 30]
        for body, field in (
            (
                {"payment_reminder_days_before": [0], "overdue_notice_days_after": []},
                "body.payment_reminder_days_before",
            ),
            (
                {"payment_reminder_days_before": [], "overdue_notice_days_after": [3, 3]},
                "body.overdue_notice_days_after",
            ),
            ({"payment_reminder_days_before": []}, "body.overdue_notice_days_after"),
        ):
            refused = await client.put(
                "/api/v1/customer-notice-settings", json=body, headers=admin(app)
            )
            assert refused.status_code == 422, body
            assert refused.json()["errors"][0]["field"] == field

        await known_customer(app, "C-en", address, language="en")
        await app.bus.publish(
            sales.OrderStatusChanged(
                order_id="O1",
                order_number="SO-1",
                customer_id="C-en",
                from_status="confirmed",
                status="shipped",
                changed_at=NOW,
            )
        )
        mails = await wait_for_mail(mailbox, address)
        assert mails[0].subject == "SO-1: shipped ($0 shipping)"
        assert mails[0].text().strip() == "Hello Customer C-en, order SO-1 is shipped."
