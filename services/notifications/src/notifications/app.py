"""The notifications service's app: the one place where it is wired."""

from __future__ import annotations

from fastapi import FastAPI

from crm_chassis.service import ServiceDefinition, ServiceRuntime, create_service_app
from notifications.api import customer_notices, inbox, preferences, stream
from notifications.components import components
from notifications.handlers import build_handlers
from notifications.settings import Settings
from notifications.store.schema import INDEXES


async def _start_live_feed(runtime: ServiceRuntime) -> None:
    components(runtime).live.start()


async def _stop_live_feed(runtime: ServiceRuntime) -> None:
    await components(runtime).live.stop()


async def _start_mail(runtime: ServiceRuntime) -> None:
    parts = components(runtime)
    parts.user_mail.start()
    parts.customer_mail.start()


async def _stop_mail(runtime: ServiceRuntime) -> None:
    parts = components(runtime)
    await parts.user_mail.stop()
    await parts.customer_mail.stop()


def create_app(settings: Settings) -> FastAPI:
    return create_service_app(
        ServiceDefinition(
            title="CRM notifications",
            description=(
                "Tells the right people what needs them: an inbox per person, live push "
                "to the console (Server-Sent Events), preferences per kind and channel, "
                "mail to people and the notices customers are owed (payment reminders, "
                "overdue notices, order status, ticket acknowledgements)."
            ),
            # The stream's routes first: /notifications/stream is no notification id.
            routers=[stream.router, inbox.router, preferences.router, customer_notices.router],
            indexes=INDEXES,
            handlers=build_handlers,
            on_start=[_start_live_feed, _start_mail],
            on_stop=[_stop_mail, _stop_live_feed],
        ),
        settings,
    )
