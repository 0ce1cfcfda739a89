"""The marketing service's app factory: the one place where it is wired."""

from __future__ import annotations

from fastapi import FastAPI

from crm_chassis.service import ServiceDefinition, ServiceRuntime, create_service_app
from marketing.api import campaigns, consent, mail, promotions, responses, segments, templates
from marketing.api.deps import LINKS, SENDER, settings_of
from marketing.domain.tracking import LinkSigner
from marketing.handlers import build_handlers
from marketing.operations.metrics_publisher import MetricsPublisher
from marketing.operations.sending.compose import MailLinks
from marketing.operations.sending.sender import Sender
from marketing.settings import Settings
from marketing.store import INDEXES, OUTBOX_COLLECTIONS

METRICS = "metrics_publisher"


async def _start_workers(runtime: ServiceRuntime) -> None:
    settings = settings_of(runtime)
    links = MailLinks(
        settings.public_base_url, LinkSigner(settings.tracking_secret.get_secret_value())
    )
    runtime.extras[LINKS] = links
    if settings.sender_enabled:
        sender = Sender(runtime.db, settings, links, runtime.notify_outbox)
        runtime.extras[SENDER] = sender
        sender.start()
    publisher = MetricsPublisher(
        runtime.db, settings.metrics_interval_seconds, runtime.notify_outbox
    )
    runtime.extras[METRICS] = publisher
    publisher.start()


async def _stop_workers(runtime: ServiceRuntime) -> None:
    sender: Sender | None = runtime.extras.pop(SENDER, None)
    if sender is not None:
        await sender.stop()
    publisher: MetricsPublisher | None = runtime.extras.pop(METRICS, None)
    if publisher is not None:
        await publisher.stop()


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
