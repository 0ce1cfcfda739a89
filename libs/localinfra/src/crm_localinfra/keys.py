"""Key material for ``make run``, generated once under ``.local/keys/``.

The gateway signs access tokens with the Ed25519 private key; every service
verifies them with the public key (see ``CRM_JWT_*_KEY_FILE``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@dataclass(frozen=True)
class JwtKeyFiles:
    private_key: Path
    public_key: Path


def ensure_jwt_keys(folder: Path) -> JwtKeyFiles:
    """The Ed25519 key pair in ``folder`` (PEM: PKCS#8 private, SPKI public), made if absent."""
    files = JwtKeyFiles(folder / "jwt-ed25519-private.pem", folder / "jwt-ed25519-public.pem")
    if files.private_key.is_file() and files.public_key.is_file():
        return files
    folder.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_private(files.private_key, private_pem)
    files.public_key.write_bytes(public_pem)
    return files


def ensure_secret(path: Path, make: Callable[[], str] = lambda: secrets.token_urlsafe(12)) -> str:
    """A random secret kept in ``path`` (e.g. the local admin password), made with
    ``make`` if absent."""
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = make()
    _write_private(path, f"{secret}\n".encode())
    return secret


def _write_private(path: Path, content: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
