"""The customer service's app: the one place where it is wired."""

from __future__ import annotations

from fastapi import FastAPI

from crm_chassis.service import ServiceDefinition, ServiceRuntime, create_service_app
from customer.api import (
    contacts,
    custom_fields,
    customers,
    duplicates,
    exports,
    imports,
    keys,
    network,
    privacy,
    timeline,
)
from customer.components import components
from customer.handlers import build_handlers
from customer.operations.imports import recover_interrupted, stop_imports
from customer.settings import Settings
from customer.store.schema import INDEXES, OUTBOX_COLLECTIONS


async def _recover_imports(runtime: ServiceRuntime) -> None:
    await recover_interrupted(components(runtime))


async def _stop_imports(runtime: ServiceRuntime) -> None:
    await stop_imports(components(runtime))


def create_app(settings: Settings) -> FastAPI:
    definition = ServiceDefinition(
        title="CRM customer service",
        description="Member profiles, contacts, timeline, tiers, network, import/export, privacy.",
        routers=[
            customers.router,
            contacts.router,
            timeline.router,
            privacy.router,
            custom_fields.router,
            imports.router,
            exports.router,
            network.router,
            duplicates.router,
            keys.router,
        ],
        indexes=INDEXES,
        outbox_collections=OUTBOX_COLLECTIONS,
        handlers=build_handlers,
        on_start=[_recover_imports],
        on_stop=[_stop_imports],
    )
    app: FastAPI = create_service_app(definition, settings)
    return app
