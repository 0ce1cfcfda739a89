"""What administrators change about customer notices: the templates and the steps."""

from __future__ import annotations

from crm_chassis.clock import utc_now
from notifications.components import Components
from notifications.domain.alerts import Language
from notifications.domain.customer_notices import NoticeSettings
from notifications.domain.notice_templates import NoticeKind, NoticeTemplate, check_template
from notifications.store.notice_config import StoredTemplate, Versioned


async def templates(parts: Components) -> list[StoredTemplate]:
    return await parts.notice_config.templates()


async def template(parts: Components, kind: NoticeKind, language: Language) -> StoredTemplate:
    return await parts.notice_config.template(kind, language)


async def replace_template(
    parts: Components,
    kind: NoticeKind,
    language: Language,
    template: NoticeTemplate,
    expected_version: int | None,
    by: str,
) -> StoredTemplate:
    """Save the template, refused (naming the field) when it quotes what its kind does
    not offer."""
    check_template(kind, template)
    return await parts.notice_config.put_template(
        kind, language, template, expected_version, utc_now(), by
    )


async def settings(parts: Components) -> tuple[NoticeSettings, Versioned]:
    return await parts.notice_config.settings()


async def replace_settings(
    parts: Components, settings: NoticeSettings, expected_version: int | None, by: str
) -> tuple[NoticeSettings, Versioned]:
    saved = await parts.notice_config.put_settings(settings, expected_version, utc_now(), by)
    parts.customer_mail.wake()
    return settings, saved
