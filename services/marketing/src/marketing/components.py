"""The marketing service's parts, built once per running app from its settings and
database: the stores, the mail links, the sender and the metrics publisher."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm_chassis.service import ServiceRuntime
from marketing.domain.tracking import LinkSigner
from marketing.operations.metrics_publisher import MetricsPublisher
from marketing.operations.sending.compose import MailLinks
from marketing.operations.sending.sender import Sender
from marketing.settings import Settings
from marketing.store.campaigns import CampaignStore
from marketing.store.consent import ConsentStore
from marketing.store.conversions import ConversionStore
from marketing.store.customers import CustomerCopies
from marketing.store.deliveries import DeliveryQueue
from marketing.store.promotions import CouponStore, PromotionStore
from marketing.store.responses import ResponseStore
from marketing.store.segments import SegmentStore
from marketing.store.templates import TemplateStore


@dataclass
class Components:
    settings: Settings
    campaigns: CampaignStore
    segments: SegmentStore
    templates: TemplateStore
    promotions: PromotionStore
    coupons: CouponStore
    customers: CustomerCopies
    deliveries: DeliveryQueue
    consent: ConsentStore
    conversions: ConversionStore
    responses: ResponseStore
    links: MailLinks
    notify_outbox: Callable[[], None]
    metrics: MetricsPublisher
    # None when this replica does not send (``CRM_SENDER_ENABLED=false``).
    sender: Sender | None

    def wake_sender(self) -> None:
        """Look for work now: a campaign was just queued."""
        if self.sender is not None:
            self.sender.wake()


def build_components(runtime: ServiceRuntime) -> Components:
    settings = runtime.settings
    assert isinstance(settings, Settings)
    db = runtime.db
    notify = runtime.notify_outbox
    campaigns, deliveries, consent = CampaignStore(db, notify), DeliveryQueue(db), ConsentStore(db)
    conversions = ConversionStore(db)
    links = MailLinks(
        settings.public_base_url, LinkSigner(settings.tracking_secret.get_secret_value())
    )
    return Components(
        settings=settings,
        campaigns=campaigns,
        segments=SegmentStore(db, notify),
        templates=TemplateStore(db, notify),
        promotions=PromotionStore(db, notify),
        coupons=CouponStore(db, notify),
        customers=CustomerCopies(db),
        deliveries=deliveries,
        consent=consent,
        conversions=conversions,
        responses=ResponseStore(db),
        links=links,
        notify_outbox=notify,
        metrics=MetricsPublisher(
            campaigns,
            deliveries,
            conversions,
            settings.metrics_interval_seconds,
            notify,
        ),
        sender=Sender(deliveries, campaigns, consent, settings, links, notify)
        if settings.sender_enabled
        else None,
    )


def components(runtime: ServiceRuntime) -> Components:
    """The running app's parts, made on first use."""
    return runtime.part(build_components)
