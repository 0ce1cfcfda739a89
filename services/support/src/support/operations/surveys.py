"""Satisfaction surveys: created and mailed when a ticket is resolved, answered once."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from crm_chassis.domain_errors import NotAllowed, RecordNotFound
from crm_chassis.mail import send_mail
from support.components import Components
from support.domain.surveys import (
    Survey,
    SurveyStatus,
    answer,
    survey_for_ticket,
    survey_token,
    token_is_valid,
)
from support.operations.ids import new_id


def survey_link(support: Components, survey: Survey) -> str:
    token = survey_token(support.settings.survey_link_secret.get_secret_value(), survey.id)
    return f"{support.settings.public_base_url}/api/v1/surveys/{survey.id}/answer?token={token}"


def survey_mail(support: Components, survey: Survey, subject: str) -> EmailMessage:
    assert survey.email is not None
    message = EmailMessage()
    message["From"] = support.settings.survey_sender
    message["To"] = survey.email
    message["Subject"] = f"How did we do? [{survey.ticket_reference}] {subject}"
    message["Message-ID"] = make_msgid(domain=support.settings.survey_sender.split("@")[-1])
    message["X-CRM-Survey-Id"] = survey.id
    message.set_content(
        "Your request has been resolved.\n\n"
        "How satisfied are you with our support, from 1 (very unsatisfied) to 5 "
        "(very satisfied)? Answer here, with an optional comment:\n\n"
        f"{survey_link(support, survey)}\n"
    )
    return message


async def survey_resolved_ticket(support: Components, ticket_id: str) -> Survey | None:
    """Create the ticket's survey (once) and mail it unless already sent.

    Runs from the ticket-resolved event, so at least once: a crash between sending
    and recording may send a second copy, never a second survey.
    """
    ticket = await support.tickets.get(ticket_id)
    if ticket is None:
        return None
    survey = await support.surveys.create_once(
        survey_for_ticket(
            survey_id=new_id(),
            ticket_id=ticket.id,
            ticket_reference=ticket.reference,
            customer_id=ticket.customer_id,
            agent_id=ticket.assignee_id,
            team=ticket.team,
            email=ticket.requester.email,
            now=support.now(),
        )
    )
    if survey.status is SurveyStatus.PENDING:
        await send_mail(support.settings.smtp, survey_mail(support, survey, ticket.subject))
        await support.surveys.mark_sent(survey.id, support.now())
    return survey


async def answer_survey(
    support: Components, survey_id: str, *, token: str, score: int, comment: str | None
) -> Survey:
    secret = support.settings.survey_link_secret.get_secret_value()
    if not token_is_valid(secret, survey_id, token):
        raise NotAllowed("This survey link is not valid.")
    survey = await support.surveys.get(survey_id)
    if survey is None:
        raise RecordNotFound("No such survey.")
    answered, events = answer(survey, score=score, comment=comment, now=support.now())
    await support.surveys.record_answer(answered, events)
    return answered
