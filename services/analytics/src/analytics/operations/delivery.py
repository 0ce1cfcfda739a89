"""Delivering scheduled reports by e-mail, on their weekly slot or on demand."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from analytics.domain.schedules import (
    ReportSchedule,
    UndeliverableRecipients,
    delivered,
    recipient_problems,
    report_window,
)
from analytics.operations.mailer import Attachment, report_message
from analytics.operations.rendering.charts import chart_bytes
from analytics.operations.rendering.tables import report_table, to_csv, to_xlsx
from analytics.operations.reporting import ReportFilters, build_report
from analytics.settings import ReportMailSettings
from analytics.store.read_models import AnalyticsStore
from analytics.store.schedules import ScheduleStore
from crm_chassis.background import PeriodicWork
from crm_chassis.domain_errors import RecordNotFound, VersionConflict
from crm_chassis.mail import send_mail
from crm_contracts.events.registry import EventData

log = logging.getLogger(__name__)

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DELIVERY_LEASE = timedelta(minutes=5)


class ReportDelivery:
    """Renders a scheduled report (table as CSV/XLSX plus a PNG chart), mails it and
    records the delivery."""

    def __init__(
        self,
        store: AnalyticsStore,
        schedules: ScheduleStore,
        mail: ReportMailSettings,
    ) -> None:
        self.store = store
        self.schedules = schedules
        self.mail = mail

    async def deliver(
        self, schedule: ReportSchedule, now: datetime, *, on_schedule: bool
    ) -> ReportSchedule:
        """Mail the report of ``schedule`` for the weeks before ``now``.

        Raises :class:`UndeliverableRecipients`, before any work, when a stored recipient
        is no e-mail address."""
        problems = recipient_problems(schedule.recipients)
        if problems:
            raise UndeliverableRecipients(problems)
        period_from, period_to = report_window(now)
        team = schedule.team or schedule.filters.team
        filters = ReportFilters(
            period_from=period_from,
            period_to=period_to,
            owner=schedule.filters.owner,
            team=team,
            pipeline=schedule.filters.pipeline,
            group_by=schedule.filters.group_by,
        )
        report = await build_report(self.store, schedule.report, filters, now.date())
        table = report_table(schedule.report, report)
        if schedule.format == "xlsx":
            data = Attachment(f"{schedule.report}.xlsx", to_xlsx(table), *XLSX_TYPE)
        else:
            data = Attachment(f"{schedule.report}.csv", to_csv(table), "text", "csv")
        chart = await asyncio.to_thread(chart_bytes, report, "png")
        message = report_message(
            sender=self.mail.sender,
            recipients=list(schedule.recipients),
            subject=f"CRM report: {schedule.name} ({period_from} to {period_to})",
            text=(
                f"{table.title} for {period_from} to {period_to}, attached as "
                f"{schedule.format.upper()} with a chart.\n"
            ),
            attachments=[data, Attachment(f"{schedule.report}.png", chart, "image", "png")],
        )
        await send_mail(self.mail, message)

        def record(current: ReportSchedule) -> tuple[ReportSchedule, list[EventData]]:
            return delivered(current, now, on_schedule=on_schedule)

        try:
            # Recorded on the schedule as it is now: a change made while the report was
            # rendered and sent is kept, and the delivery counted on top of it.
            return await self.schedules.update(schedule.id, record)
        except (RecordNotFound, VersionConflict):
            log.warning(
                "schedule %s was deleted or kept changing while it was delivered; delivery "
                "not recorded",
                schedule.id,
            )
            return record(schedule)[0]


class ReportScheduler(PeriodicWork):
    """Sends every schedule that is due, polling every few seconds."""

    def __init__(self, delivery: ReportDelivery, poll_seconds: float) -> None:
        super().__init__("report-scheduler", self.run_due, poll_seconds)
        self.delivery = delivery

    async def run_due(self) -> int:
        """Deliver every due schedule once; returns how many were sent."""
        sent = 0
        schedules = self.delivery.schedules
        while True:
            now = datetime.now(UTC)
            schedule = await schedules.claim_due(now, DELIVERY_LEASE)
            if schedule is None:
                return sent
            try:
                await self.delivery.deliver(schedule, now, on_schedule=True)
                sent += 1
            except UndeliverableRecipients as error:
                # Retried when its lease expires, so the warning repeats until it is fixed;
                # the other due schedules go out meanwhile.
                log.warning("scheduled report %s not sent: %s", schedule.id, error)
            except Exception:  # the lease expires and the next poll tries again
                log.exception("delivering scheduled report %s failed", schedule.id)
                return sent
