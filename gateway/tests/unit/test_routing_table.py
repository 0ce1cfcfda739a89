"""The routing table built from the services' OpenAPI documents."""

from __future__ import annotations

from typing import Any

from gateway.domain.routing import Operation, RouteTable


def _doc(paths: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": paths}


def _secured(*scopes: str) -> dict[str, Any]:
    return {"security": [{"OAuth2PasswordBearer": list(scopes)}], "responses": {}}


CUSTOMER = _doc(
    {
        "/api/v1/customers": {
            "get": _secured("customers:read"),
            "post": _secured("customers:write"),
        },
        "/api/v1/customers/{customer_id}": {"get": _secured("customers:read")},
        "/api/v1/customers/import": {"post": _secured("customers:import")},
        "/internal/ping": {"get": {"responses": {}}},
    }
)
SALES = _doc({"/api/v1/web-forms/contact": {"post": {"responses": {}}}})


def _operation(table: RouteTable, method: str, path: str) -> Operation:
    found = table.match(method, path)
    assert found is not None
    assert found.operation is not None
    return found.operation


def test_each_path_maps_to_its_service_with_its_permissions() -> None:
    table = RouteTable.from_documents({"customer": CUSTOMER, "sales": SALES})

    operation = _operation(table, "GET", "/api/v1/customers/c-1")

    assert operation.service == "customer"
    assert operation.requirements == (frozenset({"customers:read"}),)
    assert not operation.public


def test_literal_segments_win_over_parameters() -> None:
    table = RouteTable.from_documents({"customer": CUSTOMER})

    operation = _operation(table, "POST", "/api/v1/customers/import")

    assert operation.template == "/api/v1/customers/import"


def test_operation_without_security_is_public() -> None:
    table = RouteTable.from_documents({"sales": SALES})

    assert _operation(table, "POST", "/api/v1/web-forms/contact").public


def test_known_path_with_another_method_lists_the_allowed_methods() -> None:
    table = RouteTable.from_documents({"customer": CUSTOMER})

    found = table.match("DELETE", "/api/v1/customers")

    assert found is not None
    assert found.operation is None
    assert found.allowed_methods == {"GET", "POST"}


def test_paths_outside_the_public_api_are_not_routed() -> None:
    table = RouteTable.from_documents({"customer": CUSTOMER})

    assert table.match("GET", "/internal/ping") is None
    assert table.match("GET", "/api/v1/unknown") is None


def test_a_path_declared_by_two_services_stays_with_the_first_and_is_reported() -> None:
    clash = _doc({"/api/v1/customers": {"get": _secured("sales:read")}})

    table = RouteTable.from_documents({"customer": CUSTOMER, "sales": clash})

    operation = _operation(table, "GET", "/api/v1/customers")
    assert operation.service == "customer"
    assert table.conflicts == ["/api/v1/customers declared by customer and sales"]


def test_permission_needs_every_scope_of_one_requirement() -> None:
    table = RouteTable.from_documents(
        {"customer": _doc({"/api/v1/x": {"get": _secured("customers:read", "customers:read_pii")}})}
    )
    operation = _operation(table, "GET", "/api/v1/x")

    assert operation.permitted(frozenset({"customers:read", "customers:read_pii"}))
    assert not operation.permitted(frozenset({"customers:read"}))


def test_an_operation_answering_with_an_event_stream_is_marked_streaming() -> None:
    stream = {
        **_secured("notifications:own"),
        "responses": {"200": {"content": {"text/event-stream": {}}}},
    }
    listed = {
        **_secured("notifications:own"),
        "responses": {"200": {"content": {"application/json": {}}}, "422": {}},
    }
    document = _doc(
        {"/api/v1/notifications/stream": {"get": stream}, "/api/v1/notifications": {"get": listed}}
    )
    table = RouteTable.from_documents({"notifications": document})

    assert _operation(table, "GET", "/api/v1/notifications/stream").streams is True
    assert _operation(table, "GET", "/api/v1/notifications").streams is False
