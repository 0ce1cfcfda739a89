"""Email templates: checked in the sandbox when saved, rendered for a preview (M-3).

Rendering is CPU work bounded by the sandbox's budget; it runs off the event loop.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crm_chassis.auth import Principal
from crm_chassis.domain_errors import RecordNotFound
from marketing.domain import templates as rules
from marketing.domain.templates import EmailTemplate, RenderedEmail, TemplateContent
from marketing.operations.access import require_manager
from marketing.store.templates import TemplateStore


async def create_template(
    templates: TemplateStore,
    principal: Principal,
    *,
    name: str,
    content: TemplateContent,
    now: datetime,
) -> EmailTemplate:
    await asyncio.to_thread(rules.validate_template, content)
    template = EmailTemplate(
        id=uuid.uuid4().hex,
        name=name,
        subject=content.subject,
        html=content.html,
        text=content.text,
        owner_id=principal.subject,
        team=principal.team,
        created_at=now,
        updated_at=now,
    )
    await templates.insert(template)
    return template


async def change_template(
    templates: TemplateStore,
    principal: Principal,
    template_id: str,
    version: int | None,
    changes: Mapping[str, Any],
    now: datetime,
) -> EmailTemplate:
    current = await templates.require(template_id)
    require_manager(principal, current, "template")
    changed = current.model_copy(update={**changes, "updated_at": now})
    await asyncio.to_thread(rules.validate_template, changed.content())
    return await templates.save(changed, current.version if version is None else version)


async def preview_template(
    templates: TemplateStore, template_id: str, values: Mapping[str, str]
) -> RenderedEmail:
    """The template rendered for a sample customer, with ``values`` taking precedence."""
    template = await templates.require(template_id)
    return await asyncio.to_thread(
        rules.render, template.content(), {**rules.SAMPLE_CUSTOMER, **values}
    )


async def delete_template(templates: TemplateStore, principal: Principal, template_id: str) -> None:
    current = await templates.require(template_id)
    require_manager(principal, current, "template")
    if not await templates.delete(template_id):
        raise RecordNotFound(f"No email template {template_id}.")
