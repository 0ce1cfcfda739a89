"""Every deployable's indexes, with those the chassis' event machinery creates, index each
key of a collection once: real MongoDB refuses a second index on the same key under
another name (IndexOptionsConflict), so a duplicate stops the deployable from starting
there, although the local MongoDB-protocol server accepts it."""

from __future__ import annotations

import importlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from crm_chassis.events import EventingSettings
from crm_chassis.events.eventing import eventing_indexes
from crm_chassis.mongo import indexes_on_same_key, merge_index_plans
from crm_localinfra.platform_layout import SERVICES


def _public_key() -> str:
    """A key the settings accept; nothing is verified with it."""
    key = Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@pytest.mark.parametrize("package", [spec.package for spec in SERVICES])
def test_a_service_declares_no_two_indexes_on_one_key(package: str) -> None:
    settings = importlib.import_module(f"{package}.settings").Settings(
        profile="development", jwt_public_key=_public_key()
    )
    # The app factory refuses a service whose plan, with the chassis' indexes, has one.
    importlib.import_module(f"{package}.app").create_app(settings)


def test_the_gateway_declares_no_two_indexes_on_one_key() -> None:
    gateway_indexes = importlib.import_module("gateway.store").INDEXES
    plan = merge_index_plans(gateway_indexes, eventing_indexes((), EventingSettings()))
    assert indexes_on_same_key(plan) == []
