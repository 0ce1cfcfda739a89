"""Rule violations raised by the domain; the API maps them to problem+json."""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks a business rule (answered 409 or 422)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """The aggregate's current state does not allow the change (409)."""


class RuleViolation(DomainError):
    """The input breaks a rule such as a stage gate or a balance (422)."""
