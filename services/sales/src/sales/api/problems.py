"""Domain and store errors as problem+json responses."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from crm_chassis.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    PreconditionFailed,
    ProblemError,
    problem_response,
)
from sales.domain.errors import DomainError, RuleViolation
from sales.store.documents import VersionConflict


class TooManyRequests(ProblemError):
    status, slug, title = 429, "too-many-requests", "Too many requests"


def _as_problem(exc: Exception) -> ProblemError:
    if isinstance(exc, VersionConflict):
        return PreconditionFailed("The resource changed since you read it; read it again.")
    if isinstance(exc, RuleViolation):
        errors = [FieldError(field=f"body.{exc.field}", reason=exc.message)] if exc.field else []
        return InvalidInput(exc.message, errors=errors)
    assert isinstance(exc, DomainError)
    return Conflict(exc.message)


async def _on_error(request: Request, exc: Exception) -> JSONResponse:
    problem = _as_problem(exc)
    return problem_response(problem.status, problem.to_problem(request.url.path), problem.headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_error)
    app.add_exception_handler(VersionConflict, _on_error)
