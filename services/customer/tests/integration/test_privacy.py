"""Privacy (C-10): encryption at rest, masking by role, audit, erasure, data export."""

from __future__ import annotations

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role

from .conftest import Service
from .factories import customer_body

pytestmark = pytest.mark.integration


async def test_phone_and_national_id_are_unreadable_in_the_database(service: Service) -> None:
    body = customer_body(phone="13812340000", national_id="110101199003071234")
    created = await service.client.post("/api/v1/customers", json=body, headers=service.admin)
    customer_id = created.json()["id"]
    raw = await service.collection("customers").find_one({"_id": customer_id})
    assert raw is not None
    stored = repr(raw)
    assert "13812340000" not in stored
    assert "110101199003071234" not in stored
    assert raw["phone_enc"].startswith("dev1:")
    assert "phone" not in raw
    assert "national_id" not in raw


async def test_personal_numbers_are_clear_only_for_roles_with_read_pii(service: Service) -> None:
    body = customer_body(phone="13812340000", national_id="110101199003071234")
    created = await service.client.post("/api/v1/customers", json=body, headers=service.admin)
    url = created.headers["location"]
    support_view = (await service.client.get(url, headers=service.auth(Role.SUPPORT_AGENT))).json()
    assert support_view["phone"] == "13812340000"
    assert support_view["national_id"] == "110101199003071234"
    marketer_view = (
        await service.client.get(url, headers=service.auth(Role.MARKETER, subject="marketer-1"))
    ).json()
    assert marketer_view["phone"] == "138****0000"
    assert marketer_view["national_id"] == "**************1234"
    assert marketer_view["pii_masked"] is True


async def test_a_rep_sees_the_personal_numbers_of_their_own_customer(service: Service) -> None:
    """The owner works with the customer as support does: the same numbers in full, in
    every answer that shows them; a marketer, who owns nothing, still sees them masked."""
    rep = service.auth(Role.SALES_REP, subject="rep-1", team="north")
    body = customer_body(phone="13812340000", national_id="110101199003071234")
    created = await service.client.post("/api/v1/customers", json=body, headers=rep)
    assert created.status_code == 201, created.text
    url = created.headers["location"]
    contact = {"name": "Buyer", "phone": "13912345678"}
    added = await service.client.post(f"{url}/contacts", json=contact, headers=rep)
    assert added.status_code == 201, added.text

    listed = await service.client.get("/api/v1/customers", headers=rep)
    for view in (created.json(), (await service.client.get(url, headers=rep)).json(),
                 *listed.json()["items"]):  # fmt: skip
        assert (view["phone"], view["national_id"]) == ("13812340000", "110101199003071234")
        assert view["pii_masked"] is False
    contacts = (await service.client.get(f"{url}/contacts", headers=rep)).json()
    assert [c["phone"] for c in contacts] == ["13912345678"]
    assert added.json()["phone"] == "13912345678"
    marketer_view = (
        await service.client.get(url, headers=service.auth(Role.MARKETER, subject="marketer-1"))
    ).json()
    assert marketer_view["phone"] == "138****0000"


async def test_lookup_by_phone_works_through_the_blind_index(service: Service) -> None:
    body = customer_body(phone="13812340000")
    await service.client.post("/api/v1/customers", json=body, headers=service.admin)
    found = await service.client.get(
        "/api/v1/customers", params={"phone": "+86 138-1234-0000"}, headers=service.admin
    )
    assert [item["name"] for item in found.json()["items"]] == [body["name"]]


async def test_every_change_is_audited_with_masked_personal_values(service: Service) -> None:
    created = await service.client.post(
        "/api/v1/customers", json=customer_body(phone="13812340000"), headers=service.admin
    )
    url = created.headers["location"]
    await service.client.patch(
        url,
        json={"phone": "13998765432", "title": "Buyer"},
        headers={**service.auth(Role.ADMIN, subject="alice"), "If-Match": '"1"'},
    )
    trail = (await service.client.get(f"{url}/audit", headers=service.admin)).json()
    latest = trail[0]
    assert latest["actor"] == "alice"
    assert latest["action"] == "updated"
    changes = {change["field"]: change for change in latest["changes"]}
    assert changes["phone"]["before"] == "138****0000"
    assert changes["phone"]["after"] == "139****5432"
    assert changes["title"] == {"field": "title", "before": None, "after": "Buyer"}


async def test_erasure_removes_personal_data_and_tells_other_services(service: Service) -> None:
    body = customer_body(phone="13812340000")
    created = await service.client.post("/api/v1/customers", json=body, headers=service.admin)
    customer_id = created.json()["id"]
    url = created.headers["location"]
    export = await service.client.get(f"{url}/personal-data", headers=service.admin)
    assert export.json()["customer"]["phone"] == "13812340000"
    erased = await service.client.post(f"{url}/erasure", headers=service.admin)
    assert erased.status_code == 204
    raw = await service.collection("customers").find_one({"_id": customer_id})
    assert raw is not None
    assert raw["status"] == "erased"
    assert not {"email", "phone_enc", "phone_index"} & set(raw)
    assert raw["name"] == "(erased)"

    async def announced() -> bool:
        return any(
            e["data"]["customer_id"] == customer_id
            for e in service.bus.of_type("crm.customer.customer.erased.v1")
        )

    await wait_until(announced, timeout=15, what="customer.erased published")
    again = await service.client.post("/api/v1/customers", json=body, headers=service.admin)
    assert again.status_code == 201  # the phone and email are free again


async def test_key_rotation_rewrites_old_ciphertexts_under_the_new_key(service: Service) -> None:
    import base64
    import os

    from pydantic import SecretStr

    from crm_chassis.mongo import database
    from customer.components import cipher_from
    from customer.store.customers import CustomerStore

    created = await service.client.post(
        "/api/v1/customers", json=customer_body(phone="13812340000"), headers=service.admin
    )
    customer_id = created.json()["id"]
    new_key = SecretStr(base64.b64encode(os.urandom(32)).decode())
    keys = {**service.settings.pii_keys, "k2": new_key}
    rotated = service.settings.model_copy(update={"pii_keys": keys, "pii_active_key": "k2"})
    store = CustomerStore(database(service.raw, service.settings.mongo_db), cipher_from(rotated))
    assert await store.reencrypt() == 1
    assert await store.reencrypt() == 0
    raw = await service.collection("customers").find_one({"_id": customer_id})
    assert raw is not None
    assert raw["phone_enc"].startswith("k2:")
    customer = await store.get(customer_id)
    assert customer is not None
    assert customer.phone == "13812340000"
