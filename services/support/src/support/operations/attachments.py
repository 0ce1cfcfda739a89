"""Attachments of tickets, within the configured size and type limits."""

from __future__ import annotations

from crm_chassis.domain_errors import RuleViolation
from support.components import Components
from support.operations.ids import new_id
from support.store.attachments import AttachmentMeta


class AttachmentRefused(RuleViolation):
    """Over the size limit or of a type not accepted (422 naming ``body.file``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


async def store_attachment(
    support: Components,
    *,
    ticket_id: str,
    filename: str,
    content_type: str,
    data: bytes,
    uploaded_by: str | None,
) -> AttachmentMeta:
    settings = support.settings
    if len(data) > settings.attachment_max_bytes:
        raise AttachmentRefused(
            f"Attachments are limited to {settings.attachment_max_bytes} bytes."
        )
    if content_type.split(";")[0].strip().lower() not in settings.attachment_types:
        raise AttachmentRefused(f"Attachments of type {content_type} are not accepted.")
    meta = AttachmentMeta(
        id=new_id(),
        ticket_id=ticket_id,
        filename=filename[:200],
        content_type=content_type,
        size=len(data),
        uploaded_by=uploaded_by,
        created_at=support.now(),
    )
    await support.attachments.insert(meta, data)
    return meta
