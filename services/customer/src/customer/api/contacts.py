"""``/api/v1/customers/{id}/contacts``: people at a customer company (C-4)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from crm_chassis.errors import NotFound
from customer.api.deps import ComponentsDep, ReadCustomers, WriteCustomers, reveals_pii, visibility
from customer.domain.contact import Contact, ContactDraft
from customer.domain.fields import mask_phone
from customer.operations.profiles import visible

router = APIRouter(prefix="/api/v1/customers/{customer_id}/contacts", tags=["contacts"])


class ContactCreate(ContactDraft):
    """A contact person; ``primary`` makes it the customer's primary contact."""


class ContactOut(BaseModel):
    id: str
    customer_id: str
    name: str
    email: str | None
    phone: str | None
    title: str | None
    primary: bool

    @classmethod
    def of(cls, contact: Contact, *, reveal_pii: bool) -> ContactOut:
        phone = contact.phone
        if phone is not None and not reveal_pii:
            phone = mask_phone(phone)
        return cls(**contact.model_dump(exclude={"phone"}), phone=phone)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ContactOut)
async def add_contact(
    customer_id: str,
    body: ContactCreate,
    parts: ComponentsDep,
    principal: WriteCustomers,
    response: Response,
) -> ContactOut:
    customer = await visible(parts, customer_id, visibility(principal))
    contact = Contact(id=uuid.uuid4().hex, customer_id=customer_id, **body.model_dump())
    await parts.contacts.add(contact)
    response.headers["Location"] = f"/api/v1/customers/{customer_id}/contacts/{contact.id}"
    return ContactOut.of(contact, reveal_pii=reveals_pii(principal, customer.owner_id))


@router.get("", response_model=list[ContactOut])
async def list_contacts(
    customer_id: str,
    parts: ComponentsDep,
    principal: ReadCustomers,
) -> list[ContactOut]:
    customer = await visible(parts, customer_id, visibility(principal))
    reveal = reveals_pii(principal, customer.owner_id)
    return [
        ContactOut.of(contact, reveal_pii=reveal)
        for contact in await parts.contacts.for_customer(customer_id)
    ]


@router.delete("/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_contact(
    customer_id: str,
    contact_id: str,
    parts: ComponentsDep,
    principal: WriteCustomers,
) -> Response:
    await visible(parts, customer_id, visibility(principal))
    if not await parts.contacts.remove(customer_id, contact_id):
        raise NotFound(f"No contact {contact_id} at customer {customer_id}.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
