"""Customer notice rules without servers: which invoice step is due, what is still open on
an invoice, who may be written to, and the templates administrators may save."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from crm_chassis.domain_errors import RuleViolation
from notifications.domain.alerts import Language
from notifications.domain.customer_notices import (
    Invoice,
    NoticeClock,
    NoticeSettings,
    Payment,
    Phase,
    Recipient,
    Step,
    due_step,
    language_of,
    open_balances,
    scan_window,
    when,
    why_not_send,
)
from notifications.domain.notice_templates import (
    DEFAULT_TEMPLATES,
    VARIABLES,
    NoticeKind,
    NoticeTemplate,
    check_template,
    placeholders,
    render,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOCK = NoticeClock(SHANGHAI, time(9))
DUE = date(2026, 6, 20)


def invoice(
    invoice_id: str = "I1",
    *,
    order_id: str = "O1",
    amount: str = "100",
    due: date = DUE,
    issued_at: datetime | None = datetime(2026, 6, 1, tzinfo=UTC),
) -> Invoice:
    return Invoice(
        invoice_id=invoice_id,
        invoice_number=f"INV-{invoice_id}",
        order_id=order_id,
        order_number="SO-1",
        customer_id="C1",
        currency="CNY",
        due_date=due,
        amount=Decimal(amount),
        issued_at=issued_at,
    )


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


SETTINGS = NoticeSettings(payment_reminder_days_before=[7, 1], overdue_notice_days_after=[1, 7])


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(DUE - timedelta(days=7), 8, 59), None),
        (at(DUE - timedelta(days=7)), Step(Phase.BEFORE, 7)),
        (at(DUE - timedelta(days=2)), Step(Phase.BEFORE, 7)),
        (at(DUE - timedelta(days=1)), Step(Phase.BEFORE, 1)),
        (at(DUE), Step(Phase.BEFORE, 1)),
        (at(DUE + timedelta(days=1)), Step(Phase.AFTER, 1)),
        (at(DUE + timedelta(days=40)), Step(Phase.AFTER, 7)),
    ],
)
def test_the_latest_step_that_came_is_due(moment: datetime, expected: Step | None) -> None:
    assert due_step(invoice(), SETTINGS, CLOCK, moment) == expected


def test_a_step_that_came_before_the_invoice_was_issued_is_not_owed() -> None:
    late = invoice(issued_at=at(DUE - timedelta(days=3)))

    assert due_step(late, SETTINGS, CLOCK, at(DUE - timedelta(days=2))) is None
    assert due_step(late, SETTINGS, CLOCK, at(DUE - timedelta(days=1))) == Step(Phase.BEFORE, 1)


def test_an_invoice_not_seen_issued_counts_every_step() -> None:
    unknown_issue = invoice(issued_at=None)

    assert due_step(unknown_issue, SETTINGS, CLOCK, at(DUE + timedelta(days=3))) == Step(
        Phase.AFTER, 1
    )


def test_steps_are_sorted_once_each_and_named_by_key() -> None:
    settings = NoticeSettings(payment_reminder_days_before=[1, 7], overdue_notice_days_after=[])

    assert NoticeSettings().payment_reminder_days_before == [1, 7]
    assert settings.overdue_notice_days_after == []
    assert Step.parse("after-30") == Step(Phase.AFTER, 30)
    assert Step(Phase.BEFORE, 7).key == "before-7"
    assert Step(Phase.BEFORE, 7).kind is NoticeKind.PAYMENT_REMINDER
    assert Step(Phase.AFTER, 1).kind is NoticeKind.OVERDUE_NOTICE
    for days in ([0], [366], [3, 3]):
        with pytest.raises(ValueError, match="step"):
            NoticeSettings(payment_reminder_days_before=days)


def test_the_scan_looks_at_invoices_due_within_the_longest_steps() -> None:
    first, last = scan_window(SETTINGS, CLOCK, at(DUE))

    assert first == DUE - timedelta(days=8)
    assert last == DUE + timedelta(days=8)


def test_a_payment_naming_its_invoice_counts_there_and_a_zero_balance_settles_it() -> None:
    invoices = [invoice("I1"), invoice("I2")]

    partly = open_balances(invoices, [Payment("P1", "O1", Decimal(30), invoice_id="I1")])
    reported = open_balances(
        invoices,
        [Payment("P1", "O1", Decimal(30), invoice_id="I2", invoice_balance=Decimal(0))],
    )

    assert partly == {"I1": Decimal(70), "I2": Decimal(100)}
    assert reported == {"I1": Decimal(100), "I2": Decimal(0)}


def test_payments_naming_no_invoice_settle_the_orders_invoices_oldest_due_first() -> None:
    invoices = [
        invoice("late", due=DUE + timedelta(days=30)),
        invoice("early", due=DUE),
        invoice("other-order", order_id="O2"),
    ]

    balances = open_balances(invoices, [Payment("P1", "O1", Decimal(150))])

    assert balances == {"early": Decimal(0), "late": Decimal(50), "other-order": Decimal(100)}


def test_nobody_erased_opted_out_or_without_address_is_written_to() -> None:
    fine = Recipient("C1", "Ada", "ada@example.org", "en")

    assert why_not_send(fine) is None
    assert why_not_send(None) == "unknown_customer"
    assert why_not_send(Recipient("C1", "", None, None, erased=True)) == "erased"
    assert why_not_send(Recipient("C1", "Ada", "a@example.org", None, opted_out=True)) == (
        "opted_out"
    )
    assert why_not_send(Recipient("C1", "Ada", None, None)) == "no_address"


@pytest.mark.parametrize(
    ("given", "language"),
    [(None, Language.ZH_CN), ("en", Language.EN), ("en-GB", Language.EN), ("fr", Language.ZH_CN)],
)
def test_a_customers_language_is_theirs_else_chinese(given: str | None, language: Language) -> None:
    assert language_of(Recipient("C1", "Ada", "a@example.org", given)) is language


def test_a_deadline_reads_in_local_time_with_its_offset() -> None:
    assert when(datetime(2026, 6, 1, 9, 30, tzinfo=UTC), SHANGHAI) == "2026-06-01 17:30 (UTC+08:00)"
    new_york = ZoneInfo("America/New_York")
    assert when(datetime(2026, 1, 1, 12, tzinfo=UTC), new_york) == "2026-01-01 07:00 (UTC-05:00)"


# Templates ---------------------------------------------------------------------------


def test_every_default_template_uses_only_its_kinds_variables() -> None:
    for kind, languages in DEFAULT_TEMPLATES.items():
        assert set(languages) == set(Language)
        for template in languages.values():
            check_template(kind, template)
            assert set(placeholders(template.subject + template.body)) <= set(VARIABLES[kind])


@pytest.mark.parametrize(
    ("template", "field", "reason"),
    [
        (NoticeTemplate("Hi ${nobody}", "x"), "subject", "nobody"),
        (NoticeTemplate("Hi", "Pay $amount or ${secret}"), "body", "secret"),
        (NoticeTemplate("Pay $5", "x"), "subject", "character 5"),
        (NoticeTemplate("Hi", "${ amount }"), "body", "starts no placeholder"),
        (NoticeTemplate("Two\nlines", "x"), "subject", "one line"),
        (NoticeTemplate("Hi", "  "), "body", "empty"),
        (NoticeTemplate("x" * 201, "x"), "subject", "200"),
    ],
)
def test_a_template_quoting_what_its_kind_lacks_is_refused_naming_the_field(
    template: NoticeTemplate, field: str, reason: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_template(NoticeKind.PAYMENT_REMINDER, template)

    assert refused.value.field == field
    assert reason in refused.value.message


def test_rendering_fills_values_and_keeps_the_subject_on_one_line() -> None:
    template = NoticeTemplate(
        "Order ${order_number} $status ($$1)", "Dear ${customer_name},\n$status"
    )

    subject, body = render(
        template,
        {"order_number": "SO-1", "status": "shipped", "customer_name": "Ada\r\nBcc: x@evil"},
    )

    assert subject == "Order SO-1 shipped ($1)"
    assert body == "Dear Ada\r\nBcc: x@evil,\nshipped"
    assert render(NoticeTemplate("Hi ${customer_name}", "x"), {"customer_name": "A\nB"})[0] == (
        "Hi A B"
    )
