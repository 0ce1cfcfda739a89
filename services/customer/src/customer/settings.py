"""Configuration of the customer service (environment variables, prefix ``CRM_``)."""

from __future__ import annotations

import base64

from pydantic import Field, SecretStr, model_validator

from crm_chassis.settings import ServiceSettings

# Development-only keys so that `make run` works out of the box; refused in production.
_DEV_DATA_KEY = SecretStr(base64.b64encode(b"crm-customer-dev-data-key-32byte").decode())
_DEV_INDEX_KEY = SecretStr("crm-customer-development-blind-index-key")


class Settings(ServiceSettings):
    service_name: str = "customer"
    http_port: int = Field(default=8101, ge=1, le=65535)
    # Imports upload whole spreadsheets (100,000 CSV rows are about 8 MB); the same
    # 10 MiB as the gateway allows.
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)

    pii_keys: dict[str, SecretStr] = Field(
        default_factory=lambda: {"dev1": _DEV_DATA_KEY},
        description="AES-256 keys by key id, each 32 bytes in base64; old ids stay for reading.",
    )
    pii_active_key: str = "dev1"
    pii_index_key: SecretStr = _DEV_INDEX_KEY

    import_batch_rows: int = Field(default=5000, ge=1, le=5000)
    import_max_rows: int = Field(default=200_000, ge=1)
    # An .xlsx is checked against these before openpyxl reads it: a sheet's declared
    # extent and a zip's unpacked size cost time and memory, not its upload size.
    import_max_columns: int = Field(default=256, ge=1, le=16_384)
    import_max_unpacked_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    import_max_reported_errors: int = Field(default=500, ge=1)

    @model_validator(mode="after")
    def _keys_are_usable(self) -> Settings:
        if self.pii_active_key not in self.pii_keys:
            raise ValueError("CRM_PII_ACTIVE_KEY must name one of CRM_PII_KEYS")
        for key_id, key in self.pii_keys.items():
            raw = base64.b64decode(key.get_secret_value(), validate=True)
            if len(raw) != 32:
                raise ValueError(f"PII key {key_id!r} must be 32 bytes (AES-256)")
        if self.profile == "production" and (
            self.pii_keys.get("dev1") == _DEV_DATA_KEY or self.pii_index_key == _DEV_INDEX_KEY
        ):
            raise ValueError("production needs its own CRM_PII_KEYS and CRM_PII_INDEX_KEY")
        return self
