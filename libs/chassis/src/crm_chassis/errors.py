"""RFC 9457 problem details: the one error shape every service and the gateway return.

Each kind of error has a stable ``type`` URI so clients can branch on it; a
validation error lists every offending field with its path and reason. Unexpected
exceptions are logged with their stack trace and answered with a bare 500.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from crm_chassis.domain_errors import DomainError, DuplicateValue

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://crm.example.org/problems/"

log = logging.getLogger(__name__)


class FieldError(BaseModel):
    """One invalid input: where it is (``body.email``, ``query.limit``) and why."""

    field: str
    reason: str
    type: str | None = None


class Problem(BaseModel):
    """The problem+json body, as documented in every service's OpenAPI."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """An error that becomes a problem+json response; subclasses fix status and type."""

    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}
        self.extensions = extensions

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        body = Problem(
            type=PROBLEM_BASE + self.slug,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            errors=self.errors or None,
        ).model_dump(exclude_none=True)
        body.update(self.extensions)
        return body


class InvalidInput(ProblemError):
    status, slug, title = 422, "validation-error", "Your request is not valid"


class Unauthenticated(ProblemError):
    status, slug, title = 401, "unauthenticated", "Authentication required"


class Forbidden(ProblemError):
    status, slug, title = 403, "forbidden", "You are not allowed to do this"


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(ProblemError):
    status, slug, title = 409, "conflict", "Conflicts with the current state"


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "precondition-failed", "The resource has changed"


class PreconditionRequired(ProblemError):
    status, slug, title = 428, "precondition-required", "If-Match header required"


class PayloadTooLarge(ProblemError):
    status, slug, title = 413, "payload-too-large", "Request body too large"


class TooManyRequests(ProblemError):
    status, slug, title = 429, "rate-limited", "Too many requests"


class ServiceUnavailable(ProblemError):
    status, slug, title = 503, "service-unavailable", "Service temporarily unavailable"


def domain_problem(error: DomainError) -> ProblemError:
    """The problem+json a domain refusal answers: its status and type, its message as
    the detail, its field (if any) as ``body.<field>`` with the reason, then its other
    field errors; a duplicate also names its field at the top (``"field": "email"``)."""
    errors = (
        [FieldError(field=f"body.{error.field}", reason=error.field_reason)] if error.field else []
    )
    errors += [FieldError(field=path, reason=reason) for path, reason in error.field_errors]
    problem = ProblemError(error.message, errors=errors)
    if isinstance(error, DuplicateValue):
        problem.extensions["field"] = error.field
    problem.status, problem.slug, problem.title = error.status, error.slug, error.title
    return problem


def problem_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def validation_field_errors(exc: RequestValidationError) -> list[FieldError]:
    errors = []
    for error in exc.errors():
        reason = str(error.get("msg", "invalid"))
        errors.append(
            FieldError(field=_field_path(error["loc"]), reason=reason, type=error["type"])
        )
    return errors


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(exc.status, exc.to_problem(request.url.path), exc.headers)


async def _on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return await _on_problem(request, domain_problem(exc))


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problem = InvalidInput("One or more fields are invalid.", errors=validation_field_errors(exc))
    return problem_response(422, problem.to_problem(request.url.path))


_TITLES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Authentication required"),
    403: ("forbidden", "You are not allowed to do this"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug, title = _TITLES.get(exc.status_code, ("http-error", "HTTP error"))
    body = Problem(
        type=PROBLEM_BASE + slug,
        title=title,
        status=exc.status_code,
        detail=str(exc.detail) if exc.detail else None,
        instance=request.url.path,
    ).model_dump(exclude_none=True)
    return problem_response(exc.status_code, body, dict(exc.headers or {}))


async def _on_unencodable_text(request: Request, exc: Exception) -> JSONResponse:
    # JSON may carry a lone UTF-16 surrogate ("\udc00"); it is valid JSON and a valid
    # Python str, but no database can store it, so the write fails before anything is
    # stored. That is the caller's input, not a server fault.
    problem = InvalidInput(
        "Text fields must be valid Unicode (no unpaired surrogate characters).",
        errors=[FieldError(field="body", reason="contains an unpaired surrogate")],
    )
    return problem_response(422, problem.to_problem(request.url.path))


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    body = Problem(
        type=PROBLEM_BASE + "internal-error",
        title="Internal error",
        status=500,
        detail="The server could not complete the request; it has been logged.",
        instance=request.url.path,
    ).model_dump(exclude_none=True)
    return problem_response(500, body)


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error path of the app to problem+json."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(UnicodeEncodeError, _on_unencodable_text)
    app.add_exception_handler(Exception, _on_unexpected)
