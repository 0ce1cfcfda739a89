"""The sender of customer notices: finds the invoice steps that fell due, and mails every
notice that is due, in the customer's language, from the administrators' templates.

Each replica runs one :class:`CustomerNoticeMailer`. A round first scans the invoices
due around today for the latest step of each that has come (see
:mod:`notifications.domain.customer_notices`) and makes its notice, unless the invoice
is paid; two replicas scanning at once make it once (the notice's id is invoice and
step). Then it claims due notices one at a time with a lease and sends them, as the
mail to people goes (:mod:`notifications.operations.mail.user_mail`: at least once,
at most twice if a replica dies between the server's acceptance and marking it sent).
Just before sending it checks again: nothing goes to an erased customer, one who
opted out of e-mail or has no address, nor for an invoice paid meanwhile; such a
notice ends ``cancelled`` with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from crm_chassis.background import PeriodicWork, RunsPeriodically
from crm_chassis.clock import utc_now
from notifications.domain.alerts import Language
from notifications.domain.customer_notices import (
    NoticeClock,
    Recipient,
    Step,
    due_step,
    invoice_values,
    language_of,
    open_balances,
    scan_window,
    when,
    why_not_send,
)
from notifications.domain.notice_templates import (
    NO_DEADLINE_TEXT,
    ORDER_STATUS_TEXTS,
    NoticeKind,
    render,
)
from notifications.domain.preferences import clock_time
from notifications.operations.mail import transport
from notifications.operations.mail.attempts import ServerAway, deliver
from notifications.settings import Settings
from notifications.store.customer_copies import CustomerCopyStore
from notifications.store.customer_notices import CANCELLED, FAILED, SENT, Notice, NoticeStore
from notifications.store.invoices import InvoiceStore
from notifications.store.notice_config import NoticeConfigStore

log = logging.getLogger(__name__)


class NotSendable(Exception):
    """The notice must not go out (the reason says why)."""


def invoice_notice_id(invoice_id: str, step: Step) -> str:
    return f"invoice:{invoice_id}:{step.key}"


class CustomerNoticeMailer(RunsPeriodically):
    def __init__(
        self,
        notices: NoticeStore,
        invoices: InvoiceStore,
        customers: CustomerCopyStore,
        config: NoticeConfigStore,
        settings: Settings,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.notices = notices
        self.invoices = invoices
        self.customers = customers
        self.config = config
        self.settings = settings
        # What "now" is for steps and due notices; tests move it.
        self.clock = clock
        self.zone = ZoneInfo(settings.customer_notice_time_zone)
        self.step_clock = NoticeClock(self.zone, clock_time(settings.customer_notice_send_at))
        self.periodic = PeriodicWork(
            "notifications-customer-mail", self.run_once, settings.customer_notice_poll_seconds
        )

    async def run_once(self, now: datetime | None = None) -> int:
        """One round at ``now`` (the clock's when not given): how many mails went out."""
        now = now or self.clock()
        await self.scan(now)
        sent = 0
        try:
            for _ in range(self.settings.mail_batch_size):
                notice = await self.notices.claim(now)
                if notice is None:
                    break
                sent += await self._send(notice, now)
        except ServerAway:
            pass
        return sent

    # The invoice steps -------------------------------------------------------------

    async def scan(self, now: datetime) -> int:
        """Make the notices of the invoice steps that have come by ``now``; how many
        this call made."""
        settings, _ = await self.config.settings()
        first, last = scan_window(settings, self.step_clock, now)
        due = []
        for invoice, noticed in await self.invoices.open_in(first, last):
            step = due_step(invoice, settings, self.step_clock, now)
            if step is not None and step.key not in noticed:
                due.append((invoice, step))
        if not due:
            return 0
        invoices, payments = await self.invoices.of_orders({i.order_id for i, _ in due})
        balances = open_balances(invoices, payments)
        made = 0
        for invoice, step in due:
            if balances.get(invoice.invoice_id, invoice.amount) > 0:
                made += await self.notices.add(
                    invoice_notice_id(invoice.invoice_id, step),
                    step.kind,
                    invoice.customer_id,
                    {"invoice_id": invoice.invoice_id, "step": step.key},
                    now,
                    now,
                )
            await self.invoices.noticed(invoice.invoice_id, step.key)
        return made

    # Sending -----------------------------------------------------------------------

    async def _send(self, notice: Notice, now: datetime) -> int:
        queue = self.notices.queue
        recipient = await self.customers.recipient(notice.customer_id)
        try:
            reason = why_not_send(recipient)
            if reason is not None:
                raise NotSendable(reason)
            assert recipient is not None
            assert recipient.email is not None
            language = language_of(recipient)
            values = await self._values(notice, recipient, language)
        except NotSendable as refusal:
            await queue.finish(
                notice.notice_id, CANCELLED, {"reason": str(refusal), "finished_at": now}
            )
            return 0
        stored = await self.config.template(notice.kind, language)
        subject, body = render(stored.template, values)
        message = transport.compose(
            self.settings.customer_mail_from, recipient.email, subject, body, notice.notice_id
        )
        sent = await deliver(
            self.settings,
            queue,
            notice.notice_id,
            message,
            attempts=notice.attempts,
            now=now,
            sent=SENT,
            failed=FAILED,
            fields={"language": language.value},
        )
        return int(sent)

    async def _values(
        self, notice: Notice, recipient: Recipient, language: Language
    ) -> Mapping[str, str]:
        """What the notice's template quotes; NotSendable when it must not go out."""
        facts = notice.facts
        if notice.kind in (NoticeKind.PAYMENT_REMINDER, NoticeKind.OVERDUE_NOTICE):
            invoice = await self.invoices.get(str(facts.get("invoice_id")))
            if invoice is None:
                raise NotSendable("unknown_invoice")
            invoices, payments = await self.invoices.of_orders({invoice.order_id})
            balance = open_balances(invoices, payments).get(invoice.invoice_id, invoice.amount)
            if balance <= 0:
                raise NotSendable("paid")
            return invoice_values(invoice, Step.parse(str(facts["step"])), balance, recipient)
        if notice.kind is NoticeKind.ORDER_STATUS:
            status = str(facts["status"])
            return {
                "customer_name": recipient.name,
                "order_number": str(facts["order_number"]),
                "status": ORDER_STATUS_TEXTS.get(status, {}).get(language, status),
            }
        deadline = facts.get("first_response_due")
        return {
            "customer_name": recipient.name,
            "ticket_id": str(facts["ticket_id"]),
            "subject": str(facts["subject"]),
            "first_response_due": (
                when(deadline, self.zone)
                if isinstance(deadline, datetime)
                else NO_DEADLINE_TEXT[language]
            ),
        }
