"""``/api/v1/customer-keys``: encryption key rotation for personal numbers (C-10)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from customer.api.deps import AdministerCustomers, ComponentsDep

router = APIRouter(prefix="/api/v1/customer-keys", tags=["privacy"])


class RotationOut(BaseModel):
    active_key_id: str
    rewritten: int


@router.post("/rotation", response_model=RotationOut)
async def rotate_keys(
    parts: ComponentsDep,
    principal: AdministerCustomers,
) -> RotationOut:
    """Re-encrypt every phone and national id still under an older key with the active
    key (``CRM_PII_ACTIVE_KEY``). Old keys may be removed from ``CRM_PII_KEYS`` after."""
    rewritten = await parts.customers.reencrypt()
    return RotationOut(active_key_id=parts.cipher.active_key_id, rewritten=rewritten)
