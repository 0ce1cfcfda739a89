"""Signing in, tokens and account management: the use cases behind the auth and
user/client routes. Functions take the runtime first and do the I/O; the rules
live in :mod:`gateway.domain`."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel

from crm_chassis.domain_errors import VersionConflict
from crm_chassis.errors import Conflict, NotFound, PreconditionFailed, TooManyRequests
from crm_contracts.access import Role
from gateway.domain import clients as client_rules
from gateway.domain import users as user_rules
from gateway.domain.clients import ClientCreate, ClientCreated, ClientPatch, ClientRecord
from gateway.domain.tokens import (
    InvalidToken,
    VerifiedToken,
    new_refresh_token,
    token_digest,
)
from gateway.domain.users import UserCreate, UserPatch, UserRecord
from gateway.errors import InvalidClient, InvalidGrant
from gateway.runtime import GatewayRuntime
from gateway.store.accounts import EmailTaken

log = logging.getLogger(__name__)


class TokenResponse(BaseModel):
    """RFC 6749 section 5.1."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int
    refresh_token: str | None = None
    scope: str = ""


def _invalid_grant(detail: str) -> InvalidGrant:
    return InvalidGrant(detail, error="invalid_grant")


async def _issue(
    runtime: GatewayRuntime,
    *,
    subject: str,
    kind: str,
    roles: list[Role],
    team: str | None,
    scope: str = "",
    refresh_family: str | None = None,
) -> TokenResponse:
    access = runtime.issuer.issue_access(
        subject=subject, kind=kind, roles=roles, team=team, scope=scope
    )
    family = (refresh_family or uuid.uuid4().hex) if kind == "user" else None
    await runtime.deny_list.remember(subject, access, family)
    refresh: str | None = None
    if family is not None:
        refresh = new_refresh_token()
        expires = datetime.now(UTC) + timedelta(days=runtime.settings.refresh_token_days)
        await runtime.refresh_tokens.insert(
            token_digest(refresh), subject=subject, family_id=family, expires_at=expires
        )
    return TokenResponse(
        access_token=access.token, expires_in=access.expires_in, refresh_token=refresh, scope=scope
    )


@dataclass
class _Attempt:
    succeeded: bool = False


@asynccontextmanager
async def _guarded_attempt(
    runtime: GatewayRuntime, account: str, address: str
) -> AsyncIterator[_Attempt]:
    """One guess at ``account``'s secret from ``address``, counted against both before
    anything is hashed and given back only when it succeeds: a guess that could not be
    checked (503, hashing busy) still counts, so a storm runs into the limit at once
    instead of queueing for the hashing slots."""
    wait = await runtime.sign_in_limits.reserve(account, address)
    if wait:
        raise TooManyRequests(
            "Too many failed sign-ins for this account or from this address; see Retry-After.",
            headers={"Retry-After": str(wait)},
        )
    attempt = _Attempt()
    try:
        yield attempt
    finally:
        if attempt.succeeded:
            await runtime.sign_in_limits.release(account, address)


async def password_grant(
    runtime: GatewayRuntime, email: str, password: str, address: str
) -> TokenResponse:
    """Sign a person in. Known and unknown e-mails cost the same (one Argon2 check each)
    and are throttled alike, per account and per ``address``."""
    try:
        normalised = user_rules.normalise_email(email)
    except ValueError:
        normalised = ""
    async with _guarded_attempt(runtime, "user:" + (normalised or email), address) as attempt:
        user = await runtime.users.by_email(normalised) if normalised else None
        valid = await runtime.passwords.verify(user.password_hash if user else None, password)
        if user is None or not valid or not user.active:
            raise _invalid_grant("Wrong e-mail or password, or the account is disabled.")
        attempt.succeeded = True
    if runtime.passwords.hashing.needs_rehash(user.password_hash):
        await runtime.users.set_password_hash(user.id, await runtime.passwords.hash(password))
    return await _issue(runtime, subject=user.id, kind="user", roles=user.roles, team=user.team)


