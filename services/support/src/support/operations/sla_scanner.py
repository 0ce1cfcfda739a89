"""The periodic SLA scan: warnings and breaches, each announced exactly once.

Every replica runs this loop. A scan reads the tickets whose warning or breach
instant has passed and whose flag is still down, then claims each with a
conditional single-document update (flag down -> up, plus the event in the
outbox). Only one replica's claim can succeed, so a breach yields one event however
many replicas scan; deadlines live in the database, so a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from crm_chassis.background import PeriodicWork, RunsPeriodically
from crm_contracts.events.registry import EventData
from crm_contracts.events.support import SlaBreached, SlaWarning
from support.domain.sla import SlaClockName
from support.domain.tickets import Ticket

if TYPE_CHECKING:  # the components hold the scanner
    from support.components import Components


def _alert(ticket: Ticket, clock: SlaClockName, *, warning: bool, now: datetime) -> EventData:
    due_at = ticket.sla.clock(clock).due_at
    assert due_at is not None  # the scan only finds running clocks
    # Who holds the ticket (or its team, whose agents are on call when nobody does),
    # and what it is about, so the alert reaches the right people and reads well.
    common = {
        "ticket_id": ticket.id,
        "customer_id": ticket.customer_id,
        "assignee_id": ticket.assignee_id,
        "team": ticket.team,
        "subject": ticket.subject,
        "priority": ticket.priority.value,
        "clock": clock.value,
    }
    if warning:
        return SlaWarning(**common, due_at=due_at, warned_at=now)
    return SlaBreached(**common, due_at=due_at, breached_at=now)


async def scan_once(support: Components, now: datetime | None = None) -> int:
    """One pass at ``now`` (the current time when not given); returns how many warnings
    and breaches this replica claimed."""
    now = now or support.now()
    claimed = 0
    for warning in (True, False):
        for clock in SlaClockName:
            due = await support.tickets.due(
                clock, warning=warning, now=now, limit=support.settings.sla_scan_batch
            )
            for ticket in due:
                event = _alert(ticket, clock, warning=warning, now=now)
                if await support.tickets.claim_sla_alert(
                    ticket.id, clock, warning=warning, now=now, events=[event]
                ):
                    claimed += 1
    if claimed:
        support.notify_outbox()
    return claimed


class SlaScanner(RunsPeriodically):
    """The scan loop of one replica, started and stopped with the app."""

    def __init__(self, support: Components, interval_seconds: float) -> None:
        self.support = support
        # What the scan takes for now: tests move it (as the notification senders' clock)
        # to pass a deadline, or hold it, without waiting on the real clock.
        self.clock: Callable[[], datetime] = support.now
        self.claimed = 0
        self.periodic = PeriodicWork("sla-scanner", self._scan, interval_seconds)

    async def _scan(self) -> None:
        self.claimed += await scan_once(self.support, self.clock())
