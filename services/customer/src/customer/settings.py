"""Configuration of the customer service (environment variables, prefix ``CRM_``)."""

from __future__ import annotations

import base64

from pydantic import Field, SecretStr, model_validator

from crm_chassis.settings import NO_SECRET, ServiceSettings

# Fixed keys for the development profile only, so that a service started by hand reads
# back what it stored before a restart (make run, compose and the test platforms pass
# keys of their own). Any other profile refuses to start without CRM_PII_KEYS and
# CRM_PII_INDEX_KEY, and refuses these values.
_DEV_KEY_ID = "dev1"
_DEV_DATA_KEY = SecretStr(base64.b64encode(b"crm-customer-dev-data-key-32byte").decode())
_DEV_INDEX_KEY = "crm-customer-development-blind-index-key"


class Settings(ServiceSettings):
    service_name: str = "customer"
    secret_settings = ("pii_index_key",)
    http_port: int = Field(default=8101, ge=1, le=65535)
    # Imports upload whole spreadsheets (100,000 CSV rows are about 8 MB); the same
    # 10 MiB as the gateway allows.
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)

    pii_keys: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="AES-256 keys by key id, each 32 bytes in base64; old ids stay for reading.",
    )
    pii_active_key: str = ""
    pii_index_key: SecretStr = NO_SECRET

    import_batch_rows: int = Field(default=5000, ge=1, le=5000)
    import_max_rows: int = Field(default=200_000, ge=1)
    # An .xlsx is checked against these before openpyxl reads it: a sheet's declared
    # extent and a zip's unpacked size cost time and memory, not its upload size.
    import_max_columns: int = Field(default=256, ge=1, le=16_384)
    import_max_unpacked_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    import_max_reported_errors: int = Field(default=500, ge=1)

    def missing_secrets(self) -> list[str]:
        missing = super().missing_secrets()
        return missing if self.pii_keys else ["CRM_PII_KEYS", "CRM_PII_ACTIVE_KEY", *missing]

    def fill_development_secrets(self) -> None:
        super().fill_development_secrets()
        if not self.pii_keys:
            object.__setattr__(self, "pii_keys", {_DEV_KEY_ID: _DEV_DATA_KEY})
            object.__setattr__(self, "pii_active_key", self.pii_active_key or _DEV_KEY_ID)

    def development_secret(self, name: str) -> str:
        return _DEV_INDEX_KEY if name == "pii_index_key" else super().development_secret(name)

    @model_validator(mode="after")
    def _keys_are_usable(self) -> Settings:
        if self.pii_active_key not in self.pii_keys:
            raise ValueError("CRM_PII_ACTIVE_KEY must name one of CRM_PII_KEYS")
        for key_id, key in self.pii_keys.items():
            raw = base64.b64decode(key.get_secret_value(), validate=True)
            if len(raw) != 32:
                raise ValueError(f"PII key {key_id!r} must be 32 bytes (AES-256)")
        if self.profile != "development" and (
            _DEV_DATA_KEY in self.pii_keys.values()
            or self.pii_index_key.get_secret_value() == _DEV_INDEX_KEY
        ):
            raise ValueError("production needs its own CRM_PII_KEYS and CRM_PII_INDEX_KEY")
        return self
