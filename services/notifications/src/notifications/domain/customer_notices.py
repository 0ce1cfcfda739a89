"""Mail to customers: when an invoice's reminder or overdue notice falls due, whether an
invoice is paid, and whether a customer may be written to.

Reminder steps are days before an invoice's due date (``payment_reminder_days_before``)
and days after it (``overdue_notice_days_after``); a step falls due at ``send_hour`` on
its day in the notice time zone. Each step gives at most one mail per invoice (the
notice is keyed by invoice and step). Only the latest step that has fallen due is
ever sent: an invoice issued after a step's moment, or a service that was away over
several steps, does not send the ones it passed. Nothing goes out for a paid invoice.

Paid: sales says what a payment settles (``invoice_id``) and what stays open on that
invoice (``invoice_balance``). A payment that names no invoice (events from before
these fields) settles the order's open invoices in due-date order. An invoice first
seen in an overdue event (issued before this service listened) counts the largest
amount it was overdue with as its total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

from notifications.domain.alerts import Language
from notifications.domain.notice_templates import NoticeKind

ZERO = Decimal(0)
MAX_STEPS = 10
MAX_STEP_DAYS = 365


class NoticeSettings(BaseModel):
    """The reminder steps, in days; an empty list sends no mail of that kind."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    payment_reminder_days_before: list[int] = Field(
        default=[7, 1], max_length=MAX_STEPS, validate_default=True
    )
    overdue_notice_days_after: list[int] = Field(default=[1, 7, 30], max_length=MAX_STEPS)

    @field_validator("payment_reminder_days_before", "overdue_notice_days_after")
    @classmethod
    def _days(cls, days: list[int]) -> list[int]:
        return step_days(days)


def step_days(days: list[int]) -> list[int]:
    """Steps as days, sorted; ValueError unless each is 1 to 365 days and given once."""
    if any(not 1 <= day <= MAX_STEP_DAYS for day in days):
        raise ValueError(f"each step is a number of days from 1 to {MAX_STEP_DAYS}")
    if len(set(days)) != len(days):
        raise ValueError("each step at most once")
    return sorted(days)


class Phase(StrEnum):
    BEFORE = "before"
    AFTER = "after"


@dataclass(frozen=True)
class Step:
    phase: Phase
    days: int

    @property
    def key(self) -> str:
        return f"{self.phase.value}-{self.days}"

    @property
    def kind(self) -> NoticeKind:
        return (
            NoticeKind.PAYMENT_REMINDER if self.phase is Phase.BEFORE else NoticeKind.OVERDUE_NOTICE
        )

    @classmethod
    def parse(cls, key: str) -> Step:
        """The step whose :attr:`key` is ``key``; ValueError when it is none."""
        phase, _, days = key.partition("-")
        return cls(Phase(phase), int(days))

    def day(self, due_date: date) -> date:
        offset = timedelta(days=self.days)
        return due_date - offset if self.phase is Phase.BEFORE else due_date + offset


def steps(settings: NoticeSettings) -> list[Step]:
    return [Step(Phase.BEFORE, days) for days in settings.payment_reminder_days_before] + [
        Step(Phase.AFTER, days) for days in settings.overdue_notice_days_after
    ]


