"""``/api/v1/email-templates``: templates with placeholders, checked at save time (M-3)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Permission
from marketing.api.deps import IfMatch, PartsDep, utc_now
from marketing.domain import templates as rules
from marketing.domain.templates import EmailTemplate, TemplateContent
from marketing.operations import templates as operations

router = APIRouter(prefix="/api/v1/email-templates", tags=["email templates"])

Subject = Annotated[str, Field(min_length=1, max_length=500)]
Body = Annotated[str, Field(min_length=1, max_length=200_000)]


class TemplateCreate(InputModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    subject: Subject
    html: Body
    text: Body | None = Field(
        default=None, description="Plain-text part; derived from html if absent"
    )


class TemplatePatch(InputModel):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    subject: Subject | None = None
    html: Body | None = None
    text: Body | None = None


class TemplateOut(BaseModel):
    id: str
    name: str
    subject: str
    html: str
    text: str | None
    owner_id: str | None
    team: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class PreviewRequest(InputModel):
    """Values for the placeholders; any left out come from a sample customer."""

    values: dict[str, Annotated[str, Field(max_length=2000)]] = Field(default_factory=dict)


class PreviewOut(BaseModel):
    subject: str
    html: str
    text: str


class VariableOut(BaseModel):
    name: str
    description: str


def _out(template: EmailTemplate) -> TemplateOut:
    return TemplateOut.model_validate(template.model_dump())


@router.get("/variables")
async def list_variables(
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> list[VariableOut]:
    """The placeholders a template may use."""
    return [VariableOut(name=n, description=d) for n, d in rules.TEMPLATE_VARIABLES.items()]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_template(
    body: TemplateCreate,
    parts: PartsDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> TemplateOut:
    template = await operations.create_template(
        parts.templates,
        principal,
        name=body.name,
        content=TemplateContent(body.subject, body.html, body.text),
        now=utc_now(),
    )
    response.headers["ETag"] = etag(template.version)
    return _out(template)


@router.get("")
async def list_templates(
    parts: PartsDep,
    page: PageDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
    name: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[TemplateOut]:
    query = {"name": name} if name else {}
    order = parse_sort(sort, ["name", "created_at", "updated_at"], "-created_at")
    found = await parts.templates.page(query, sort=order, offset=page.offset, limit=page.limit)
    return Page(
        items=[_out(t) for t in found.items],
        total=found.total,
        offset=found.offset,
        limit=found.limit,
    )


@router.get("/{template_id}")
async def get_template(
    template_id: str,
    parts: PartsDep,
    response: Response,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> TemplateOut:
    template = await parts.templates.require(template_id)
    response.headers["ETag"] = etag(template.version)
    return _out(template)


@router.post("/{template_id}/preview")
async def preview_template(
    template_id: str,
    body: PreviewRequest,
    parts: PartsDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> PreviewOut:
    """Render the template for a sample customer (or the values given)."""
    rendered = await operations.preview_template(parts.templates, template_id, body.values)
    return PreviewOut(subject=rendered.subject, html=rendered.html, text=rendered.text)


@router.patch("/{template_id}")
async def patch_template(
    template_id: str,
    body: TemplatePatch,
    parts: PartsDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
    if_match: IfMatch = None,
) -> TemplateOut:
    version = expected_version(if_match)
    changes = body.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k == "text"}
    template = await operations.change_template(
        parts.templates, principal, template_id, version, changes, utc_now()
    )
    response.headers["ETag"] = etag(template.version)
    return _out(template)


@router.delete("/{template_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_template(
    template_id: str,
    parts: PartsDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> None:
    await operations.delete_template(parts.templates, principal, template_id)
