"""Admin-defined custom fields (C-1): each has a type and rules its values must meet."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

KEY = r"^[a-z][a-z0-9_]{0,39}$"


class CustomFieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    CHOICE = "choice"


class CustomFieldDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=KEY)
    label: str = Field(min_length=1, max_length=100)
    type: CustomFieldType
    required: bool = False
    choices: list[str] = Field(default_factory=list, max_length=100)
    max_length: int = Field(default=500, ge=1, le=5000)
    pattern: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _choices_only_for_choice(self) -> CustomFieldDefinition:
        if (self.type == CustomFieldType.CHOICE) != bool(self.choices):
            raise ValueError("choices are required for, and only for, type 'choice'")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as error:
                raise ValueError(f"pattern is not a valid regular expression: {error}") from None
        return self


def _coerce(definition: CustomFieldDefinition, value: Any) -> Any:
    """The stored form of one value; raises ValueError with the reason."""
    kind = definition.type
    if kind == CustomFieldType.TEXT:
        text = str(value).strip()
        if len(text) > definition.max_length:
            raise ValueError(f"at most {definition.max_length} characters")
        if definition.pattern and not re.fullmatch(definition.pattern, text):
            raise ValueError("does not match the field's pattern")
        return text
    if kind == CustomFieldType.NUMBER:
        if isinstance(value, bool):
            raise ValueError("must be a number")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError("must be a number") from None
        if not number.is_finite():
            raise ValueError("must be a finite number")
        return str(number)
    if kind == CustomFieldType.BOOLEAN:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"true", "yes", "1"}:
            return True
        if text in {"false", "no", "0"}:
            return False
        raise ValueError("must be true or false")
    if kind == CustomFieldType.DATE:
        try:
            return date.fromisoformat(str(value).strip()[:10]).isoformat()
        except ValueError:
            raise ValueError("must be a date (YYYY-MM-DD)") from None
    text = str(value).strip()
    if text not in definition.choices:
        raise ValueError(f"must be one of {', '.join(definition.choices)}")
    return text


def validate_custom_values(
    definitions: dict[str, CustomFieldDefinition],
    values: dict[str, Any],
    *,
    complete: bool,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Coerce ``values`` by their definitions; returns (clean values, errors by key).

    ``complete`` is true when ``values`` is the whole set (a create or a full
    replacement), so missing required fields count as errors.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in values.items():
        definition = definitions.get(key)
        if definition is None:
            errors[key] = "is not a defined custom field"
        elif value is None or value == "":
            if definition.required:
                errors[key] = "is required"
        else:
            try:
                clean[key] = _coerce(definition, value)
            except ValueError as error:
                errors[key] = str(error)
    if complete:
        for key, definition in definitions.items():
            if definition.required and key not in values:
                errors[key] = "is required"
    return clean, errors
