"""``/api/v1/integration-clients``: administrators manage systems' credentials."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response, status

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import FieldError, InvalidInput, NotFound
from crm_chassis.pagination import Page, PageDep
from crm_contracts.access import Permission
from gateway import accounts
from gateway.api.deps import GatewayDep
from gateway.domain.clients import ClientCreate, ClientCreated, ClientOut, ClientPatch

router = APIRouter(prefix="/api/v1/integration-clients", tags=["integration clients"])
Admin = Annotated[Principal, allowed(Permission.USERS_ADMIN)]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_client(
    body: ClientCreate, gateway: GatewayDep, principal: Admin, response: Response
) -> ClientCreated:
    """Register a system; the secret is in this response only."""
    created = await accounts.create_client(gateway, body)
    response.headers["Location"] = f"/api/v1/integration-clients/{created.client_id}"
    response.headers["ETag"] = etag(created.version)
    return created


@router.get("")
async def list_clients(gateway: GatewayDep, principal: Admin, page: PageDep) -> Page[ClientOut]:
    records, total = await gateway.clients.list(page.offset, page.limit)
    return Page(
        items=[ClientOut.of(r) for r in records], total=total, offset=page.offset, limit=page.limit
    )


@router.get("/{client_id}")
async def get_client(
    client_id: str, gateway: GatewayDep, principal: Admin, response: Response
) -> ClientOut:
    record = await gateway.clients.get(client_id)
    if record is None:
        raise NotFound(f"No integration client {client_id}.")
    response.headers["ETag"] = etag(record.version)
    return ClientOut.of(record)


@router.patch("/{client_id}")
async def update_client(
    client_id: str,
    body: ClientPatch,
    gateway: GatewayDep,
    principal: Admin,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> ClientOut:
    try:
        record = await accounts.update_client(gateway, client_id, body, expected_version(if_match))
    except ValueError as error:
        raise InvalidInput(
            str(error), errors=[FieldError(field="body", reason=str(error))]
        ) from None
    response.headers["ETag"] = etag(record.version)
    return ClientOut.of(record)


@router.post("/{client_id}/secret")
async def rotate_secret(client_id: str, gateway: GatewayDep, principal: Admin) -> ClientCreated:
    """Issue a new secret; the old one and the client's tokens stop working."""
    return await accounts.rotate_client_secret(gateway, client_id)


@router.delete("/{client_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_client(client_id: str, gateway: GatewayDep, principal: Admin) -> None:
    await accounts.delete_client(gateway, client_id)
