"""Everything a use case needs, built from the running service (no globals)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from crm_chassis.clock import utc_now
from crm_chassis.service import ServiceRuntime
from support.domain.calendar import NamedCalendar
from support.domain.routing import Agent, RoutingRule
from support.domain.sla import SlaPolicy
from support.settings import Settings
from support.store import AGENTS, CALENDARS, ROUTING_RULES, SLA_POLICIES
from support.store.attachments import AttachmentStore
from support.store.customers import CustomerStore
from support.store.knowledge import ArticleStore
from support.store.settings_records import RecordStore
from support.store.surveys import SurveyStore
from support.store.tickets import TicketStore


@dataclass(frozen=True)
class Support:
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


def support_of(runtime: ServiceRuntime) -> Support:
    db = runtime.db
    settings = runtime.settings
    assert isinstance(settings, Settings)
    return Support(
        settings=settings,
        tickets=TicketStore(db),
        customers=CustomerStore(db),
        policies=RecordStore(db, SLA_POLICIES, SlaPolicy),
        calendars=RecordStore(db, CALENDARS, NamedCalendar),
        rules=RecordStore(db, ROUTING_RULES, RoutingRule),
        agents=RecordStore(db, AGENTS, Agent),
        articles=ArticleStore(db),
        surveys=SurveyStore(db),
        attachments=AttachmentStore(db),
        notify_outbox=runtime.notify_outbox,
    )


def new_id() -> str:
    return uuid.uuid4().hex


def new_ticket_reference() -> str:
    return f"TKT-{secrets.token_hex(4).upper()}"
