"""``/api/v1/users``: administrators manage people's accounts and roles."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import FieldError, InvalidInput, NotFound
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Permission, Role
from gateway import accounts
from gateway.api.deps import GatewayDep
from gateway.domain.users import UserCreate, UserOut, UserPatch

router = APIRouter(prefix="/api/v1/users", tags=["users"])
Admin = Annotated[Principal, allowed(Permission.USERS_ADMIN)]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_user(
    body: UserCreate, gateway: GatewayDep, principal: Admin, response: Response
) -> UserOut:
    record = await accounts.create_user(gateway, body)
    response.headers["ETag"] = etag(record.version)
    response.headers["Location"] = f"/api/v1/users/{record.id}"
    return UserOut.of(record)


@router.get("")
async def list_users(
    gateway: GatewayDep,
    principal: Admin,
    page: PageDep,
    role: Role | None = None,
    team: Annotated[str | None, Query(max_length=100)] = None,
    active: bool | None = None,
    email: Annotated[str | None, Query(max_length=254, description="Prefix match")] = None,
    sort: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[UserOut]:
    query: dict[str, Any] = {}
    if role is not None:
        query["roles"] = role.value
    if team is not None:
        query["team"] = team
    if active is not None:
        query["active"] = active
    if email:
        query["email"] = {"$regex": "^" + re.escape(email.strip().lower())}
    order = parse_sort(sort, ["email", "created_at", "updated_at"], "email")
    records, total = await gateway.users.list(query, order, page.offset, page.limit)
    return Page(
        items=[UserOut.of(r) for r in records], total=total, offset=page.offset, limit=page.limit
    )


@router.get("/{user_id}")
async def get_user(
    user_id: str, gateway: GatewayDep, principal: Admin, response: Response
) -> UserOut:
    record = await gateway.users.get(user_id)
    if record is None:
        raise NotFound(f"No user {user_id}.")
    response.headers["ETag"] = etag(record.version)
    return UserOut.of(record)


@router.patch("/{user_id}")
async def update_user(
    user_id: str,
    body: UserPatch,
    gateway: GatewayDep,
    principal: Admin,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> UserOut:
    """Change e-mail, name, roles, team, password or the active flag (``If-Match``
    required). Deactivating, or changing roles, team or password, revokes the user's
    tokens; every change but a password's is published as crm.gateway.user.changed.v1."""
    if user_id == principal.subject and (body.active is False or body.roles is not None):
        raise InvalidInput(
            "You cannot deactivate yourself or change your own roles.",
            errors=[FieldError(field="body", reason="self-administration")],
        )
    try:
        record = await accounts.update_user(gateway, user_id, body, expected_version(if_match))
    except ValueError as error:
        raise InvalidInput(
            str(error), errors=[FieldError(field="body", reason=str(error))]
        ) from None
    response.headers["ETag"] = etag(record.version)
    return UserOut.of(record)
