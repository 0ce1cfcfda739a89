"""Pytest fixtures every service's tests share, loaded through the pytest11 entry point.

Built on :mod:`crm_chassis.testing` and on the servers of the ``crm_localinfra``
plugin (``mongo_url``, ``mongo_db_name``, ``amqp_url``, ``smtp_server``):

- ``signing_keys`` (session): the Ed25519 pair tokens are signed with.
- ``tokens`` (session): ``Tokens``, ``token_for(role, team=..., user_id=...)`` and
  ``headers_for(...)``.
- ``service_runner``: a ``ServiceRunner`` on the test's own database:
  ``settings(Settings, "name", ...)`` at test speed, ``serve(Kind, app)`` over real
  HTTP (uvicorn on a free port) with an event probe, ``smtp()``.
- ``module_service_runner`` (module): the same on a database of the module's own,
  dropped after it, for services a module's tests share.
- ``eventually`` (session): ``wait_until``, ``await eventually(predicate, timeout=10)``.

A service's ``tests/integration/conftest.py`` subclasses ``RunningService`` for its
default caller and helpers and serves its app with ``service_runner``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from crm_chassis.testing import ServiceRunner, SigningKeys, Tokens


@pytest.fixture(scope="session")
def signing_keys() -> SigningKeys:
    """The session's key pair: services verify with its public half, ``tokens`` signs."""
    from crm_chassis.testing import SigningKeys

    return SigningKeys.generate()


@pytest.fixture(scope="session")
def tokens(signing_keys: SigningKeys) -> Tokens:
    """Tokens of any role, team and user, as the gateway would sign them."""
    from crm_chassis.testing import Tokens

    return Tokens(signing_keys)


@pytest.fixture
def service_runner(
    request: pytest.FixtureRequest,
    tokens: Tokens,
    mongo_url: str,
    amqp_url: str,
    mongo_db_name: str,
) -> ServiceRunner:
    """Starts this test's services on its own database (dropped afterwards)."""
    from crm_chassis.testing import ServiceRunner

    return ServiceRunner(
        tokens=tokens,
        mongo_url=mongo_url,
        amqp_url=amqp_url,
        mongo_db=mongo_db_name,
        smtp=lambda: request.getfixturevalue("smtp_server"),
    )


@pytest.fixture(scope="module")
async def module_service_runner(
    request: pytest.FixtureRequest, tokens: Tokens, mongo_url: str, amqp_url: str
) -> AsyncIterator[ServiceRunner]:
    """Starts services shared by a module's tests, on a database of the module's own."""
    from pymongo import AsyncMongoClient

    from crm_chassis.testing import ServiceRunner, unique_name

    database = unique_name("t_module")
    yield ServiceRunner(
        tokens=tokens,
        mongo_url=mongo_url,
        amqp_url=amqp_url,
        mongo_db=database,
        smtp=lambda: request.getfixturevalue("smtp_server"),
    )
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    try:
        await client.drop_database(database)
    finally:
        await client.close()


@pytest.fixture(scope="session")
def eventually() -> Callable[..., Any]:
    """Poll a plain or async predicate until it is true, with a deadline (no bare sleeps):
    ``await eventually(lambda: ..., timeout=10, what="the event")``."""
    from crm_chassis.testing import wait_until

    return wait_until
