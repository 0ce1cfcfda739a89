"""/api/v1/surveys: satisfaction surveys, response tracking, and the public answer link."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, StringConstraints

from crm_chassis.errors import Forbidden, NotFound
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from support.api.deps import ReadTickets, SupportDep
from support.domain.surveys import Survey, SurveyStatus, token_is_valid
from support.operations.access import ticket_scope
from support.operations.surveys import answer_survey

router = APIRouter(prefix="/api/v1/surveys", tags=["surveys"])

Token = Annotated[str, Query(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")]
QUESTION = (
    "How satisfied are you with our support, from 1 (very unsatisfied) to 5 (very satisfied)?"
)


class SurveyOut(BaseModel):
    id: str
    ticket_id: str
    ticket_reference: str
    customer_id: str | None
    agent_id: str | None
    team: str | None
    status: SurveyStatus
    score: int | None
    comment: str | None
    created_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None

    @classmethod
    def of(cls, survey: Survey) -> SurveyOut:
        return cls.model_validate(survey.model_dump())


class SurveyTrackingOut(BaseModel):
    by_status: dict[str, int]
    sent: int
    answered: int
    response_rate: float | None


class SurveyQuestionOut(BaseModel):
    survey_id: str
    ticket_reference: str
    question: str
    answered: bool


class SurveyAnswerIn(InputModel):
    score: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


@router.get("")
async def list_surveys(
    support: SupportDep,
    principal: ReadTickets,
    page: PageDep,
    status_: Annotated[SurveyStatus | None, Query(alias="status")] = None,
    agent_id: str | None = None,
    sort: str | None = None,
) -> Page[SurveyOut]:
    """The surveys of the tickets the caller may see (a sales rep: of their customers)."""
    query: dict[str, Any] = await ticket_scope(support, principal)
    if status_:
        query["status"] = status_.value
    if agent_id:
        query["agent_id"] = agent_id
    spec = parse_sort(sort, ("created_at", "answered_at", "score"), "-created_at")
    found = await support.surveys.page(query, sort=spec, offset=page.offset, limit=page.limit)
    return Page[SurveyOut](
        items=[SurveyOut.of(s) for s in found.items],
        total=found.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/tracking")
async def survey_tracking(support: SupportDep, principal: ReadTickets) -> SurveyTrackingOut:
    """How many surveys went out and how many were answered, of the tickets the caller
    may see."""
    counts = await support.surveys.counts_by_status(await ticket_scope(support, principal))
    answered = counts.get(SurveyStatus.ANSWERED.value, 0)
    sent = counts.get(SurveyStatus.SENT.value, 0) + answered
    return SurveyTrackingOut(
        by_status=counts,
        sent=sent,
        answered=answered,
        response_rate=answered / sent if sent else None,
    )


@router.get("/{survey_id}/answer")
async def survey_question(survey_id: str, token: Token, support: SupportDep) -> SurveyQuestionOut:
    """Public (the mailed link): the question, for the signed link's recipient."""
    if not token_is_valid(support.settings.survey_link_secret.get_secret_value(), survey_id, token):
        raise Forbidden("This survey link is not valid.")
    survey = await support.surveys.get(survey_id)
    if survey is None:
        raise NotFound("No such survey.")
    return SurveyQuestionOut(
        survey_id=survey.id,
        ticket_reference=survey.ticket_reference,
        question=QUESTION,
        answered=survey.answered_at is not None,
    )


@router.post("/{survey_id}/answer")
async def answer(
    survey_id: str, token: Token, body: SurveyAnswerIn, support: SupportDep
) -> SurveyOut:
    """Public, protected by the signed token of the mailed link; one answer per ticket."""
    survey = await answer_survey(
        support, survey_id, token=token, score=body.score, comment=body.comment
    )
    return SurveyOut.of(survey)
