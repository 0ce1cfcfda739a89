"""/api/v1/tickets/{id}/attachments: files kept with the ticket, size- and type-limited."""

from __future__ import annotations

from fastapi import APIRouter, Response, UploadFile, status

from crm_chassis.downloads import attachment_disposition
from crm_chassis.errors import NotFound, PayloadTooLarge
from support.api.deps import ReadTickets, SupportDep, WriteTickets
from support.operations.access import visible_ticket, work_check
from support.operations.attachments import store_attachment
from support.store.attachments import AttachmentMeta

router = APIRouter(prefix="/api/v1/tickets", tags=["tickets"])


@router.post("/{ticket_id}/attachments", status_code=status.HTTP_201_CREATED)
async def upload_attachment(
    ticket_id: str,
    file: UploadFile,
    support: SupportDep,
    principal: WriteTickets,
) -> AttachmentMeta:
    ticket = await support.tickets.require(ticket_id)
    work_check(principal)(ticket)
    limit = support.settings.attachment_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"Attachments are limited to {limit} bytes.")
    return await store_attachment(
        support,
        ticket_id=ticket.id,
        filename=file.filename or "attachment",
        content_type=file.content_type or "application/octet-stream",
        data=data,
        uploaded_by=principal.subject,
    )


@router.get("/{ticket_id}/attachments")
async def list_attachments(
    ticket_id: str,
    support: SupportDep,
    principal: ReadTickets,
) -> list[AttachmentMeta]:
    await visible_ticket(support, principal, ticket_id)
    return await support.attachments.list_for(ticket_id)


@router.get("/{ticket_id}/attachments/{attachment_id}")
async def download_attachment(
    ticket_id: str,
    attachment_id: str,
    support: SupportDep,
    principal: ReadTickets,
) -> Response:
    await visible_ticket(support, principal, ticket_id)
    found = await support.attachments.get(ticket_id, attachment_id)
    if found is None:
        raise NotFound("No such attachment.")
    meta, data = found
    return Response(
        content=data,
        media_type=meta.content_type,
        headers={
            "Content-Disposition": attachment_disposition(meta.filename),
            "X-Content-Type-Options": "nosniff",
        },
    )
