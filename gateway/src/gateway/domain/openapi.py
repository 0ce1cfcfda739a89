"""One OpenAPI 3.1 document for the whole platform, as the gateway exposes it.

Each service's ``/api/v1/`` paths are copied with their schemas. A schema name two
services define differently is renamed with the service as prefix (and every
reference to it in that service's part rewritten), so nothing is silently
replaced. "Differently" includes what a schema refers to: two ``Page_SubscriptionOut_``
of the same text whose ``SubscriptionOut`` differ are two schemas. Security schemes of
the same name are merged (union of OAuth2 scopes).
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from typing import Any

from gateway.domain.routing import API_PREFIX

REF_PREFIX = "#/components/schemas/"
TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a URL


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        rewritten = {key: _rewrite_refs(value, renames) for key, value in node.items()}
        ref = rewritten.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            name = ref[len(REF_PREFIX) :]
            if name in renames:
                rewritten["$ref"] = REF_PREFIX + renames[name]
        return rewritten
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _merge_security_scheme(merged: dict[str, Any], name: str, scheme: Mapping[str, Any]) -> None:
    existing = merged.get(name)
    if existing is None:
        merged[name] = copy.deepcopy(dict(scheme))
        return
    for flow_name, flow in (scheme.get("flows") or {}).items():
        target = existing.setdefault("flows", {}).setdefault(flow_name, copy.deepcopy(flow))
        target.setdefault("scopes", {}).update(flow.get("scopes") or {})


def _with_gateway_token_url(schemes: dict[str, Any]) -> dict[str, Any]:
    for scheme in schemes.values():
        password_flow = (scheme.get("flows") or {}).get("password")
        if password_flow is not None:
            password_flow["tokenUrl"] = TOKEN_URL
    return schemes


def _renames(service: str, own: Mapping[str, Any], merged: Mapping[str, Any]) -> dict[str, str]:
    """New names for the schemas of ``service`` that would clash with merged ones.

    A schema keeps its name only when the merged schema of that name is the same once
    its references are rewritten too; renaming one schema can make those that refer to it
    differ, so this repeats until nothing more needs a new name.
    """
    renames: dict[str, str] = {}
    taken = set(merged) | set(own)
    changed = True
    while changed:
        changed = False
        for name, schema in own.items():
            if name in renames or name not in merged:
                continue
            if merged[name] != _rewrite_refs(schema, renames):
                renames[name] = _free_name(f"{service.capitalize()}{name}", taken)
                taken.add(renames[name])
                changed = True
    return renames


def _free_name(wanted: str, taken: Collection[str]) -> str:
    name, number = wanted, 2
    while name in taken:
        name, number = f"{wanted}{number}", number + 1
    return name


def merge_documents(
    documents: Mapping[str, Mapping[str, Any]],
    *,
    title: str = "CRM platform API",
    version: str = "1.0.0",
    description: str = "",
) -> dict[str, Any]:
    """Merge ``{service: openapi document}``; the first service to declare a path keeps it."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    security_schemes: dict[str, Any] = {}
    tags: dict[str, dict[str, Any]] = {}
    for service, document in documents.items():
        components = document.get("components") or {}
        own_schemas: Mapping[str, Any] = components.get("schemas") or {}
        renames = _renames(service, own_schemas, schemas)
        for name, schema in own_schemas.items():
            schemas[renames.get(name, name)] = _rewrite_refs(schema, renames)
        for name, scheme in (components.get("securitySchemes") or {}).items():
            _merge_security_scheme(security_schemes, name, scheme)
        for tag in document.get("tags") or []:
            tags.setdefault(tag["name"], dict(tag))
        for template, item in (document.get("paths") or {}).items():
            if template.startswith(API_PREFIX) and template not in paths:
                operations = _rewrite_refs(item, renames)
                for operation in operations.values():
                    if isinstance(operation, dict) and "responses" in operation:
                        operation["x-crm-service"] = service
                        operation.setdefault("tags", [service])
                paths[template] = operations
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": _with_gateway_token_url(security_schemes),
        },
    }
    if tags:
        merged["tags"] = list(tags.values())
    return merged


def without_prefixes(document: dict[str, Any], prefixes: Collection[str]) -> dict[str, Any]:
    """The document minus paths under the gateway's own prefixes (those stay the gateway's)."""
    paths = {
        template: item
        for template, item in (document.get("paths") or {}).items()
        if template[len(API_PREFIX) :].split("/", 1)[0] not in prefixes
    }
    return {**document, "paths": paths}


def merge_platform_documents(
    own: Mapping[str, Any], services: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The document ``GET /openapi.json`` serves: the gateway's own routes, then each
    service's (already without the gateway's prefixes)."""
    return merge_documents(
        {"gateway": own, **services},
        title="CRM platform API",
        version=str(own.get("info", {}).get("version", "1.0.0")),
        description=(
            "Every route of the platform as the gateway exposes it. Get a token "
            "at POST /api/v1/auth/token; each operation's OAuth2 scopes are the "
            "permissions it needs."
        ),
    )
