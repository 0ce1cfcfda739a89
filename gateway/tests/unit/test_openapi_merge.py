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


def _page(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}}
        },
    }


def _with(document: dict[str, Any], **schemas: dict[str, Any]) -> dict[str, Any]:
    document["components"]["schemas"].update(schemas)
    return document


def test_a_schema_of_the_same_text_referring_to_a_renamed_schema_is_kept_apart() -> None:
    # Both documents have a Page_SubscriptionOut_ of the same text, but each one's
    # SubscriptionOut is another schema (webhook subscriptions / marketing consent).
    gateway = _with(
        _doc("/api/v1/webhook-subscriptions", "Page_SubscriptionOut_", {}, "webhooks:read"),
        Page_SubscriptionOut_=_page("SubscriptionOut"),
        SubscriptionOut={"title": "webhook subscription"},
    )
    marketing = _with(
        _doc("/api/v1/subscriptions", "Page_SubscriptionOut_", {}, "consent:read"),
        Page_SubscriptionOut_=_page("SubscriptionOut"),
        SubscriptionOut={"title": "consent"},
    )

    merged = merge_documents({"gateway": gateway, "marketing": marketing})

    schemas = merged["components"]["schemas"]

    def listed(path: str) -> dict[str, Any]:
        response = merged["paths"][path]["get"]["responses"]["200"]
        ref = response["content"]["application/json"]["schema"]["$ref"]
        page = schemas[ref.rsplit("/", 1)[1]]
        item_ref = page["properties"]["items"]["items"]["$ref"]
        return dict(schemas[item_ref.rsplit("/", 1)[1]])

    assert listed("/api/v1/webhook-subscriptions") == {"title": "webhook subscription"}
    assert listed("/api/v1/subscriptions") == {"title": "consent"}
    assert schemas["MarketingPage_SubscriptionOut_"] == _page("MarketingSubscriptionOut")


def test_a_schema_identical_down_to_what_it_refers_to_is_still_shared() -> None:
    customer = _with(
        _doc("/api/v1/customers", "Page_Tag_", {}, "customers:read"),
        Page_Tag_=_page("Tag"),
        Tag={"title": "tag"},
    )
    sales = _with(
        _doc("/api/v1/leads", "Page_Tag_", {}, "leads:read"),
        Page_Tag_=_page("Tag"),
        Tag={"title": "tag"},
    )

    merged = merge_documents({"customer": customer, "sales": sales})

    assert sorted(merged["components"]["schemas"]) == ["Page_Tag_", "Tag"]


def test_a_prefixed_name_that_is_taken_already_gets_a_number() -> None:
    customer = _with(
        _doc("/api/v1/customers", "Item", {"title": "customer"}, "customers:read"),
        SalesItem={"title": "customer's own SalesItem"},
    )
    sales = _doc("/api/v1/leads", "Item", {"title": "lead"}, "leads:read")

    merged = merge_documents({"customer": customer, "sales": sales})

    schemas = merged["components"]["schemas"]
    assert schemas["SalesItem"] == {"title": "customer's own SalesItem"}
    assert schemas["SalesItem2"] == {"title": "lead"}
