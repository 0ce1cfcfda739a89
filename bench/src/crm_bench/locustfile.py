"""The load mix, through the gateway, as people would use the CRM.

Run by :mod:`crm_bench.load` as its own process (Locust runs on gevent). Each simulated
person gets a token of their own (own subject, so rate limits are per person as in
production), minted with the stack's signing key, which is passed in the environment
together with the seeded customer ids.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from locust import FastHttpUser, between, task

PRIVATE_KEY = os.environ.get("BENCH_PRIVATE_KEY", "")
SEED: dict[str, Any] = json.loads(os.environ.get("BENCH_SEED", '{"customers": ["none"]}'))
THINK = (
    float(os.environ.get("BENCH_THINK_MIN", "3")),
    float(os.environ.get("BENCH_THINK_MAX", "7")),
)


def mint_token(role: str, subject: str, team: str | None) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "roles": [role],
        "team": team,
        "kind": "user",
        "iss": "crm-gateway",
        "aud": "crm",
        "iat": now,
        "exp": now + timedelta(hours=2),
    }
    return jwt.encode(claims, PRIVATE_KEY, algorithm="EdDSA")


def etag_of(response: Any, default: str) -> str:
    headers = response.headers or {}
    return str(headers.get("etag") or default)


def some_customer() -> str:
    customers: list[str] = SEED["customers"]
    return random.choice(customers)  # noqa: S311 - load mix, not security


class Person(FastHttpUser):
    abstract = True
    wait_time = between(*THINK)
    role = ""

    def on_start(self) -> None:
        self.subject = f"{self.role}-{uuid.uuid4().hex[:10]}"
        self.team = f"team-{random.randint(1, 10)}"  # noqa: S311
        token = mint_token(self.role, self.subject, self.team)
        self.headers = {"Authorization": f"Bearer {token}"}

    def customer(self) -> str:
        """A customer this person may see (every one, unless a subclass narrows it)."""
        return some_customer()

    def read_customer(self) -> None:
        self.client.get(
            f"/api/v1/customers/{self.customer()}", headers=self.headers, name="read customer"
        )

    def read_timeline(self) -> None:
        self.client.get(
            f"/api/v1/customers/{self.customer()}/timeline?limit=20",
            headers=self.headers,
            name="read timeline",
        )


class SalesRep(Person):
    """A rep sees only the customers they own: starts with one, adds the ones they create."""

    weight = 6
    role = "sales_rep"

    def on_start(self) -> None:
        super().on_start()
        self.own_customers: list[str] = []
        self.opportunity: str | None = None
        self.etag = ""
        self.create_customer()
        if not self.own_customers:
            return
        response = self.client.post(
            "/api/v1/opportunities",
            json={"name": "Bench deal", "customer_id": self.customer(), "amount": "1000.00"},
            headers=self.headers,
            name="create opportunity",
        )
        if response.status_code == 201:
            self.opportunity = response.json()["opportunity_id"]
            self.etag = etag_of(response, "")

    @task(30)
    def read(self) -> None:
        self.read_customer()

    @task(10)
    def list_customers(self) -> None:
        self.client.get("/api/v1/customers?limit=20", headers=self.headers, name="list customers")

    @task(15)
    def timeline(self) -> None:
        self.read_timeline()

    def customer(self) -> str:
        return random.choice(self.own_customers)  # noqa: S311

    def read_customer(self) -> None:
        if self.own_customers:  # a rep whose first write failed has nothing to read yet
            super().read_customer()

    def read_timeline(self) -> None:
        if self.own_customers:
            super().read_timeline()

    @task(5)
    def create_customer(self) -> None:
        response = self.client.post(
            "/api/v1/customers",
            json={"name": f"Bench {uuid.uuid4().hex[:8]}", "region": "Beijing"},
            headers=self.headers,
            name="create customer",
        )
        if response.status_code == 201 and len(self.own_customers) < 50:
            self.own_customers.append(response.json()["id"])

    @task(10)
    def capture_lead(self) -> None:
        self.client.post(
            "/api/v1/leads",
            json={
                "name": f"Lead {uuid.uuid4().hex[:8]}",
                "company": "Bench Ltd",
                "region": "Beijing",
                "interest_level": random.randint(1, 5),  # noqa: S311
            },
            headers=self.headers,
            name="capture lead",
        )

    @task(10)
    def update_opportunity(self) -> None:
        if self.opportunity is None:
            return
        response = self.client.patch(
            f"/api/v1/opportunities/{self.opportunity}",
            json={"amount": f"{random.randint(1000, 90000)}.00"},  # noqa: S311
            headers={**self.headers, "If-Match": self.etag},
            name="update opportunity",
        )
        if response.status_code == 200:
            self.etag = etag_of(response, self.etag)


class SupportAgent(Person):
    weight = 2
    role = "support_agent"

    @task(5)
    def read(self) -> None:
        self.read_customer()

    @task(5)
    def timeline(self) -> None:
        self.read_timeline()

    @task(10)
    def create_ticket(self) -> None:
        self.client.post(
            "/api/v1/tickets",
            json={
                "subject": "Cannot log in",
                "description": "The console refuses my password since this morning.",
                "customer_id": some_customer(),
            },
            headers=self.headers,
            name="create ticket",
        )


class Analyst(Person):
    weight = 1
    role = "analyst"

    @task(10)
    def dashboard(self) -> None:
        self.client.get("/api/v1/dashboards/main", headers=self.headers, name="read dashboard")

    @task(2)
    def read(self) -> None:
        self.read_customer()
