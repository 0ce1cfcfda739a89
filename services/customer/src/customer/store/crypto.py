"""Encryption at rest of personal numbers (C-10): AES-256-GCM with key ids, and a blind index.

A stored value is ``<key id>:<base64(nonce | ciphertext | tag)>``; the key id lets
old values be read after the active key changes (rotation), and the associated
data binds each ciphertext to its record and field, so a value copied into another
record does not decrypt. The blind index is an HMAC-SHA256 of the normalised value
under a separate key: equal numbers give equal indexes, so lookups and uniqueness
work without decrypting anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


class UndecryptableValue(Exception):
    """A stored value whose key is unknown or whose ciphertext was tampered with."""


class FieldCipher:
    def __init__(self, keys: dict[str, bytes], active_key_id: str, index_key: bytes) -> None:
        if active_key_id not in keys:
            raise ValueError("the active key id is not among the keys")
        self._keys = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._active = active_key_id
        self._index_key = index_key

    @property
    def active_key_id(self) -> str:
        return self._active

    def encrypt(self, plaintext: str, *, record_id: str, field: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._keys[self._active].encrypt(
            nonce, plaintext.encode(), _associated(record_id, field)
        )
        return f"{self._active}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str, *, record_id: str, field: str) -> str:
        key_id, _, payload = stored.partition(":")
        aead = self._keys.get(key_id)
        if aead is None:
            raise UndecryptableValue(f"unknown key id {key_id!r}")
        raw = base64.b64decode(payload)
        try:
            plain = aead.decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _associated(record_id, field)
            )
        except InvalidTag:
            raise UndecryptableValue("ciphertext does not verify") from None
        return plain.decode()

    def key_id_of(self, stored: str) -> str:
        return stored.partition(":")[0]

    def blind_index(self, value: str, *, field: str) -> str:
        digest = hmac.new(self._index_key, f"{field}:{value}".encode(), hashlib.sha256)
        return digest.hexdigest()


def _associated(record_id: str, field: str) -> bytes:
    return f"{record_id}/{field}".encode()
