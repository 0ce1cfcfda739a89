"""The service's parts, built once per running app from its settings and database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from crm_chassis.service import ServiceRuntime
from notifications.operations.live import LiveFeed
from notifications.operations.mail.customer_mail import CustomerNoticeMailer
from notifications.operations.mail.user_mail import UserMailer
from notifications.settings import Settings
from notifications.store.customer_copies import CustomerCopyStore
from notifications.store.customer_notices import NoticeStore
from notifications.store.invoices import InvoiceStore
from notifications.store.items import ItemStore
from notifications.store.notice_config import NoticeConfigStore
from notifications.store.people import PeopleStore
from notifications.store.preferences import PreferenceStore
from notifications.store.user_mail import UserMailStore


@dataclass
class Components:
    settings: Settings
    items: ItemStore
    preferences: PreferenceStore
    people: PeopleStore
    live: LiveFeed
    # Mail: people's items and digests, and notices to customers.
    user_mail: UserMailer
    customers: CustomerCopyStore
    invoices: InvoiceStore
    notices: NoticeStore
    notice_config: NoticeConfigStore
    customer_mail: CustomerNoticeMailer


def build_components(runtime: ServiceRuntime) -> Components:
    settings = runtime.settings
    assert isinstance(settings, Settings)
    items = ItemStore(runtime.db)
    preferences = PreferenceStore(runtime.db)
    people = PeopleStore(runtime.db)
    # Leases on mail name this replica; no two replicas (or restarts) share a name.
    sender = f"{settings.service_name}-{uuid.uuid4().hex[:12]}"
    lease = timedelta(seconds=settings.mail_lease_seconds)
    customers = CustomerCopyStore(runtime.db)
    invoices = InvoiceStore(runtime.db)
    notices = NoticeStore(runtime.db, owner=sender, lease=lease)
    notice_config = NoticeConfigStore(runtime.db)
    return Components(
        settings=settings,
        items=items,
        preferences=preferences,
        people=people,
        live=LiveFeed(
            items,
            poll_seconds=settings.stream_poll_seconds,
            overlap_seconds=settings.stream_overlap_seconds,
            queue_size=settings.stream_queue_size,
        ),
        user_mail=UserMailer(
            UserMailStore(runtime.db, owner=sender, lease=lease), people, preferences, settings
        ),
        customers=customers,
        invoices=invoices,
        notices=notices,
        notice_config=notice_config,
        customer_mail=CustomerNoticeMailer(notices, invoices, customers, notice_config, settings),
    )


def components(runtime: ServiceRuntime) -> Components:
    """The runtime's components, built on first use and kept by the runtime."""
    return runtime.part(build_components)