async def client_credentials_grant(
    runtime: GatewayRuntime, client_id: str, client_secret: str, address: str
) -> TokenResponse:
    async with _guarded_attempt(runtime, "client:" + client_id, address) as attempt:
        client = await runtime.clients.get(client_id)
        valid = await runtime.passwords.verify(
            client.secret_hash if client else None, client_secret
        )
        if client is None or not valid or not client.active:
            raise InvalidClient(
                "Unknown client, wrong secret, or disabled.", error="invalid_client"
            )
        attempt.succeeded = True
    return await _issue(
        runtime,
        subject=client.id,
        kind="client",
        roles=client.roles,
        team=client.team,
        scope=client.scope_claim(),
    )


async def refresh_grant(runtime: GatewayRuntime, refresh_token: str) -> TokenResponse:
    """Rotate: the presented token is used up and a new one of the same family issued.

    Presenting a token that was already used means it leaked (or the client lost a
    response): the whole family is revoked, as OAuth 2.0 Security BCP advises, with
    the access tokens issued under it (the thief's among them).
    """
    digest = token_digest(refresh_token)
    stored = await runtime.refresh_tokens.use(digest)
    if stored is None:
        previous = await runtime.refresh_tokens.find(digest)
        if previous is not None and previous.get("used_at") is not None:
            log.warning("refresh token reused for %s; revoking its family", previous["subject"])
            await _end_family(runtime, previous["family_id"])
        raise _invalid_grant("The refresh token is not valid.")
    user = await runtime.users.get(stored["subject"])
    if user is None or not user.active:
        raise _invalid_grant("The account is disabled.")
    return await _issue(
        runtime,
        subject=user.id,
        kind="user",
        roles=user.roles,
        team=user.team,
        refresh_family=stored["family_id"],
    )


async def _end_family(runtime: GatewayRuntime, family_id: str) -> None:
    """End one sign-in: its refresh tokens and every access token issued under them."""
    await runtime.refresh_tokens.revoke_family(family_id)
    await runtime.deny_list.revoke_family(family_id)


async def logout(runtime: GatewayRuntime, token: VerifiedToken, refresh_token: str | None) -> None:
    await runtime.deny_list.revoke_token(token)
    if refresh_token:
        stored = await runtime.refresh_tokens.find(token_digest(refresh_token))
        if stored is not None and stored["subject"] == token.principal.subject:
            await _end_family(runtime, stored["family_id"])


async def end_browser_session(
    runtime: GatewayRuntime, refresh_token: str | None, authorization: str | None
) -> None:
    """Sign a browser out: its refresh-token family, and the access token it sent if
    that one is still valid. Either may be missing (an expired page still signs out)."""
    if refresh_token:
        stored = await runtime.refresh_tokens.find(token_digest(refresh_token))
        if stored is not None:
            await _end_family(runtime, stored["family_id"])
    if authorization and authorization.lower().startswith("bearer "):
        try:
            verified = runtime.issuer.verify(authorization[7:].strip())
        except InvalidToken:
            return
        await runtime.deny_list.revoke_token(verified)


async def revoke_sessions(runtime: GatewayRuntime, subject: str) -> None:
    await runtime.deny_list.revoke_subject(subject)
    await runtime.refresh_tokens.revoke_subject(subject)


async def create_user(runtime: GatewayRuntime, command: UserCreate) -> UserRecord:
    now = datetime.now(UTC)
    record = UserRecord(
        id=user_rules.new_user_id(),
        email=command.email,
        password_hash=await runtime.passwords.hash(command.password),
        display_name=command.display_name,
        roles=command.roles,
        team=command.team,
        active=command.active,
        created_at=now,
        updated_at=now,
    )
    try:
        await runtime.users.insert(record, [user_rules.directory_event(record)])
    except EmailTaken:
        raise Conflict(f"A user with e-mail {command.email} exists.") from None
    runtime.notify_outbox()
    return record


_SAVE_ATTEMPTS = 5


