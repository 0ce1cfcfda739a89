"""A person's notification preferences: read (defaults filled in) and replaced."""

from __future__ import annotations

from crm_chassis.clock import utc_now
from notifications.components import Components
from notifications.domain.preferences import Preferences


async def preferences_of(parts: Components, user_id: str) -> Preferences:
    return await parts.preferences.get(user_id)


async def replace_preferences(
    parts: Components, user_id: str, preferences: Preferences
) -> Preferences:
    await parts.preferences.put(user_id, preferences, utc_now())
    return preferences
