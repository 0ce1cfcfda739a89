"""Contacts (C-4): people at a customer company, one of them the primary contact."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from customer.domain import fields


class ContactDraft(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: str | None = None
    phone: str | None = None
    title: str | None = Field(default=None, max_length=100)
    primary: bool = False

    @field_validator("phone", mode="after")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else fields.normalize_phone(value)

    @field_validator("email", mode="after")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None else fields.normalize_email(value)


class Contact(ContactDraft):
    model_config = ConfigDict(frozen=True)

    id: str
    customer_id: str
