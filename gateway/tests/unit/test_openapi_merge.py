"""Merging the services' OpenAPI documents into the gateway's one document."""

from __future__ import annotations

from typing import Any

from gateway.domain.openapi import merge_documents


def _doc(path: str, schema_name: str, schema: dict[str, Any], scope: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "paths": {
            path: {
                "get": {
                    "security": [{"OAuth2PasswordBearer": [scope]}],
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{schema_name}"}
                                }
                            }
                        }
                    },
                }
            },
            "/healthz": {"get": {"responses": {}}},
        },
        "components": {
            "schemas": {schema_name: schema},
            "securitySchemes": {
                "OAuth2PasswordBearer": {
                    "type": "oauth2",
                    "flows": {"password": {"tokenUrl": "token", "scopes": {scope: scope}}},
                }
            },
        },
    }


def test_paths_of_every_service_are_merged_and_tagged_with_the_service() -> None:
    merged = merge_documents(
        {
            "customer": _doc("/api/v1/customers", "Customer", {"type": "object"}, "customers:read"),
            "sales": _doc("/api/v1/leads", "Lead", {"type": "object"}, "leads:read"),
        }
    )

    assert set(merged["paths"]) == {"/api/v1/customers", "/api/v1/leads"}
    assert merged["paths"]["/api/v1/leads"]["get"]["x-crm-service"] == "sales"
    assert merged["openapi"] == "3.1.0"


def test_security_schemes_merge_their_scopes_and_point_at_the_gateway_token_url() -> None:
    merged = merge_documents(
        {
            "customer": _doc("/api/v1/customers", "Customer", {}, "customers:read"),
            "sales": _doc("/api/v1/leads", "Lead", {}, "leads:read"),
        }
    )

    flow = merged["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]
    assert set(flow["scopes"]) == {"customers:read", "leads:read"}
    assert flow["tokenUrl"] == "/api/v1/auth/token"


def test_a_schema_name_two_services_define_differently_is_renamed_with_its_refs() -> None:
    merged = merge_documents(
        {
            "customer": _doc("/api/v1/customers", "Item", {"title": "customer"}, "customers:read"),
            "sales": _doc("/api/v1/leads", "Item", {"title": "lead"}, "leads:read"),
        }
    )

    schemas = merged["components"]["schemas"]
    assert schemas["Item"] == {"title": "customer"}
    assert schemas["SalesItem"] == {"title": "lead"}
    response = merged["paths"]["/api/v1/leads"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"]["$ref"].endswith("/SalesItem")


def test_identical_schemas_are_shared() -> None:
    merged = merge_documents(
        {
            "customer": _doc("/api/v1/customers", "Problem", {"title": "p"}, "customers:read"),
            "sales": _doc("/api/v1/leads", "Problem", {"title": "p"}, "leads:read"),
        }
    )

    assert list(merged["components"]["schemas"]) == ["Problem"]
