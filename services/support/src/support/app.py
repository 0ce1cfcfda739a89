"""The support service's app factory: the one place where it is wired."""

from __future__ import annotations

from fastapi import FastAPI

from crm_chassis.service import ServiceDefinition, ServiceRuntime, create_service_app
from support.api import (
    configuration,
    inbound_email,
    knowledge,
    kpis,
    support_forms,
    surveys,
    ticket_attachments,
    ticket_context,
    tickets,
)
from support.components import sla_scanner
from support.handlers import build_handlers
from support.settings import Settings
from support.store import INDEXES, OUTBOX_COLLECTIONS


async def start_sla_scanner(runtime: ServiceRuntime) -> None:
    sla_scanner(runtime).start()


async def stop_sla_scanner(runtime: ServiceRuntime) -> None:
    await sla_scanner(runtime).stop()


def create_app(settings: Settings) -> FastAPI:
    definition = ServiceDefinition(
        title="CRM support service",
        description="Tickets with SLAs and routing, knowledge base, satisfaction surveys, KPIs.",
        routers=[
            tickets.router,
            ticket_context.router,
            ticket_attachments.router,
            *configuration.routers,
            knowledge.router,
            surveys.router,
            kpis.router,
            support_forms.router,
            inbound_email.router,
        ],
        indexes=INDEXES,
        outbox_collections=OUTBOX_COLLECTIONS,
        handlers=build_handlers,
        on_start=[start_sla_scanner],
        on_stop=[stop_sla_scanner],
    )
    return create_service_app(definition, settings)
