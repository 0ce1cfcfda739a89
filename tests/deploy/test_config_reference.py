"""The configuration reference in docs/DEPLOYMENT.md is generated from the settings classes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def test_the_configuration_reference_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "deploy/config_reference.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_reference_lists_every_variable_of_every_deployable(config_reference: Any) -> None:
    document = (ROOT / "docs" / "DEPLOYMENT.md").read_text()
    for deployable in config_reference.DEPLOYABLES:
        for variable in config_reference.describe(deployable).names():
            assert f"`{variable}`" in document, f"{deployable}: {variable}"


def test_production_needs_the_broker_database_and_a_token_key(config_reference: Any) -> None:
    for deployable in config_reference.DEPLOYABLES:
        needed = config_reference.describe(deployable).needed_in_production()
        flat = {name for group in needed for name in group}
        assert {"CRM_MONGO_URL", "CRM_AMQP_URL", "CRM_PROFILE", "CRM_HTTP_HOST"} <= flat
        key = "CRM_JWT_PRIVATE_KEY" if deployable == "gateway" else "CRM_JWT_PUBLIC_KEY"
        assert (key, f"{key}_FILE") in needed
    assert ("CRM_REDIS_URL",) in config_reference.describe("gateway").needed_in_production()
    assert ("CRM_EVENTS__AMQP_URL",) not in config_reference.describe(
        "sales"
    ).needed_in_production()
