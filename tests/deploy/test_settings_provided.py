"""Every environment variable a deployable must have in production is provided by its
Deployment, derived from the settings classes (deploy/config_reference.py), and the
provided environment really starts the settings class in the production profile."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

Rendered = Any  # conftest.Rendered
ROOT = Path(__file__).resolve().parents[2]
# The console's image is nginx serving built files: it has no settings class and reads no
# CRM_ variable, so these checks are for the Python deployables only (and
# test_manifest_policies checks that the console's container gets no environment).
NO_SETTINGS = {"console"}


def _deployments(overlay: Rendered) -> list[dict[str, Any]]:
    return [d for d in overlay.of_kind("Deployment") if d["metadata"]["name"] not in NO_SETTINGS]


def test_every_variable_needed_in_production_is_provided(
    overlay: Rendered, config_reference: Any, pod_env: Any
) -> None:
    for deployment in _deployments(overlay):
        name = deployment["metadata"]["name"]
        settings = config_reference.describe(name)
        env = pod_env(overlay, deployment)
        missing = [
            " or ".join(group)
            for group in settings.needed_in_production()
            if not any(variable in env for variable in group)
        ]
        assert missing == [], f"{overlay.overlay}/{name} lacks {missing}"
        assert env["CRM_PROFILE"]["value"] == "production"
        assert env["CRM_HTTP_HOST"]["value"] == "0.0.0.0"


def test_every_provided_crm_variable_is_one_the_deployable_reads(
    overlay: Rendered, config_reference: Any, pod_env: Any
) -> None:
    for deployment in _deployments(overlay):
        name = deployment["metadata"]["name"]
        known = config_reference.describe(name).names()
        unknown = sorted(
            v for v in pod_env(overlay, deployment) if v.startswith("CRM_") and v not in known
        )
        assert unknown == [], f"{overlay.overlay}/{name} sets variables it never reads: {unknown}"


def test_secret_settings_come_from_secrets_never_from_config_maps(
    overlay: Rendered, config_reference: Any, pod_env: Any
) -> None:
    for deployment in _deployments(overlay):
        name = deployment["metadata"]["name"]
        secret_names = config_reference.describe(name).secret_names()
        for variable, source in pod_env(overlay, deployment).items():
            if variable in secret_names:
                assert "secretKeyRef" in source, f"{name}: {variable} is not from a Secret"


def _sample_secret(key: str) -> str:
    """A value of the right shape for each Secret key the manifests reference."""
    if key == "pii-keys":
        return json.dumps({"k2026": base64.b64encode(secrets.token_bytes(32)).decode()})
    if key == "pii-active-key":
        return "k2026"
    if key.endswith("-url"):
        return f"scheme://user:{secrets.token_hex(8)}@host:1/"
    if key == "admin-email":
        return "ops@example.com"
    return secrets.token_urlsafe(24)


_START = """
import importlib, json, os, sys
started = {}
for deployable, env in json.loads(sys.stdin.read()).items():
    for key in [key for key in os.environ if key.startswith("CRM_")]:
        del os.environ[key]
    os.environ.update(env)
    settings = importlib.import_module(deployable + ".settings").Settings()
    started[deployable] = {"profile": settings.profile, "port": settings.http_port}
print(json.dumps(started))
"""


def test_the_prod_environment_starts_each_settings_class_in_the_production_profile(
    rendered: dict[str, Rendered], pod_env: Any, tmp_path: Path
) -> None:
    prod = rendered["prod"]
    environments = {}
    for deployment in _deployments(prod):
        env = {}
        for variable, source in pod_env(prod, deployment).items():
            if "secretKeyRef" not in source:
                env[variable] = source["value"]
            elif not source["secretKeyRef"].get("optional"):
                env[variable] = _sample_secret(source["secretKeyRef"]["key"])
        environments[deployment["metadata"]["name"]] = env
    # One interpreter for all of them (imports are the slow part); each gets only its own env.
    result = subprocess.run(
        [sys.executable, "-c", _START],
        input=json.dumps(environments),
        env={key: value for key, value in os.environ.items() if not key.startswith("CRM_")},
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    started = json.loads(result.stdout)
    for deployment in _deployments(prod):
        name = deployment["metadata"]["name"]
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert started[name]["profile"] == "production"
        assert started[name]["port"] == container["ports"][0]["containerPort"]
