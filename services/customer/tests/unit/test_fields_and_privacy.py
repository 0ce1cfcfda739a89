"""Field validation, masking and encryption at rest (C-1, C-10)."""

from __future__ import annotations

import os

import pytest

from crm_contracts.access import Role
from customer.domain.access import visibility_for
from customer.domain.fields import mask_phone, normalize_email, normalize_phone
from customer.store.crypto import FieldCipher, UndecryptableValue


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("13800000000", "13800000000"), ("+86 138-0000-0000", "13800000000"),
     ("+44 20 7946 0958", "+442079460958")],
)  # fmt: skip
def test_phones_accept_mainland_mobiles_and_e164(raw: str, normal: str) -> None:
    assert normalize_phone(raw) == normal


@pytest.mark.parametrize("raw", ["12800000000", "1380000000", "0044123", "+0123456789"])
def test_other_phones_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="mainland"):
        normalize_phone(raw)


def test_email_is_lower_cased_and_checked() -> None:
    assert normalize_email(" Li.Na@Example.COM ") == "li.na@example.com"
    with pytest.raises(ValueError, match="email"):
        normalize_email("li.na@")


def test_masks() -> None:
    assert mask_phone("13800000000") == "138****0000"
    assert mask_phone("+442079460958") == "+442*****0958"


def _cipher(active: str = "k1") -> FieldCipher:
    keys = {"k1": b"\x01" * 32, "k2": b"\x02" * 32}
    return FieldCipher(keys, active, index_key=b"index")


def test_encryption_round_trips_and_is_randomised() -> None:
    cipher = _cipher()
    first = cipher.encrypt("13800000000", record_id="c1", field="phone")
    second = cipher.encrypt("13800000000", record_id="c1", field="phone")
    assert first != second
    assert "13800000000" not in first
    assert cipher.decrypt(first, record_id="c1", field="phone") == "13800000000"


def test_old_key_still_decrypts_after_rotation() -> None:
    stored = _cipher("k1").encrypt("secret", record_id="c1", field="phone")
    rotated = _cipher("k2")
    assert rotated.decrypt(stored, record_id="c1", field="phone") == "secret"
    assert rotated.key_id_of(rotated.encrypt("x", record_id="c1", field="phone")) == "k2"


def test_ciphertext_moved_to_another_record_does_not_decrypt() -> None:
    cipher = _cipher()
    stored = cipher.encrypt("secret", record_id="c1", field="phone")
    with pytest.raises(UndecryptableValue):
        cipher.decrypt(stored, record_id="c2", field="phone")


def test_blind_index_is_deterministic_and_keyed() -> None:
    cipher = _cipher()
    index = cipher.blind_index("13800000000", field="phone")
    assert index == cipher.blind_index("13800000000", field="phone")
    other = FieldCipher({"k1": os.urandom(32)}, "k1", index_key=b"another")
    assert index != other.blind_index("13800000000", field="phone")


def test_visibility_by_role() -> None:
    assert visibility_for([Role.ANALYST], "u", None).unrestricted
    rep = visibility_for([Role.SALES_REP], "u1", "north")
    assert rep.allows("u1", None)
    assert not rep.allows("u2", "north")
    manager = visibility_for([Role.SALES_MANAGER], "m1", "north")
    assert manager.allows("u2", "north")
    assert not manager.allows("u2", "south")
