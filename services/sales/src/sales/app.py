"""The sales app factory: the single place where the service is wired."""

from __future__ import annotations

from fastapi import FastAPI

from crm_chassis.service import ServiceDefinition, ServiceRuntime, create_service_app
from sales.api import (
    forecasts,
    invoices,
    lead_settings,
    leads,
    opportunities,
    orders,
    pipelines,
    problems,
    quotes,
    tasks,
    web_forms,
    win_model,
)
from sales.handlers import build_handlers
from sales.jobs import start_jobs, stop_jobs
from sales.settings import Settings
from sales.store import store_of
from sales.store.collections import INDEXES, OUTBOX_COLLECTIONS


async def _open_store(runtime: ServiceRuntime) -> None:
    await store_of(runtime).seed()


def create_app(settings: Settings) -> FastAPI:
    definition = ServiceDefinition(
        title="CRM sales service",
        description="Leads, scoring and routing, pipeline, quotes, orders, tasks, forecasts.",
        routers=[
            leads.router,
            lead_settings.router,
            web_forms.router,
            opportunities.router,
            pipelines.router,
            orders.router,
            invoices.invoices_router,
            invoices.payments_router,
            quotes.router,
            tasks.router,
            forecasts.router,
            win_model.router,
        ],
        indexes=INDEXES,
        outbox_collections=OUTBOX_COLLECTIONS,
        handlers=build_handlers,
        on_start=[_open_store, start_jobs],
        on_stop=[stop_jobs],
    )
    app = create_service_app(definition, settings)
    problems.install(app)
    return app
