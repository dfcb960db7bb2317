"""The store's administration commands: `thaw db upgrade`, `thaw vaults prune`, `thaw store copy`.

Each prints what it did, one line per thing, and returns an exit code; mistakes raise ConfigError
(one line on stderr, exit code 2, from `__main__`).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, TextIO

from .config import ConfigError
from .store import UnknownVault, VaultDump, is_postgres_url, open_store


def db_upgrade(config: Mapping[str, Any], out: TextIO = sys.stdout) -> int:
    """Apply the PostgreSQL migrations this Thaw knows and the database lacks."""
    url = config["DATABASE_URL"]
    if not url:
        raise ConfigError("set THAW_DATABASE_URL=postgresql://… to upgrade a PostgreSQL database")
    from .store import migrations
    from .store.postgres import connect, describe

    with connect(url) as conn:
        applied = migrations.upgrade(conn)
    for version, name in applied:
        print(f"applied migration {version}: {name}", file=out)
    if not applied:
        print(f"{describe(url)} is up to date (schema version {migrations.LATEST})", file=out)
    return 0


def vaults_prune(config: Mapping[str, Any], idle_days: float, out: TextIO = sys.stdout) -> int:
    """Remove vaults not synced for `idle_days` days, printing each one removed."""
    if idle_days <= 0:
        raise ConfigError("--idle-days must be a positive number of days")
    store = open_store(config)
    try:
        removed = store.prune(idle_days)
    finally:
        store.close()
    for vault_id, last_sync in removed:
        print(f"removed vault {vault_id} (last synced {last_sync:%Y-%m-%d %H:%M} UTC)", file=out)
    print(f"removed {len(removed)} vault(s) not synced for {idle_days:g} days", file=out)
    return 0


def same(a: VaultDump, b: VaultDump) -> bool:
    return (a.token_sha256, a.notice, a.last_seq, a.envelopes) == (
        b.token_sha256,
        b.notice,
        b.last_seq,
        b.envelopes,
    )


def store_copy(config: Mapping[str, Any], to_url: str, out: TextIO = sys.stdout) -> int:
    """Copy every TinyDB vault into PostgreSQL, keeping sequence numbers, and verify each.

    A vault already in the database is left alone and only verified, so running it twice adds
    nothing. Exit code 1 if any vault differs between the two.
    """
    if config["DATABASE_URL"]:
        raise ConfigError("store copy reads the TinyDB data folder: unset THAW_DATABASE_URL")
    if not is_postgres_url(to_url):
        raise ConfigError("--to must be a postgresql:// URL")
    source = open_store(config)
    target = open_store(config, url=to_url)
    copied = kept = differ = 0
    try:
        for vault_id in source.vault_ids():
            try:
                dump = source.export(vault_id)
            except UnknownVault:
                continue
            if target.import_vault(dump):
                copied += 1
                what = "copied"
            else:
                kept += 1
                what = "already there"
            check = target.export(vault_id)
            if not same(dump, check):
                differ += 1
                what = "DIFFERS in PostgreSQL (not changed)"
            print(
                f"{vault_id}: {what}, {len(check.envelopes)} envelopes, last seq {check.last_seq}",
                file=out,
            )
    finally:
        source.close()
        target.close()
    print(
        f"{copied} copied, {kept} already there, {differ} differ; counts and sequence numbers "
        + ("verified" if not differ else "DO NOT MATCH"),
        file=out,
    )
    return 1 if differ else 0
