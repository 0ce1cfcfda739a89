"""Managing webhook subscriptions: the use cases behind the subscription routes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from crm_chassis.errors import FieldError, InvalidInput, NotFound, PreconditionFailed
from gateway.domain.targets import TargetRefused
from gateway.domain.webhooks import (
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionPatch,
    SubscriptionRecord,
    new_subscription_id,
    new_webhook_secret,
)
from gateway.runtime import GatewayRuntime
from gateway.webhooks.delivery import check_target


async def _check_url(runtime: GatewayRuntime, url: str) -> None:
    try:
        await check_target(runtime.target_policy, url)
    except TargetRefused as refused:
        raise InvalidInput(
            f"This webhook target is refused: {refused}.",
            errors=[FieldError(field="body.url", reason=str(refused))],
        ) from None


async def create(
    runtime: GatewayRuntime, command: SubscriptionCreate, created_by: str
) -> SubscriptionCreated:
    await _check_url(runtime, command.url)
    if command.client_id is not None and await runtime.clients.get(command.client_id) is None:
        raise InvalidInput(
            f"No integration client {command.client_id}.",
            errors=[FieldError(field="body.client_id", reason="unknown client")],
        )
    now = datetime.now(UTC)
    record = SubscriptionRecord(
        id=new_subscription_id(),
        url=command.url,
        event_types=command.event_types,
        client_id=command.client_id,
        description=command.description,
        secret=new_webhook_secret(),
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    await runtime.subscriptions.insert(record)
    return SubscriptionCreated(**SubscriptionOut.of(record).model_dump(), secret=record.secret)


async def update(
    runtime: GatewayRuntime,
    subscription_id: str,
    patch: SubscriptionPatch,
    expected_version: int | None,
) -> SubscriptionRecord:
    if patch.url is not None:
        await _check_url(runtime, patch.url)
    changes: dict[str, Any] = patch.model_dump(exclude_unset=True, exclude_none=True)
    if patch.active:
        changes.update(disabled_reason=None, consecutive_failures=0)
    updated = await runtime.subscriptions.update(subscription_id, expected_version, changes)
    if updated is None:
        if await runtime.subscriptions.get(subscription_id) is None:
            raise NotFound(f"No webhook subscription {subscription_id}.")
        raise PreconditionFailed("The subscription changed since you read it; read it again.")
    if patch.active:
        runtime.deliverer.notify()
    return updated
