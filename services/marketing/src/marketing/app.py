"""The marketing service's app factory: the one place where it is wired."""

from __future__ import annotations

from fastapi import FastAPI

from crm_chassis.service import ServiceDefinition, ServiceRuntime, create_service_app
from marketing.api import campaigns, consent, mail, promotions, responses, segments, templates
from marketing.components import components
from marketing.handlers import build_handlers
from marketing.settings import Settings
from marketing.store import INDEXES, OUTBOX_COLLECTIONS


async def _start_workers(runtime: ServiceRuntime) -> None:
    parts = components(runtime)
    if parts.sender is not None:
        parts.sender.start()
    parts.metrics.start()


async def _stop_workers(runtime: ServiceRuntime) -> None:
    parts = components(runtime)
    if parts.sender is not None:
        await parts.sender.stop()
    await parts.metrics.stop()


def create_app(settings: Settings) -> FastAPI:
    return create_service_app(
        ServiceDefinition(
            title="CRM marketing",
            description="Campaigns, segments, email templates and sending, consent, promotions.",
            routers=[
                campaigns.router,
                responses.router,
                segments.router,
                templates.router,
                consent.router,
                promotions.router,
                mail.router,
            ],
            indexes=INDEXES,
            outbox_collections=OUTBOX_COLLECTIONS,
            handlers=build_handlers,
            on_start=[_start_workers],
            on_stop=[_stop_workers],
        ),
        settings,
    )
