"""Everything a running gateway holds, built once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.redis_guard import RedisGuard
from gateway.domain.targets import TargetPolicy
from gateway.domain.tokens import TokenIssuer
from gateway.edge.audit import AuditRecorder
from gateway.edge.denylist import DenyList
from gateway.edge.idempotency import IdempotencyStore
from gateway.edge.ratelimit import Admitter
from gateway.edge.signin_limits import SignInLimiter
from gateway.hashing import HashingGate
from gateway.proxy.forward import Forwarder
from gateway.proxy.upstreams import Upstreams
from gateway.settings import Settings
from gateway.store.accounts import ClientStore, RefreshTokenStore, UserStore
from gateway.store.audit import AuditStore
from gateway.store.webhooks import DeliveryStore, SubscriptionStore
from gateway.webhooks.delivery import WebhookDeliverer

if TYPE_CHECKING:
    from crm_chassis.events import Eventing


@dataclass
class GatewayRuntime:
    settings: Settings
    mongo: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    redis: RedisGuard
    issuer: TokenIssuer
    passwords: HashingGate
    sign_in_limits: SignInLimiter
    deny_list: DenyList
    admitter: Admitter
    idempotency: IdempotencyStore
    upstreams: Upstreams
    forwarder: Forwarder
    audit: AuditRecorder
    audit_log: AuditStore
    users: UserStore
    clients: ClientStore
    refresh_tokens: RefreshTokenStore
    subscriptions: SubscriptionStore
    deliveries: DeliveryStore
    target_policy: TargetPolicy
    deliverer: WebhookDeliverer
    eventing: Eventing | None = None

    def notify_outbox(self) -> None:
        """Wake the outbox relay after a write that carried events (before the relay
        runs, e.g. while the first administrator is seeded, it finds them when it starts)."""
        if self.eventing is not None:
            self.eventing.notify_outbox()