@dataclass(frozen=True)
class NoticeClock:
    """Where and when in the day steps fall due."""

    zone: ZoneInfo
    send_at: time

    def moment(self, day: date) -> datetime:
        return datetime.combine(day, self.send_at, tzinfo=self.zone)

    def today(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()


@dataclass(frozen=True)
class Invoice:
    """This service's copy of an invoice: what sales told about it."""

    invoice_id: str
    invoice_number: str
    order_id: str
    order_number: str | None
    customer_id: str
    currency: str
    due_date: date
    amount: Decimal
    issued_at: datetime | None = None


@dataclass(frozen=True)
class Payment:
    payment_id: str
    order_id: str
    amount: Decimal
    invoice_id: str | None = None
    invoice_balance: Decimal | None = None


def open_balances(invoices: Iterable[Invoice], payments: Iterable[Payment]) -> dict[str, Decimal]:
    """What is still open on each invoice (0 when paid), given all the payments of their
    orders: a payment naming its invoice counts there (its reported balance wins when
    it says the invoice is settled), the others settle the order's invoices oldest due
    date first."""
    by_order: dict[str, list[Invoice]] = defaultdict(list)
    for invoice in invoices:
        by_order[invoice.order_id].append(invoice)
    named: dict[str, Decimal] = defaultdict(lambda: ZERO)
    settled: set[str] = set()
    unnamed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for payment in payments:
        if payment.invoice_id is None:
            unnamed[payment.order_id] += payment.amount
            continue
        named[payment.invoice_id] += payment.amount
        if payment.invoice_balance is not None and payment.invoice_balance <= 0:
            settled.add(payment.invoice_id)
    balances: dict[str, Decimal] = {}
    for order_id, of_order in by_order.items():
        pool = unnamed[order_id]
        for invoice in sorted(of_order, key=lambda i: (i.due_date, i.invoice_id)):
            if invoice.invoice_id in settled:
                balances[invoice.invoice_id] = ZERO
                continue
            open_amount = max(invoice.amount - named[invoice.invoice_id], ZERO)
            taken = min(pool, open_amount)
            pool -= taken
            balances[invoice.invoice_id] = open_amount - taken
    return balances


def due_step(
    invoice: Invoice, settings: NoticeSettings, clock: NoticeClock, now: datetime
) -> Step | None:
    """The latest step of ``invoice`` whose moment has come by ``now`` and did not come
    before the invoice was issued; None when there is none."""
    latest: tuple[datetime, Step] | None = None
    for step in steps(settings):
        moment = clock.moment(step.day(invoice.due_date))
        if moment > now or (invoice.issued_at is not None and moment < invoice.issued_at):
            continue
        if latest is None or moment > latest[0]:
            latest = (moment, step)
    return None if latest is None else latest[1]


def scan_window(settings: NoticeSettings, clock: NoticeClock, now: datetime) -> tuple[date, date]:
    """The due dates an invoice may have for one of its steps to fall due around ``now``
    (a day's margin each side for the time of day and zones)."""
    today = clock.today(now)
    before = max(settings.payment_reminder_days_before, default=0)
    after = max(settings.overdue_notice_days_after, default=0)
    return today - timedelta(days=after + 1), today + timedelta(days=before + 1)


@dataclass(frozen=True)
class Recipient:
    """What this service knows of a customer it may write to."""

    customer_id: str
    name: str
    email: str | None
    language: str | None
    erased: bool = False
    opted_out: bool = False


def language_of(recipient: Recipient) -> Language:
    """The customer's language, the platform's default (zh-CN) when unknown."""
    try:
        return Language(recipient.language or Language.ZH_CN)
    except ValueError:
        return (
            Language.EN if (recipient.language or "").lower().startswith("en") else Language.ZH_CN
        )


def why_not_send(recipient: Recipient | None) -> str | None:
    """Why no mail may go to this customer (erased, opted out of e-mail, no address), or
    None when it may."""
    if recipient is None:
        return "unknown_customer"
    if recipient.erased:
        return "erased"
    if recipient.opted_out:
        return "opted_out"
    if not recipient.email:
        return "no_address"
    return None


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def when(moment: datetime, zone: ZoneInfo) -> str:
    """A moment as a customer reads it: local time with its offset from UTC."""
    local = moment.astimezone(zone)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def invoice_values(
    invoice: Invoice, step: Step, balance: Decimal, recipient: Recipient
) -> Mapping[str, str]:
    days = "days_until_due" if step.phase is Phase.BEFORE else "days_overdue"
    return {
        "customer_name": recipient.name,
        "invoice_number": invoice.invoice_number,
        "order_number": invoice.order_number or invoice.order_id,
        "amount": money(balance),
        "currency": invoice.currency,
        "due_date": invoice.due_date.isoformat(),
        days: str(step.days),
    }
