"""API3 broken object property level authorisation: fields a caller may not set (owner, role,
tier, version, computed values) cannot be written through request bodies."""

from __future__ import annotations

import uuid

import pytest

from crm_contracts.access import Role
from crm_e2e.harness import Platform
from security.factories import create_customer, create_opportunity, person

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "extra",
    [
        {"tier": "SVIP"},
        {"version": 99},
        {"member_id": "VIP00000001"},
        {"consumption": {"total": "999999.00"}},
        {"role": "admin"},
        {"id": "chosen-id"},
    ],
    ids=["tier", "version", "member_id", "consumption", "role", "id"],
)
async def test_customer_body_cannot_set_computed_or_privileged_fields(
    secured_platform: Platform, extra: dict[str, object]
) -> None:
    _, rep = person(secured_platform, Role.SALES_REP, team="north")
    async with rep:
        created = await rep.post("/api/v1/customers", json={"name": "Mass", **extra})
        if created.status_code == 201:
            body = created.json()
            assert body["tier"] != "SVIP"
            assert body["version"] != 99
            assert body["id"] != "chosen-id"
            assert body["member_id"] != "VIP00000001"
        else:
            assert created.status_code == 422, created.text

        customer = await create_customer(rep)
        patched = await rep.patch(
            f"/api/v1/customers/{customer['id']}",
            json=extra,
            headers={"If-Match": f'"{customer["version"]}"'},
        )
        assert patched.status_code in (200, 422), patched.text
        after = (await rep.get(f"/api/v1/customers/{customer['id']}")).json()
        assert after["tier"] == customer["tier"]
        assert after["member_id"] == customer["member_id"]
        assert after["id"] == customer["id"]


async def test_rep_cannot_give_an_opportunity_to_someone_else_or_create_one_for_them(
    secured_platform: Platform,
) -> None:
    """A rep owns what they create and keeps what they own: an owner they name is not
    taken (only managers and admins may name another rep), and the answer shows the
    owner the record really has."""
    alice_id, alice = person(secured_platform, Role.SALES_REP, team="north")
    async with alice:
        created = await create_opportunity(alice, owner_id="someone-else")
        assert created["owner_id"] == alice_id

        deal = await create_opportunity(alice)
        moved = await alice.patch(
            f"/api/v1/opportunities/{deal['opportunity_id']}",
            json={"owner_id": "someone-else"},
            headers={"If-Match": f'"{deal["version"]}"'},
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["owner_id"] == alice_id
        after = await alice.get(f"/api/v1/opportunities/{deal['opportunity_id']}")
        assert after.status_code == 200
        assert after.json()["owner_id"] == alice_id


async def test_admin_cannot_create_a_user_with_an_unknown_role(secured_platform: Platform) -> None:
    async with secured_platform.admin() as admin:
        response = await admin.post(
            "/api/v1/users",
            json={
                "email": f"u{uuid.uuid4().hex[:6]}@example.com",
                "password": "a-long-password-123",
                "roles": ["superuser"],
            },
        )
    assert response.status_code == 422
