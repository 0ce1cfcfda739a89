"""The service's parts, built once per running app from its settings and database."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crm_chassis.service import ServiceRuntime
from customer.settings import Settings
from customer.store.audit import AuditStore
from customer.store.contacts import ContactStore
from customer.store.crypto import FieldCipher
from customer.store.custom_fields import CustomFieldStore
from customer.store.customers import CustomerStore
from customer.store.imports import ImportStore
from customer.store.relations import RelationStore
from customer.store.timeline import TimelineStore


@dataclass
class Components:
    settings: Settings
    cipher: FieldCipher
    customers: CustomerStore
    contacts: ContactStore
    timeline: TimelineStore
    audit: AuditStore
    custom_fields: CustomFieldStore
    imports: ImportStore
    relations: RelationStore
    notify_outbox: Callable[[], None]
    # Running import jobs, kept referenced until done and cancelled at shutdown.
    background: set[asyncio.Task[Any]] = field(default_factory=set)


def cipher_from(settings: Settings) -> FieldCipher:
    keys = {
        key_id: base64.b64decode(key.get_secret_value())
        for key_id, key in settings.pii_keys.items()
    }
    return FieldCipher(
        keys, settings.pii_active_key, settings.pii_index_key.get_secret_value().encode()
    )


def build_components(runtime: ServiceRuntime) -> Components:
    settings = runtime.settings
    assert isinstance(settings, Settings)
    cipher = cipher_from(settings)
    customers = CustomerStore(runtime.db, cipher, notify=runtime.notify_outbox)
    return Components(
        settings=settings,
        cipher=cipher,
        customers=customers,
        contacts=ContactStore(runtime.db, cipher),
        timeline=TimelineStore(runtime.db),
        audit=AuditStore(runtime.db),
        custom_fields=CustomFieldStore(runtime.db),
        imports=ImportStore(runtime.db, customers.codec),
        relations=RelationStore(runtime.db),
        notify_outbox=runtime.notify_outbox,
    )


def components(runtime: ServiceRuntime) -> Components:
    """The runtime's components, built on first use and kept by the runtime."""
    return runtime.part(build_components)
