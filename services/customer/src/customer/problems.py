"""The customer service's own problem types (RFC 9457)."""

from __future__ import annotations

from collections.abc import Mapping

from crm_chassis.errors import Conflict, FieldError, InvalidInput


class DuplicateCustomer(Conflict):
    slug, title = "duplicate-customer", "Another customer has this value"

    def __init__(self, field: str) -> None:
        super().__init__(
            f"Another customer already has this {field}.",
            errors=[FieldError(field=f"body.{field}", reason="already used by another customer")],
            field=field,
        )


def invalid_custom_fields(errors: Mapping[str, str], prefix: str = "body") -> InvalidInput:
    return InvalidInput(
        "One or more custom fields are invalid.",
        errors=[
            FieldError(field=f"{prefix}.custom_fields.{key}", reason=reason)
            for key, reason in sorted(errors.items())
        ],
    )
