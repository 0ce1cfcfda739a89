"""/api/v1/web-forms: form definitions (admin) and the public submission endpoint.

Submissions need no token (the form is on a public web page); they are protected
by a hidden honeypot field, a per-form rate limit shared by all replicas, the
body size limit of the chassis, and the gateway's per-client rate limits.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, Field

from crm_chassis.clock import utc_now
from crm_chassis.errors import NotFound, TooManyRequests
from crm_chassis.inputs import InputModel
from sales.api.deps import ComponentsDep, ReadLeads, SalesAdmin
from sales.api.lead_models import InterestLevel, ProspectFields
from sales.domain.leads import LeadDraft
from sales.domain.web_forms import FORM_ID_PATTERN, WebForm, looks_like_spam
from sales.operations import leads as lead_ops

router = APIRouter(prefix="/api/v1/web-forms", tags=["web forms"])


class WebFormIn(InputModel):
    name: str = Field(min_length=1, max_length=120)
    campaign_id: str | None = Field(default=None, max_length=80)
    product: str | None = Field(default=None, max_length=120)
    enabled: bool = True
    submissions_per_minute: int | None = Field(default=None, ge=1, le=10_000)


class Submission(ProspectFields):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    interest_level: InterestLevel | None = None
    message: Annotated[str, Field(max_length=2000)] | None = None
    website: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="Honeypot: leave empty (hidden from people on the form)."
    )


class SubmissionReceipt(BaseModel):
    status: str = "received"
    reference: str | None = None


@router.get("")
async def list_forms(principal: ReadLeads, parts: ComponentsDep) -> list[WebForm]:
    return await parts.web_forms.list()


@router.put("/{form_id}")
async def put_form(
    form_id: Annotated[str, Path(pattern=FORM_ID_PATTERN)],
    body: WebFormIn,
    principal: SalesAdmin,
    parts: ComponentsDep,
) -> WebForm:
    form = WebForm(form_id=form_id, **body.model_dump())
    await parts.web_forms.put(form)
    return form


@router.post("/{form_id}/submissions", status_code=status.HTTP_202_ACCEPTED)
async def submit_form(form_id: str, body: Submission, parts: ComponentsDep) -> SubmissionReceipt:
    """Public lead capture from a web form (no token)."""
    form = await parts.web_forms.get(form_id)
    if form is None or not form.enabled:
        raise NotFound("No such form.")
    limit = form.submissions_per_minute or parts.settings.web_form_submissions_per_minute
    if await parts.web_forms.count_submission(form_id, utc_now()) > limit:
        raise TooManyRequests(
            "This form is receiving too many submissions; try again in a minute.",
            headers={"Retry-After": "60"},
        )
    if looks_like_spam(body.website, body.email, body.phone):
        # Answer as if accepted so bots learn nothing from the response.
        return SubmissionReceipt()
    prospect = body.model_dump(exclude={"interest_level", "message", "website"})
    draft = LeadDraft.model_validate(
        {
            "source_channel": "web_form",
            "prospect": prospect,
            "product": form.product,
            "interest_level": body.interest_level,
            "campaign_id": form.campaign_id,
            "form_id": form.form_id,
        }
    )
    lead = await lead_ops.capture(parts, draft)
    return SubmissionReceipt(reference=lead.lead_id)
