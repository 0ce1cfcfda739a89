"""A lead converted by sales becomes a customer and its primary contact (S-4)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from crm_contracts.events.sales import LeadConverted
from customer.components import Components
from customer.domain.contact import Contact
from customer.domain.customer import DuplicateCustomer
from customer.domain.profile import Profile
from customer.operations import profiles

SALES = "sales"


def _lenient_profile(values: dict[str, Any]) -> Profile:
    """A profile from another service's data: fields our rules refuse are left out
    rather than losing the whole customer."""
    while True:
        try:
            return Profile.model_validate(values)
        except ValidationError as error:
            bad = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
            if not bad or "name" in bad:
                raise
            values = {key: value for key, value in values.items() if key not in bad}


async def convert_lead(parts: Components, data: LeadConverted) -> None:
    """Idempotent: the ids come from sales, so a redelivery finds them already here."""
    prospect = data.prospect
    values = prospect.model_dump(exclude_none=True)
    values.update(source_channel="lead")
    if data.owner_id is not None:
        values["owner_id"] = data.owner_id
    if data.team is not None:
        values["team"] = data.team  # the lead's team: the owner's manager sees the customer
    profile = _lenient_profile(values)
    for _ in range(3):
        if await parts.customers.get(data.customer_id) is not None:
            break
        try:
            await profiles.create(
                parts,
                profile,
                actor=SALES,
                customer_id=data.customer_id,
                require_custom_fields=False,
            )
            break
        except DuplicateCustomer as duplicate:
            # The email or phone belongs to an existing customer: keep the new customer
            # without it (duplicate detection pairs them up) and keep it on the contact.
            field = duplicate.field or ""
            if field not in {"email", "phone"}:
                raise
            profile = profile.model_copy(update={field: None})
    contact_values = {
        "name": prospect.name,
        "email": prospect.email,
        "phone": prospect.phone,
        "title": prospect.title,
    }
    try:
        contact = Contact(
            id=data.contact_id, customer_id=data.customer_id, primary=True, **contact_values
        )
    except ValidationError:
        contact = Contact(
            id=data.contact_id, customer_id=data.customer_id, primary=True, name=prospect.name
        )
    await parts.contacts.add(contact)
