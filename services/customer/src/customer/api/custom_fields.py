"""``/api/v1/customer-fields``: admin-defined custom fields of profiles (C-1)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from crm_chassis.errors import Conflict, NotFound
from customer.api.deps import AdministerCustomers, ComponentsDep, ReadCustomers
from customer.domain.custom_fields import CustomFieldDefinition
from customer.store.custom_fields import FieldAlreadyDefined

router = APIRouter(prefix="/api/v1/customer-fields", tags=["custom fields"])


@router.get("", response_model=list[CustomFieldDefinition])
async def list_fields(
    parts: ComponentsDep,
    principal: ReadCustomers,
) -> list[CustomFieldDefinition]:
    return list((await parts.custom_fields.all()).values())


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CustomFieldDefinition)
async def define_field(
    body: CustomFieldDefinition,
    parts: ComponentsDep,
    principal: AdministerCustomers,
    response: Response,
) -> CustomFieldDefinition:
    try:
        await parts.custom_fields.add(body)
    except FieldAlreadyDefined:
        raise Conflict(f"A custom field {body.key!r} exists already.") from None
    response.headers["Location"] = f"/api/v1/customer-fields/{body.key}"
    return body


@router.delete("/{key}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_field(
    key: str,
    parts: ComponentsDep,
    principal: AdministerCustomers,
) -> Response:
    """Existing values stay on profiles; they are no longer validated or required."""
    if not await parts.custom_fields.remove(key):
        raise NotFound(f"No custom field {key!r}.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
