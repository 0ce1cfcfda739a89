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
    quotes,
    tasks,
    web_forms,
    win_model,
)
from sales.components import components
from sales.handlers import build_handlers
from sales.operations.jobs import start_jobs, stop_jobs
from sales.operations.pipelines import seed_default_pipeline
from sales.settings import Settings
from sales.store.collections import INDEXES, OUTBOX_COLLECTIONS


async def _seed(runtime: ServiceRuntime) -> None:
    await seed_default_pipeline(components(runtime))


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
        on_start=[_seed, start_jobs],
        on_stop=[stop_jobs],
    )
    return create_service_app(definition, settings)
