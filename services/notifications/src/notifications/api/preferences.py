"""Your notification preferences: channels per kind, quiet hours, digest, language."""

from __future__ import annotations

from fastapi import APIRouter

from notifications.api.deps import ComponentsDep, Me
from notifications.api.models import PreferencesIn, PreferencesOut
from notifications.operations import preferences as use

router = APIRouter(prefix="/api/v1/notification-preferences", tags=["notifications"])


@router.get("", response_model=PreferencesOut)
async def get_preferences(parts: ComponentsDep, me: Me) -> PreferencesOut:
    """Your preferences, defaults filled in (every kind named in ``channels``)."""
    return PreferencesOut.of(await use.preferences_of(parts, me.subject))


@router.put("", response_model=PreferencesOut)
async def put_preferences(parts: ComponentsDep, me: Me, body: PreferencesIn) -> PreferencesOut:
    """Replace your preferences with this whole document; kinds left out of ``channels``
    keep their default."""
    saved = await use.replace_preferences(parts, me.subject, body.to_domain())
    return PreferencesOut.of(saved)