async def update_user(
    runtime: GatewayRuntime, user_id: str, patch: UserPatch, expected_version: int | None
) -> UserRecord:
    """Apply ``patch`` to the version the caller read (``None``: whatever is current,
    read again when another change got in between); the directory event of the change
    is written with it."""
    password_hash = None
    if patch.password is not None:
        password_hash = await runtime.passwords.hash(patch.password)
    for _ in range(_SAVE_ATTEMPTS):
        current = await runtime.users.get(user_id)
        if current is None:
            raise NotFound(f"No user {user_id}.")
        changed, events = user_rules.change_user(current, patch, datetime.now(UTC), password_hash)
        if expected_version is not None and current.version != expected_version:
            break
        try:
            updated = await runtime.users.save(changed, current.version, events)
        except VersionConflict:
            continue
        except EmailTaken:
            raise Conflict(f"A user with e-mail {changed.email} exists.") from None
        if events:
            runtime.notify_outbox()
        if user_rules.revokes_sessions(patch):
            await revoke_sessions(runtime, user_id)
        return updated
    raise PreconditionFailed("The user changed since you read it; read it again.")


async def ensure_first_admin(runtime: GatewayRuntime) -> None:
    """Create the administrator from ``CRM_ADMIN_EMAIL`` / ``CRM_ADMIN_PASSWORD`` if
    that account does not exist (an existing account is left exactly as it is).

    Runs before the relay starts; its directory event waits in the outbox until then."""
    email = user_rules.normalise_email(runtime.settings.admin_email)
    if await runtime.users.by_email(email) is not None:
        return
    now = datetime.now(UTC)
    password = runtime.settings.admin_password.get_secret_value()
    record = UserRecord(
        id=user_rules.new_user_id(),
        email=email,
        password_hash=await runtime.passwords.hash(password),
        display_name="Administrator",
        roles=[Role.ADMIN],
        team=None,
        created_at=now,
        updated_at=now,
    )
    try:
        await runtime.users.insert(record, [user_rules.directory_event(record)])
    except EmailTaken:
        return  # another replica created it at the same moment
    log.info("created the first administrator %s", email)


async def announce_stored_accounts(runtime: GatewayRuntime) -> None:
    """Accounts stored before the gateway published its directory are announced once,
    so the notifications service knows everyone, not only those changed since."""
    announced = await runtime.users.announce_unannounced(user_rules.directory_event)
    if announced:
        log.info("announced %d stored accounts to the user directory", announced)


async def create_client(runtime: GatewayRuntime, command: ClientCreate) -> ClientCreated:
    secret = client_rules.new_client_secret()
    now = datetime.now(UTC)
    record = ClientRecord(
        id=client_rules.new_client_id(),
        name=command.name,
        secret_hash=await runtime.passwords.hash(secret),
        roles=command.roles,
        scopes=command.scopes,
        team=command.team,
        active=command.active,
        created_at=now,
        updated_at=now,
    )
    await runtime.clients.insert(record)
    return ClientCreated(**client_rules.ClientOut.of(record).model_dump(), client_secret=secret)


async def update_client(
    runtime: GatewayRuntime, client_id: str, patch: ClientPatch, expected_version: int | None
) -> ClientRecord:
    current = await runtime.clients.get(client_id)
    if current is None:
        raise NotFound(f"No integration client {client_id}.")
    changes = client_rules.apply_patch(current, patch)
    updated = await runtime.clients.update(client_id, expected_version, changes)
    if updated is None:
        raise PreconditionFailed("The client changed since you read it; read it again.")
    if patch.active is False or patch.roles is not None or patch.scopes is not None:
        await revoke_sessions(runtime, client_id)
    return updated


async def rotate_client_secret(runtime: GatewayRuntime, client_id: str) -> ClientCreated:
    secret = client_rules.new_client_secret()
    updated = await runtime.clients.update(
        client_id, None, {"secret_hash": await runtime.passwords.hash(secret)}
    )
    if updated is None:
        raise NotFound(f"No integration client {client_id}.")
    await revoke_sessions(runtime, client_id)
    return ClientCreated(**client_rules.ClientOut.of(updated).model_dump(), client_secret=secret)


async def delete_client(runtime: GatewayRuntime, client_id: str) -> None:
    if not await runtime.clients.delete(client_id):
        raise NotFound(f"No integration client {client_id}.")
    await revoke_sessions(runtime, client_id)
