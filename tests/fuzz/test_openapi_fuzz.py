"""Every operation of the merged OpenAPI, fuzzed through the gateway with a token per role.

Schemathesis generates requests from the gateway's merged document, valid and invalid
alike. For each one:
- a caller holding the operation's permission never gets a 5xx, and every response has
  the documented content type and matches the documented schema;
- a request valid by the schema is never refused for a reason the schema states (422
  naming a missing, unknown or mistyped field): the schema says what the service takes;
- a caller without the permission gets 403 and a problem document, never data;
- a sales rep's lists only ever hold records the rep owns (no leak across owners).
And the other direction, once per operation: the first valid request sent again with
a query parameter, and with a body field, that the schema does not declare is refused
with 422 naming it (never answered as if it had not been sent).

One test per service (the operations whose path that service publishes), so a bug found
in one team's service is reported against it.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from crm_contracts.access import ROLE_PERMISSIONS, Permission, Role
from crm_e2e.harness import SERVICES, Platform

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.errors import SerializationNotPossible  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
)

pytestmark = pytest.mark.e2e

# Examples per operation and generation mode: small in `make test`; raise it for a deep run
# (CRM_FUZZ_EXAMPLES=50 make chaos).
EXAMPLES = int(os.environ.get("CRM_FUZZ_EXAMPLES", "2"))
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
# Records a sales rep may only see when they own them.
OWNED_LISTS = ("/api/v1/customers", "/api/v1/opportunities", "/api/v1/leads", "/api/v1/orders")
# Refusals of a request for what its schema states (pydantic's error types): a request
# the schema allows must never get one. Rules a schema cannot state (value_error from a
# validator, a domain rule's 422 without a type) are not schema drift.
SCHEMA_REFUSALS = frozenset(
    {
        "missing",
        "extra_forbidden",
        "string_type",
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "list_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
        "string_too_short",
        "string_too_long",
        "too_short",
        "too_long",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "multiple_of",
        "string_pattern_mismatch",
        "literal_error",
        "enum",
        "none_required",
        "union_tag_invalid",
        "union_tag_not_found",
    }
)
UNKNOWN_PARAMETER = "fuzz_undeclared"
UNKNOWN_FIELD = "fuzz_undeclared_field"


@pytest.fixture(scope="session")
def fuzz_schema(fuzz_platform: Platform) -> Any:
    spec = requests.get(f"{fuzz_platform.gateway_url}/openapi.json", timeout=30).json()
    return schemathesis.openapi.from_dict(spec)


@pytest.fixture(scope="session")
def paths_by_owner(fuzz_platform: Platform, fuzz_schema: Any) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for name in SERVICES:
        spec = requests.get(f"{fuzz_platform.service_urls[name]}/openapi.json", timeout=30).json()
        owners[name] = {path for path in spec["paths"] if path.startswith("/api/v1/")}
    every = {path for path in fuzz_schema.raw_schema["paths"] if path.startswith("/api/v1/")}
    owners["gateway"] = every - set().union(*owners.values())
    return owners


@pytest.fixture(scope="session")
def fuzz_session() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def scope_of(operation: Any) -> Permission | None:
    for requirement in operation.definition.raw.get("security") or []:
        for scopes in requirement.values():
            for scope in scopes:
                return Permission(scope)
    return None


def roles_with(permission: Permission | None, has: bool) -> list[Role]:
    if permission is None:
        return list(Role) if has else []
    return [role for role in Role if (permission in ROLE_PERMISSIONS[role]) == has]


def case_key(case: Any) -> int:
    return zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode())


def pick(roles: list[Role], case: Any) -> Role:
    """Spread the examples of one operation over the roles, deterministically."""
    return roles[case_key(case) % len(roles)]


@pytest.mark.timeout(900)
@pytest.mark.parametrize("owner", [*SERVICES, "gateway"])
def test_fuzzed_operations_hold_for_every_role(
    owner: str,
    fuzz_platform: Platform,
    fuzz_schema: Any,
    paths_by_owner: dict[str, set[str]],
    fuzz_session: requests.Session,
) -> None:
    failures: list[str] = []
    operations = [
        result.ok()
        for result in fuzz_schema.get_all_operations()
        if result.ok().path in paths_by_owner[owner]
    ]
    assert operations, f"no operations published by {owner}"
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += fuzz_operation(operation, mode, fuzz_platform, fuzz_session)
    assert not failures, "\n".join(failures[:20])


def test_every_json_body_schema_says_it_refuses_undeclared_fields(fuzz_schema: Any) -> None:
    """Every object a JSON request body may hold declares ``additionalProperties: false``,
    as the services refuse undeclared fields: generated clients are not misled."""
    document = fuzz_schema.raw_schema
    schemas = document["components"]["schemas"]
    lenient: set[str] = set()
    seen: set[str] = set()

    def walk(node: Any, where: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, where)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                walk(schemas[name], name)
            return
        if "properties" in node and node.get("additionalProperties") is not False:
            lenient.add(where)
        for value in node.values():
            walk(value, where)

    for template, item in document["paths"].items():
        for method, operation in item.items():
            content = (operation.get("requestBody") or {}).get("content") or {}
            if isinstance(operation, dict) and "application/json" in content:
                walk(content["application/json"]["schema"], f"{method.upper()} {template}")
    assert not lenient, sorted(lenient)


def fuzz_operation(
    operation: Any, mode: Any, platform: Platform, session: requests.Session
) -> list[str]:
    failures: list[str] = []
    permission = scope_of(operation)
    # The undeclared-input probe runs on the first valid request of the operation only.
    probe_next = mode == GenerationMode.POSITIVE

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        nonlocal probe_next
        label = f"{operation.method.upper()} {operation.path} ({mode.value})"
        try:
            if probe_next:
                probe_next = False
                probed = send_undeclared_inputs(case, permission, platform, session)
                plain = check_case(case, permission, platform, session, mode)
                check_undeclared_inputs_refused(probed, plain)
            else:
                check_case(case, permission, platform, session, mode)
        except AssertionError as error:
            failures.append(f"{label}: {error}"[:600])
        except SerializationNotPossible:
            raise
        except (Exception, BaseExceptionGroup) as error:  # schemathesis' own failure types
            failures.append(f"{label}: {type(error).__name__}: {error}"[:600])

    # No invalid request exists for an input-less operation; bodies of a media type that
    # cannot be generated (message/rfc822 inbound mail) are covered by the service's tests.
    with contextlib.suppress(Unsatisfiable, SerializationNotPossible):
        run()
    return failures


def caller_headers(
    case: Any, permission: Permission | None, platform: Platform
) -> tuple[Role, str, dict[str, str]]:
    """The role and subject that send ``case``, and their ``Authorization`` header."""
    allowed = pick(roles_with(permission, has=True), case)
    # Many subjects per role, so that the gateway's per-caller rate limit is never reached.
    subject = f"fuzz-{allowed.value}-{case_key(case) % 97}"
    token = platform.keys.token(allowed, subject=subject, team="fuzz-team")
    return allowed, subject, {"Authorization": f"Bearer {token}"}


def check_case(
    case: Any,
    permission: Permission | None,
    platform: Platform,
    session: requests.Session,
    mode: Any,
) -> Any:
    """Send ``case`` as a permitted caller and as a refused one; the permitted response."""
    allowed, subject, headers = caller_headers(case, permission, platform)
    response = case.call(
        base_url=platform.gateway_url, session=session, headers=headers, timeout=30
    )
    case.validate_response(response, checks=CHECKS)
    if mode == GenerationMode.POSITIVE:
        assert_not_refused_for_its_schema(response)
    assert_no_foreign_records(case, response, allowed, subject)

    refused = roles_with(permission, has=False)
    if refused:
        other = pick(refused, case)
        other_token = platform.keys.token(other, subject=f"fuzz-{other.value}-{subject}")
        denied = case.call(
            base_url=platform.gateway_url,
            session=session,
            headers={"Authorization": f"Bearer {other_token}"},
            timeout=30,
        )
        # Refused before or at authorisation; either way a problem document and no data.
        assert denied.status_code in (400, 403, 413, 422), (other.value, denied.status_code)
        assert content_type(denied).startswith("application/problem+json")
    return response


def refused_fields(response: Any) -> list[tuple[str, str | None]]:
    """``(field, type)`` of each error a 422 problem document lists."""
    errors = response.json().get("errors") or []
    return [(str(error.get("field")), error.get("type")) for error in errors]


def assert_not_refused_for_its_schema(response: Any) -> None:
    """A request the schema allows is not refused for what the schema states."""
    if response.status_code != 422:
        return
    drift = [(f, t) for f, t in refused_fields(response) if t in SCHEMA_REFUSALS]
    assert not drift, f"a schema-valid request was refused for {drift}"


def send_undeclared_inputs(
    case: Any, permission: Permission | None, platform: Platform, session: requests.Session
) -> dict[str, requests.Response]:
    """``case`` sent with a query parameter, and (for a JSON object body) with a body
    field, that its operation does not declare; before ``case`` itself, so that a
    request wrongly accepted cannot be hidden by what ``case`` then changes."""
    _, _, headers = caller_headers(case, permission, platform)
    sent: dict[str, requests.Response] = {}
    kwargs = case.as_transport_kwargs(base_url=platform.gateway_url, headers=headers)
    params = {**(kwargs.get("params") or {}), UNKNOWN_PARAMETER: "1"}
    sent[f"query.{UNKNOWN_PARAMETER}"] = session.request(**{**kwargs, "params": params}, timeout=30)
    if isinstance(case.body, dict) and "json" in (case.media_type or ""):
        body = {**case.body, UNKNOWN_FIELD: "x"}
        sent[f"body.{UNKNOWN_FIELD}"] = session.request(
            **{key: value for key, value in kwargs.items() if key not in ("json", "data")},
            json=body,
            timeout=30,
        )
    return sent


def check_undeclared_inputs_refused(probed: dict[str, requests.Response], plain: Any) -> None:
    """An undeclared input is never accepted; when the request without it was accepted,
    it gets 422 naming the input (``query.<name>`` or ``body.<field>``)."""
    for field, response in probed.items():
        assert response.status_code >= 400, f"{field} was accepted ({response.status_code})"
        if plain.status_code >= 300:
            continue
        assert response.status_code == 422, f"{field}: {response.status_code}, not 422"
        assert (field, "extra_forbidden") in refused_fields(response), (
            f"{field} not named: {refused_fields(response)}"
        )


def content_type(response: Any) -> str:
    """Schemathesis keeps every header as a list of values."""
    value = response.headers.get("content-type") or response.headers.get("Content-Type") or ""
    return str(value[0] if isinstance(value, list) else value)


def assert_no_foreign_records(case: Any, response: Any, role: Role, subject: str) -> None:
    if role != Role.SALES_REP or case.method != "GET" or response.status_code != 200:
        return
    if case.operation.path not in OWNED_LISTS:
        return
    for item in response.json().get("items", []):
        assert item.get("owner_id") == subject, (case.operation.path, item.get("owner_id"))
