"""``/api/v1/email-templates``: templates with placeholders, checked at save time (M-3)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import NotFound
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_chassis.service import RuntimeDep
from crm_contracts.access import Permission
from marketing.api.deps import IfMatch, domain_errors, require_manager, utc_now
from marketing.domain import templates as rules
from marketing.store import templates as store

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


def _out(document: dict[str, Any]) -> TemplateOut:
    return TemplateOut(
        id=document["_id"],
        name=document["name"],
        subject=document["subject"],
        html=document["html"],
        text=document.get("text"),
        owner_id=document.get("owner_id"),
        team=document.get("team"),
        version=document["version"],
        created_at=document["created_at"],
        updated_at=document["updated_at"],
    )


def content_of(document: dict[str, Any]) -> rules.TemplateContent:
    return rules.TemplateContent(document["subject"], document["html"], document.get("text"))


@router.get("/variables")
async def list_variables(
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> list[VariableOut]:
    """The placeholders a template may use."""
    return [VariableOut(name=n, description=d) for n, d in rules.TEMPLATE_VARIABLES.items()]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_template(
    body: TemplateCreate,
    runtime: RuntimeDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> TemplateOut:
    with domain_errors():
        # rendering is CPU work (bounded by the sandbox's budget): keep it off the loop
        content = rules.TemplateContent(body.subject, body.html, body.text)
        await asyncio.to_thread(rules.validate_template, content)
    now = utc_now()
    document = {
        "_id": uuid.uuid4().hex,
        **body.model_dump(),
        "owner_id": principal.subject,
        "team": principal.team,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    await store.insert(runtime.db, document)
    response.headers["ETag"] = etag(1)
    return _out(document)


@router.get("")
async def list_templates(
    runtime: RuntimeDep,
    page: PageDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
    name: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[TemplateOut]:
    query = {"name": name} if name else {}
    order = parse_sort(sort, ["name", "created_at", "updated_at"], "-created_at")
    items, total = await store.page(runtime.db, query, order, page)
    return Page(items=[_out(d) for d in items], total=total, offset=page.offset, limit=page.limit)


@router.get("/{template_id}")
async def get_template(
    template_id: str,
    runtime: RuntimeDep,
    response: Response,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> TemplateOut:
    document = await store.get(runtime.db, template_id)
    response.headers["ETag"] = etag(document["version"])
    return _out(document)


@router.post("/{template_id}/preview")
async def preview_template(
    template_id: str,
    body: PreviewRequest,
    runtime: RuntimeDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> PreviewOut:
    """Render the template for a sample customer (or the values given)."""
    document = await store.get(runtime.db, template_id)
    with domain_errors():
        rendered = await asyncio.to_thread(
            rules.render, content_of(document), {**rules.SAMPLE_CUSTOMER, **body.values}
        )
    return PreviewOut(subject=rendered.subject, html=rendered.html, text=rendered.text)


@router.patch("/{template_id}")
async def patch_template(
    template_id: str,
    body: TemplatePatch,
    runtime: RuntimeDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
    if_match: IfMatch = None,
) -> TemplateOut:
    version = expected_version(if_match)
    current = await store.get(runtime.db, template_id)
    require_manager(principal, current, "template")
    changes = body.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k == "text"}
    merged = {**current, **changes}
    with domain_errors():
        await asyncio.to_thread(rules.validate_template, content_of(merged))
    updated = await store.update(
        runtime.db, template_id, version, {"$set": {**changes, "updated_at": utc_now()}}
    )
    response.headers["ETag"] = etag(updated["version"])
    return _out(updated)


@router.delete("/{template_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_template(
    template_id: str,
    runtime: RuntimeDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> None:
    current = await store.get(runtime.db, template_id)
    require_manager(principal, current, "template")
    if not await store.delete(runtime.db, template_id):
        raise NotFound(f"No email template {template_id}.")
