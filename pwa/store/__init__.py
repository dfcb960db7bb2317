"""The sync server's store: one interface (base.Store), two backends, chosen by a setting.

THAW_DATABASE_URL unset → TinyDBStore in the data folder (no set-up); `postgresql://…` →
PostgresStore (run `thaw db upgrade` first). The API, its errors and the sync protocol are the
same on both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import (
    Page,
    QuotaExceeded,
    Quotas,
    Store,
    StoreUnavailable,
    UnknownVault,
    VaultDeleted,
    VaultDump,
    WrongToken,
)

__all__ = [
    "Page",
    "QuotaExceeded",
    "Quotas",
    "Store",
    "StoreUnavailable",
    "UnknownVault",
    "VaultDeleted",
    "VaultDump",
    "WrongToken",
    "is_postgres_url",
    "open_store",
]


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgresql://", "postgres://"))


def open_store(config: Mapping[str, Any], url: str | None = None) -> Store:
    """The store the settings name (`url` overrides DATABASE_URL, e.g. for `store copy --to`)."""
    quotas = Quotas(
        max_envelopes=config["VAULT_MAX_ENVELOPES"], max_bytes=config["VAULT_MAX_BYTES"]
    )
    url = url if url is not None else config.get("DATABASE_URL")
    if url:
        from .postgres import PostgresStore

        return PostgresStore(
            url, quotas, pool_size=config["DB_POOL_SIZE"], timeout=config["DB_TIMEOUT"]
        )
    from .tinydb_store import TinyDBStore

    return TinyDBStore(config["DATA_DIR"], quotas, open_vaults=config["OPEN_VAULTS"])
