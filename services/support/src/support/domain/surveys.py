"""Satisfaction surveys (T-6): one per resolved ticket, Likert 1-5, answered once."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from crm_chassis.domain_errors import RuleViolation, StateConflict
from crm_contracts.events.registry import EventData
from crm_contracts.events.support import SurveyAnswered


class SurveyStatus(StrEnum):
    PENDING = "pending"  # created, mail not sent yet
    SENT = "sent"
    ANSWERED = "answered"
    NO_RECIPIENT = "no_recipient"  # the ticket has no e-mail address to ask


class Survey(BaseModel):
    id: str
    ticket_id: str
    ticket_reference: str
    customer_id: str | None = None
    agent_id: str | None = None
    team: str | None = None
    email: str | None = None
    status: SurveyStatus = SurveyStatus.PENDING
    score: int | None = None
    comment: str | None = None
    created_at: datetime
    sent_at: datetime | None = None
    answered_at: datetime | None = None
    send_attempts: int = 0


def survey_for_ticket(
    *,
    survey_id: str,
    ticket_id: str,
    ticket_reference: str,
    customer_id: str | None,
    agent_id: str | None,
    team: str | None,
    email: str | None,
    now: datetime,
) -> Survey:
    return Survey(
        id=survey_id,
        ticket_id=ticket_id,
        ticket_reference=ticket_reference,
        customer_id=customer_id,
        agent_id=agent_id,
        team=team,
        email=email,
        status=SurveyStatus.PENDING if email else SurveyStatus.NO_RECIPIENT,
        created_at=now,
    )


def answer(
    survey: Survey, *, score: int, comment: str | None, now: datetime
) -> tuple[Survey, list[EventData]]:
    if survey.answered_at is not None:
        raise StateConflict("This survey has already been answered.")
    if not 1 <= score <= 5:
        raise RuleViolation("The score must be between 1 and 5.", field="score")
    answered = survey.model_copy(
        update={
            "status": SurveyStatus.ANSWERED,
            "score": score,
            "comment": comment,
            "answered_at": now,
        }
    )
    event = SurveyAnswered(
        survey_id=survey.id,
        ticket_id=survey.ticket_id,
        customer_id=survey.customer_id,
        agent_id=survey.agent_id,
        score=score,
        comment=comment,
        answered_at=now,
    )
    return answered, [event]


def survey_token(secret: str, survey_id: str) -> str:
    """The proof in a survey link that the answer comes from the mailed recipient."""
    return hmac.new(secret.encode(), survey_id.encode(), hashlib.sha256).hexdigest()


def token_is_valid(secret: str, survey_id: str, token: str) -> bool:
    return hmac.compare_digest(survey_token(secret, survey_id), token)
