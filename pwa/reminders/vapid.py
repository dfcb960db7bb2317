"""The server's VAPID key pair (RFC 8292): made once into the data folder, or given by a setting.

py-vapid makes, reads and signs with the key (P-256, ES256); nothing here is hand-made crypto.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02

from ..config import ConfigError

KEY_FILE = "vapid.pem"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def load_or_create(data_dir: str | os.PathLike, setting: str = "") -> Vapid02:
    """The key named by THAW_VAPID_PRIVATE_KEY (a PEM file's path, PEM text, or py-vapid's
    base64url DER/raw form), else `<data>/vapid.pem`, made (mode 0600) when it is missing."""
    setting = (setting or "").strip()
    try:
        if setting:
            if "-----BEGIN" in setting:
                return Vapid02.from_pem(setting.encode())
            if Path(setting).expanduser().is_file():
                return Vapid02.from_file(str(Path(setting).expanduser()))
            return Vapid02.from_string(setting)
    except Exception as exc:  # py-vapid raises several kinds for a bad key
        raise ConfigError(f"THAW_VAPID_PRIVATE_KEY is not a usable P-256 key: {exc}") from None
    path = Path(data_dir) / KEY_FILE
    if path.exists():
        try:
            return Vapid02.from_file(str(path))
        except Exception as exc:
            raise ConfigError(f"{path} is not a usable VAPID key: {exc}") from None
    key = Vapid02()
    key.generate_keys()
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.private_pem())
        handle.flush()
        os.fsync(handle.fileno())
    try:  # two processes starting at once: the first key written wins, both use it
        os.link(tmp, path)
    except FileExistsError:
        os.unlink(tmp)
        return Vapid02.from_file(str(path))
    os.unlink(tmp)
    return key


def public_key(key: Vapid02) -> str:
    """The application server key a browser's pushManager.subscribe takes: base64url of the
    uncompressed P-256 point (65 bytes)."""
    raw = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw)
