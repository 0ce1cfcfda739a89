"""Rule violations raised by the domain; the API maps them to problem+json."""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks a marketing rule; ``field`` names the offending input."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """A lifecycle change that is not allowed from the current state."""


class TemplateError(DomainError):
    """A template that cannot be rendered safely (syntax, unknown variable, sandbox)."""
