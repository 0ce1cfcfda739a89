"""The inbox through HTTP: unread first then newest, paged; one or all marked read; the
unread count; someone else's item is not found; only people have an inbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from crm_contracts.events import sales

from .conftest import NOW, Notifications

pytestmark = pytest.mark.integration


async def assign_leads(app: Notifications, owner: str, count: int) -> None:
    before = await app.collection("notifications").count_documents({"recipient": owner})
    for number in range(count):
        await app.bus.publish(
            sales.LeadAssigned(
                lead_id=f"L{before + number + 1}",
                owner_id=owner,
                name=f"Lead {before + number + 1}",
                assigned_at=NOW,
            )
        )

    async def arrived() -> bool:
        found: int = await app.collection("notifications").count_documents({"recipient": owner})
        return found == before + count

    await wait_until(arrived, timeout=10, what=f"{count} items for {owner}")


async def test_unread_first_then_newest_paged_with_a_count(
    notifications: Notifications, people: Callable[[Notifications], Awaitable[None]]
) -> None:
    await people(notifications)
    await assign_leads(notifications, "rep-1", 4)
    rep = notifications.as_person("rep-1")
    newest_first = await notifications.inbox("rep-1")
    assert [item["sequence"] for item in newest_first] == [4, 3, 2, 1]
    second = newest_first[2]

    read = await notifications.client.post(
        f"/api/v1/notifications/{second['notification_id']}/read", headers=rep
    )
    again = await notifications.client.post(
        f"/api/v1/notifications/{second['notification_id']}/read", headers=rep
    )

    assert read.status_code == 204
    assert again.status_code == 204
    listed = await notifications.client.get(
        "/api/v1/notifications", params={"limit": 2, "offset": 2}, headers=rep
    )
    assert listed.status_code == 200
    page = listed.json()
    assert page["total"] == 4
    assert [item["sequence"] for item in page["items"]] == [1, 2]
    assert page["items"][1]["read_at"] is not None
    assert [item["sequence"] for item in await notifications.inbox("rep-1", unread=True)] == [
        4,
        3,
        1,
    ]
    assert [item["sequence"] for item in await notifications.inbox("rep-1", unread=False)] == [2]
    count = await notifications.client.get("/api/v1/notifications/unread-count", headers=rep)
    assert count.status_code == 200
    assert count.json() == {"unread": 3}
    item = newest_first[0]
    assert set(item) == {
        "notification_id",
        "kind",
        "title",
        "body",
        "urgent",
        "record",
        "created_at",
        "read_at",
        "sequence",
    }
    # Events are handled concurrently: which lead got number 4 is not fixed.
    lead_id = item["record"]["id"]
    assert lead_id in {"L1", "L2", "L3", "L4"}
    assert item["record"] == {"type": "lead", "id": lead_id, "path": f"/sales/leads/{lead_id}"}
    assert item["title"] == f"新线索：Lead {lead_id[1:]}"  # noqa: RUF001


async def test_read_all_marks_only_ones_own_and_says_how_many(
    notifications: Notifications, people: Callable[[Notifications], Awaitable[None]]
) -> None:
    await people(notifications)
    await assign_leads(notifications, "rep-1", 3)
    await assign_leads(notifications, "rep-2", 1)

    marked = await notifications.client.post(
        "/api/v1/notifications/read-all", headers=notifications.as_person("rep-1")
    )
    again = await notifications.client.post(
        "/api/v1/notifications/read-all", headers=notifications.as_person("rep-1")
    )

    assert marked.status_code == 200
    assert marked.json() == {"marked": 3}
    assert again.json() == {"marked": 0}
    others = await notifications.client.get(
        "/api/v1/notifications/unread-count", headers=notifications.as_person("rep-2")
    )
    assert others.json() == {"unread": 1}


async def test_someone_elses_or_an_unknown_item_is_not_found(
    notifications: Notifications, people: Callable[[Notifications], Awaitable[None]]
) -> None:
    await people(notifications)
    await assign_leads(notifications, "rep-1", 1)
    (item,) = await notifications.inbox("rep-1")

    theirs = await notifications.client.post(
        f"/api/v1/notifications/{item['notification_id']}/read",
        headers=notifications.as_person("rep-2"),
    )
    unknown = await notifications.client.post(
        "/api/v1/notifications/no-such-item/read", headers=notifications.as_person("rep-1")
    )

    assert theirs.status_code == 404
    assert theirs.headers["content-type"] == "application/problem+json"
    assert unknown.status_code == 404
    assert (await notifications.inbox("rep-1"))[0]["read_at"] is None


async def test_every_person_has_an_inbox_but_an_integration_client_has_none(
    notifications: Notifications,
) -> None:
    for role in (Role.ADMIN, Role.ANALYST, Role.MARKETER, Role.SUPPORT_AGENT):
        answer = await notifications.client.get(
            "/api/v1/notifications/unread-count", headers=notifications.auth(role, "someone")
        )
        assert answer.status_code == 200
        assert answer.json() == {"unread": 0}
    client = await notifications.client.get(
        "/api/v1/notifications",
        headers=notifications.tokens.headers_for(Role.INTEGRATION, kind="client"),
    )
    anonymous = await notifications.client.get("/api/v1/notifications")

    assert client.status_code == 403
    assert anonymous.status_code == 401


async def test_unknown_query_parameters_and_bad_pages_are_refused(
    notifications: Notifications,
) -> None:
    rep = notifications.as_person("rep-1")

    unknown = await notifications.client.get(
        "/api/v1/notifications", params={"unred": "true"}, headers=rep
    )
    too_big = await notifications.client.get(
        "/api/v1/notifications", params={"limit": 1000}, headers=rep
    )

    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "query.unred"
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["field"] == "query.limit"
