"""Optimistic concurrency over HTTP: the aggregate ``version`` as an ``ETag``."""

from __future__ import annotations

from crm_chassis.errors import FieldError, InvalidInput, PreconditionRequired


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None, *, required: bool = True) -> int | None:
    """The version a client says it last saw, from ``If-Match``.

    ``*`` (or no header when not required) means "any version".
    """
    if if_match is None:
        if required:
            raise PreconditionRequired("Send If-Match with the ETag you last read.")
        return None
    value = if_match.strip()
    if value == "*":
        return None
    value = value.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput(
            "If-Match must be an ETag from this API.",
            errors=[FieldError(field="header.If-Match", reason="not a version ETag")],
        )
    return int(value)
