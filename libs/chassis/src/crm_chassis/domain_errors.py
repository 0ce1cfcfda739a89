"""What a service's rules and stores raise when a request cannot be done: one model
for every service, with no web framework in it.

Domain code and stores raise these; :func:`crm_chassis.errors.install_problem_handlers`
turns them into problem+json in one place, so the same kind of refusal answers the same
status everywhere:

============================  ======  ==============================================
error                         status  when
============================  ======  ==============================================
:class:`NotAllowed`            403    the caller may see the record but not do this
:class:`RecordNotFound`        404    no such record, or one the caller may not see
:class:`StateConflict`         409    the record's current state forbids the change
:class:`InvalidTransition`     409    ... a move its status or stage does not allow
:class:`DuplicateValue`        409    another record already has this unique value
:class:`RuleViolation`         422    the input breaks a rule (a gate, a balance)
:class:`VersionConflict`       412    the record changed since the caller read it
============================  ======  ==============================================

A subclass may set ``slug`` and ``title`` to give its refusals a problem type of their
own (``duplicate-customer``); clients branch on the type, people read ``message``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar


class DomainError(Exception):
    """A refusal with a reason a person can read and, optionally, the input field it
    is about (``stage``, ``lines.0.quantity``), reported as ``body.<field>``; a refusal
    about several inputs lists them in ``field_errors`` as (full path, reason) pairs
    (``("body.custom_fields.size", "must be a number")``)."""

    status: ClassVar[int] = 409
    slug: ClassVar[str] = "conflict"
    title: ClassVar[str] = "Conflicts with the current state"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        field_errors: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.field_errors = tuple(field_errors)

    @property
    def field_reason(self) -> str:
        """Why ``field`` is refused, as the problem's field error says it."""
        return self.message


class NotAllowed(DomainError):
    """The caller may see the record but not do this to it (a rep answering a survey
    for another rep's customer)."""

    status, slug, title = 403, "forbidden", "You are not allowed to do this"


class RecordNotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class StateConflict(DomainError):
    """The change does not fit the record's current state."""


class InvalidTransition(StateConflict):
    """The record's status or stage does not allow this move."""


class DuplicateValue(StateConflict):
    """Another record already holds a value that must be unique (``field``)."""

    def __init__(self, field: str, message: str | None = None) -> None:
        super().__init__(message or f"Another record already has this {field}.", field=field)

    @property
    def field_reason(self) -> str:
        return "already used by another record"


class RuleViolation(DomainError):
    """The input breaks a business rule: a stage gate, a balance, a combination."""

    status, slug, title = 422, "validation-error", "Your request is not valid"


class VersionConflict(DomainError):
    """The record changed since the version the caller (or a retry) read."""

    status, slug, title = 412, "precondition-failed", "The resource has changed"

    def __init__(self, record_id: object = None) -> None:
        super().__init__("The resource changed since you read it; read it again.")
        self.record_id = record_id
