"""Customer notices, for administrators: the templates (per kind and language) and the
reminder steps. A template may quote only its kind's variables (``${invoice_number}``
...); anything else is refused with 422 naming the field."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field, field_validator

from crm_chassis.concurrency import etag, expected_version
from crm_chassis.inputs import InputModel
from notifications.api.deps import Admin, ComponentsDep, IfMatch
from notifications.domain.alerts import Language
from notifications.domain.customer_notices import (
    MAX_STEP_DAYS,
    MAX_STEPS,
    NoticeSettings,
    step_days,
)
from notifications.domain.notice_templates import (
    BODY_MAX,
    SUBJECT_MAX,
    VARIABLES,
    NoticeKind,
    NoticeTemplate,
)
from notifications.operations import notice_admin as use
from notifications.store.notice_config import StoredTemplate, Versioned

router = APIRouter(prefix="/api/v1", tags=["customer notices"])

KindPath = Annotated[NoticeKind, Path(description="which notice")]
LanguagePath = Annotated[Language, Path(description="the customer's language")]


class TemplateIn(InputModel):
    subject: str = Field(
        min_length=1,
        max_length=SUBJECT_MAX,
        description="one line; ${name} quotes one of the kind's variables, $$ is a dollar sign",
    )
    body: str = Field(min_length=1, max_length=BODY_MAX, description="plain text, ${name} as above")


class TemplateOut(BaseModel):
    kind: NoticeKind
    language: Language
    subject: str
    body: str
    variables: list[str] = Field(description="what this kind's templates may quote")
    default: bool = Field(description="the shipped text: nobody changed it yet")
    version: int
    updated_at: datetime | None
    updated_by: str | None

    @classmethod
    def of(cls, stored: StoredTemplate) -> TemplateOut:
        return cls(
            kind=stored.kind,
            language=stored.language,
            subject=stored.template.subject,
            body=stored.template.body,
            variables=list(VARIABLES[stored.kind]),
            default=stored.default,
            version=stored.stamp.version,
            updated_at=stored.stamp.updated_at,
            updated_by=stored.stamp.updated_by,
        )


class TemplateList(BaseModel):
    items: list[TemplateOut]


_STEPS = f"days, each 1 to {MAX_STEP_DAYS}, at most {MAX_STEPS}; [] sends none"


class NoticeSettingsIn(InputModel):
    payment_reminder_days_before: list[int] = Field(
        max_length=MAX_STEPS, description=f"reminders before the due date: {_STEPS}"
    )
    overdue_notice_days_after: list[int] = Field(
        max_length=MAX_STEPS, description=f"overdue notices after the due date: {_STEPS}"
    )

    @field_validator("payment_reminder_days_before", "overdue_notice_days_after")
    @classmethod
    def _days(cls, days: list[int]) -> list[int]:
        return step_days(days)

    def to_domain(self) -> NoticeSettings:
        return NoticeSettings(
            payment_reminder_days_before=self.payment_reminder_days_before,
            overdue_notice_days_after=self.overdue_notice_days_after,
        )


class NoticeSettingsOut(BaseModel):
    payment_reminder_days_before: list[int]
    overdue_notice_days_after: list[int]
    version: int
    updated_at: datetime | None
    updated_by: str | None

    @classmethod
    def of(cls, settings: NoticeSettings, stamp: Versioned) -> NoticeSettingsOut:
        return cls(
            **settings.model_dump(),
            version=stamp.version,
            updated_at=stamp.updated_at,
            updated_by=stamp.updated_by,
        )


@router.get("/customer-notice-templates", response_model=TemplateList)
async def list_templates(parts: ComponentsDep, admin: Admin) -> TemplateList:
    """Every kind's template in every language (the shipped one where nobody changed it)."""
    return TemplateList(items=[TemplateOut.of(t) for t in await use.templates(parts)])


@router.get("/customer-notice-templates/{kind}/{language}", response_model=TemplateOut)
async def get_template(
    parts: ComponentsDep, admin: Admin, kind: KindPath, language: LanguagePath, response: Response
) -> TemplateOut:
    stored = await use.template(parts, kind, language)
    response.headers["ETag"] = etag(stored.stamp.version)
    return TemplateOut.of(stored)


@router.put("/customer-notice-templates/{kind}/{language}", response_model=TemplateOut)
async def put_template(
    parts: ComponentsDep,
    admin: Admin,
    kind: KindPath,
    language: LanguagePath,
    body: TemplateIn,
    response: Response,
    if_match: IfMatch = None,
) -> TemplateOut:
    """Replace the template. A placeholder the kind does not offer, or a ``$`` that
    starts none: 422 naming ``subject`` or ``body``. ``If-Match`` (optional): 412 when
    someone changed it since."""
    stored = await use.replace_template(
        parts,
        kind,
        language,
        NoticeTemplate(body.subject, body.body),
        expected_version(if_match, required=False),
        admin.subject,
    )
    response.headers["ETag"] = etag(stored.stamp.version)
    return TemplateOut.of(stored)


@router.get("/customer-notice-settings", response_model=NoticeSettingsOut)
async def get_settings(parts: ComponentsDep, admin: Admin, response: Response) -> NoticeSettingsOut:
    """The reminder steps: days before the due date, days after it."""
    settings, stamp = await use.settings(parts)
    response.headers["ETag"] = etag(stamp.version)
    return NoticeSettingsOut.of(settings, stamp)


@router.put("/customer-notice-settings", response_model=NoticeSettingsOut)
async def put_settings(
    parts: ComponentsDep,
    admin: Admin,
    body: NoticeSettingsIn,
    response: Response,
    if_match: IfMatch = None,
) -> NoticeSettingsOut:
    """Replace the reminder steps (the whole document). A step already mailed for an
    invoice is not mailed again. ``If-Match`` (optional): 412 when changed since."""
    settings, stamp = await use.replace_settings(
        parts, body.to_domain(), expected_version(if_match, required=False), admin.subject
    )
    response.headers["ETag"] = etag(stamp.version)
    return NoticeSettingsOut.of(settings, stamp)
