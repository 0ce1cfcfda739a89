"""/api/v1/inbound-email: the mail provider's webhook posting raw RFC 822 messages.

Public (no user token) but signed with the shared secret from settings; see
``domain.mail_signature``. Answers 200 for a message already taken in, so a
provider's retry is harmless.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from crm_chassis.errors import FieldError, InvalidInput, PayloadTooLarge, Unauthenticated
from support.api.deps import SupportDep
from support.domain.inbound_mail import UnreadableMail, parse_inbound_mail
from support.domain.mail_signature import inbound_signature_is_valid
from support.operations.inbound_mail import MailOutcome, receive_mail

router = APIRouter(prefix="/api/v1/inbound-email", tags=["inbound-email"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def receive_inbound_email(
    request: Request,
    support: SupportDep,
    response: Response,
    x_signature: Annotated[str, Header()],
    x_signature_timestamp: Annotated[int, Header()],
) -> MailOutcome:
    settings = support.settings
    raw = await request.body()
    if len(raw) > settings.inbound_email_max_bytes:
        raise PayloadTooLarge(f"Messages are limited to {settings.inbound_email_max_bytes} bytes.")
    valid = inbound_signature_is_valid(
        settings.inbound_email_secret.get_secret_value(),
        timestamp=x_signature_timestamp,
        signature=x_signature,
        raw=raw,
        now=support.now().timestamp(),
        max_age_seconds=settings.inbound_email_max_age_seconds,
    )
    if not valid:
        raise Unauthenticated("The message signature is not valid.")
    try:
        mail = parse_inbound_mail(raw)
    except UnreadableMail as unreadable:
        raise InvalidInput(
            str(unreadable), errors=[FieldError(field="body", reason=str(unreadable))]
        ) from None
    outcome = await receive_mail(support, mail)
    if outcome.duplicate:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/api/v1/tickets/{outcome.ticket_id}"
    return outcome
