"""The attributes of a member profile a person can set (C-1), validated and normalised.

Shared by the API's create and patch bodies and by bulk import, so a row of a
spreadsheet is held to exactly the same rules as a POST.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from customer.domain import fields

PII_FIELDS = frozenset({"phone", "national_id"})
TEXT_LIMITS = {
    "company": 200,
    "title": 100,
    "industry": 100,
    "company_size": 50,
    "region": 100,
    "address": 500,
    "source_channel": 50,
}


LANGUAGE_RULE = "The language mail to the customer is written in; none: zh-CN."


class MailLanguage(StrEnum):
    """The language mail to the customer is written in; a customer without one gets
    the platform's default, Chinese."""

    ZH_CN = "zh-CN"
    EN = "en"


class _Validated(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("phone", mode="after", check_fields=False)
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else fields.normalize_phone(value)

    @field_validator("email", mode="after", check_fields=False)
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None else fields.normalize_email(value)

    @field_validator("national_id", mode="after", check_fields=False)
    @classmethod
    def _national_id(cls, value: str | None) -> str | None:
        return None if value is None else fields.normalize_national_id(value)

    @field_validator("tags", mode="after", check_fields=False)
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else fields.normalize_tags(value)

    @field_validator(*TEXT_LIMITS, mode="before", check_fields=False)
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


class _Attributes(_Validated):
    """The optional attributes, shared by a full profile and a patch."""

    email: str | None = None
    phone: str | None = None
    national_id: str | None = None
    company: str | None = Field(default=None, max_length=TEXT_LIMITS["company"])
    title: str | None = Field(default=None, max_length=TEXT_LIMITS["title"])
    industry: str | None = Field(default=None, max_length=TEXT_LIMITS["industry"])
    company_size: str | None = Field(default=None, max_length=TEXT_LIMITS["company_size"])
    region: str | None = Field(default=None, max_length=TEXT_LIMITS["region"])
    address: str | None = Field(default=None, max_length=TEXT_LIMITS["address"])
    source_channel: str | None = Field(default=None, max_length=TEXT_LIMITS["source_channel"])
    owner_id: str | None = Field(default=None, max_length=100)
    team: str | None = Field(default=None, max_length=100)
    language: MailLanguage | None = Field(default=None, description=LANGUAGE_RULE)


class Profile(_Attributes):
    """A complete profile, as created."""

    name: str = Field(min_length=1, max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=50)
    custom_fields: dict[str, Any] = Field(default_factory=dict, max_length=100)


class ProfileChanges(_Attributes):
    """Some attributes of a profile; fields not sent stay as they are, ``null`` clears.

    ``custom_fields`` are merged into the existing values (``null`` removes one).
    """

    name: str | None = Field(default=None, min_length=1, max_length=200)
    tags: list[str] | None = Field(default=None, max_length=50)
    custom_fields: dict[str, Any] | None = Field(default=None, max_length=100)

    def changed(self) -> dict[str, Any]:
        """Only the fields the caller sent (``null`` included)."""
        return self.model_dump(exclude_unset=True)

    @field_validator("name", mode="after")
    @classmethod
    def _name_cannot_be_cleared(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("name cannot be removed")
        return value
