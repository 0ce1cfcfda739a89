"""Public web forms (S-1): what a form feeds into a lead, and the spam rules it applies."""

from __future__ import annotations

from pydantic import BaseModel, Field

FORM_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"


class WebForm(BaseModel):
    form_id: str = Field(pattern=FORM_ID_PATTERN)
    name: str = Field(min_length=1, max_length=120)
    campaign_id: str | None = None
    product: str | None = None
    enabled: bool = True
    submissions_per_minute: int | None = Field(default=None, ge=1, le=10_000)


def looks_like_spam(honeypot: str | None, email: str | None, phone: str | None) -> bool:
    """A filled hidden field means a bot; a submission without any way to reply is useless."""
    if honeypot:
        return True
    return not (email or phone)
