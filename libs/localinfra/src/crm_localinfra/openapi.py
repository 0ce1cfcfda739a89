"""``python -m crm_localinfra openapi FILE``: the gateway's merged OpenAPI, without servers.

The console's typed client is generated from the document the gateway serves at
``/openapi.json``. The gateway builds it at run time from every service's own
document; here the same documents come from the app factories directly (routes are
declared when an app is created, before any server is needed), and the gateway's
own merge makes them one. A test compares the result with what a running gateway
serves, so the two cannot drift apart.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from crm_localinfra.platform_layout import SERVICES


def _throwaway_keys() -> tuple[str, str]:
    """A key pair the app factories accept; nothing is ever signed with it."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def merged_openapi() -> dict[str, Any]:
    """The merged document, as ``GET /openapi.json`` on the gateway answers it."""
    private, public = _throwaway_keys()
    documents: dict[str, Any] = {}
    for spec in SERVICES:
        settings = importlib.import_module(f"{spec.package}.settings").Settings(
            profile="development",
            jwt_public_key=public,  # nothing served: no secrets needed
        )
        app = importlib.import_module(f"{spec.package}.app").create_app(settings)
        documents[spec.package] = app.openapi()
    gateway_settings = importlib.import_module("gateway.settings").Settings(
        profile="development", jwt_private_key=private, jwt_public_key=public
    )
    gateway_app = importlib.import_module("gateway.app")
    pipeline = importlib.import_module("gateway.edge.pipeline")
    openapi = importlib.import_module("gateway.domain.openapi")
    own = gateway_app.own_openapi(gateway_app.create_app(gateway_settings))
    services = {
        name: openapi.without_prefixes(document, pipeline.OWN_PREFIXES)
        for name, document in documents.items()
    }
    merged: dict[str, Any] = openapi.merge_platform_documents(own, services)
    return merged


def write_merged_openapi(target: Path) -> bool:
    """Write the document to ``target``; True when its content changed."""
    text = json.dumps(merged_openapi(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if target.is_file() and target.read_text() == text:
        return False
    target.write_text(text)
    return True
