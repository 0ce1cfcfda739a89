"""The analytics app factory: the single place where the service is wired."""

from __future__ import annotations

from fastapi import FastAPI

from analytics.api import dashboards, reports, schedules
from analytics.components import components
from analytics.handlers import BINDINGS, build_handlers
from analytics.settings import Settings
from analytics.store.collections import INDEXES, SCHEDULES
from crm_chassis.service import ServiceDefinition, ServiceRuntime, create_service_app


async def _start_background_work(runtime: ServiceRuntime) -> None:
    parts = components(runtime)
    await parts.store.adopt_revisions()
    parts.refresher.start()
    parts.scheduler.start()


async def _stop_background_work(runtime: ServiceRuntime) -> None:
    parts = components(runtime)
    await parts.scheduler.stop()
    await parts.refresher.stop()


def create_app(settings: Settings) -> FastAPI:
    return create_service_app(
        ServiceDefinition(
            title="CRM analytics",
            description=(
                "Read models fed by every service's domain events: funnel, sales "
                "performance, forecast, customer value and churn, campaign and support "
                "reports, dashboards, charts, exports and scheduled e-mails."
            ),
            routers=[reports.router, dashboards.router, schedules.router],
            indexes=INDEXES,
            outbox_collections=[SCHEDULES],
            handlers=build_handlers,
            bindings=BINDINGS,
            on_start=[_start_background_work],
            on_stop=[_stop_background_work],
        ),
        settings,
    )
