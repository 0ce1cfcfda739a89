"""The support service's parts, built once per running app from its settings and database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from crm_chassis.clock import utc_now
from crm_chassis.service import ServiceRuntime
from support.domain.calendar import NamedCalendar
from support.domain.routing import Agent, RoutingRule
from support.domain.sla import SlaPolicy
from support.operations.sla_scanner import SlaScanner
from support.settings import Settings
from support.store import AGENTS, CALENDARS, ROUTING_RULES, SLA_POLICIES
from support.store.attachments import AttachmentStore
from support.store.customers import CustomerStore
from support.store.knowledge import ArticleStore
from support.store.settings_records import RecordStore
from support.store.surveys import SurveyStore
from support.store.tickets import TicketStore


@dataclass(frozen=True)
class Components:
    """Everything a use case needs: settings, stores and the outbox's wake-up."""

    settings: Settings
    tickets: TicketStore
    customers: CustomerStore
    policies: RecordStore[SlaPolicy]
    calendars: RecordStore[NamedCalendar]
    rules: RecordStore[RoutingRule]
    agents: RecordStore[Agent]
    articles: ArticleStore
    surveys: SurveyStore
    attachments: AttachmentStore
    notify_outbox: Callable[[], None]

    @staticmethod
    def now() -> datetime:
        return utc_now()


def build_components(runtime: ServiceRuntime) -> Components:
    db = runtime.db
    settings = runtime.settings
    assert isinstance(settings, Settings)
    return Components(
        settings=settings,
        tickets=TicketStore(db, notify=runtime.notify_outbox),
        customers=CustomerStore(db),
        policies=RecordStore(db, SLA_POLICIES, SlaPolicy),
        calendars=RecordStore(db, CALENDARS, NamedCalendar),
        rules=RecordStore(db, ROUTING_RULES, RoutingRule),
        agents=RecordStore(db, AGENTS, Agent),
        articles=ArticleStore(db),
        surveys=SurveyStore(db, notify=runtime.notify_outbox),
        attachments=AttachmentStore(db),
        notify_outbox=runtime.notify_outbox,
    )


def components(runtime: ServiceRuntime) -> Components:
    """The running app's parts, made on first use (an event handler may come first)."""
    return runtime.part(build_components)


def build_sla_scanner(runtime: ServiceRuntime) -> SlaScanner:
    parts = components(runtime)
    return SlaScanner(parts, parts.settings.sla_scan_interval_seconds)


def sla_scanner(runtime: ServiceRuntime) -> SlaScanner:
    """This replica's SLA scan loop, started and stopped with the app."""
    return runtime.part(build_sla_scanner)
