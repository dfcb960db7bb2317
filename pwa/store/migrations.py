"""PostgreSQL schema migrations, applied in order by `thaw db upgrade` and checked at start.

Each migration is (version, name, SQL); the applied versions are rows of `thaw_schema`. Never
edit one that has shipped: add the next. `vault_id` leads every key and index, so each query
touches one vault, the tables can be distributed by it (e.g. Citus), and reads can go to
replicas.
"""

from __future__ import annotations

import psycopg

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "vaults and envelopes",
        """
        CREATE TABLE vaults (
            id           uuid        PRIMARY KEY,
            token_sha256 text        NOT NULL,
            created      timestamptz NOT NULL DEFAULT now(),
            last_sync    timestamptz NOT NULL DEFAULT now(),
            last_seq     bigint      NOT NULL DEFAULT 0,
            bytes        bigint      NOT NULL DEFAULT 0,
            count        bigint      NOT NULL DEFAULT 0,
            notice       text
        );
        CREATE TABLE envelopes (
            vault_id uuid   NOT NULL REFERENCES vaults (id) ON DELETE CASCADE,
            id       uuid   NOT NULL,
            seq      bigint NOT NULL,
            hlc      text   COLLATE "C" NOT NULL,
            body     text   NOT NULL,
            PRIMARY KEY (vault_id, id),
            UNIQUE (vault_id, seq)
        );
        CREATE INDEX vaults_last_sync ON vaults (last_sync);
        """,
    ),
]

LATEST = MIGRATIONS[-1][0]
LOCK_KEY = 0x7468_6177  # "thaw": one upgrade at a time, whichever machine runs it


def current_version(conn: psycopg.Connection) -> int:
    """The highest applied migration, 0 for an empty database."""
    if conn.execute("SELECT to_regclass('thaw_schema')").fetchone()[0] is None:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM thaw_schema").fetchone()[0]


def upgrade(conn: psycopg.Connection) -> list[tuple[int, str]]:
    """Apply every migration not yet applied, in one transaction; returns what was applied."""
    applied = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS thaw_schema ("
            " version int PRIMARY KEY, name text NOT NULL,"
            " applied timestamptz NOT NULL DEFAULT now())"
        )
        done = current_version(conn)
        for version, name, sql in MIGRATIONS:
            if version > done:
                conn.execute(sql)
                conn.execute(
                    "INSERT INTO thaw_schema (version, name) VALUES (%s, %s)", (version, name)
                )
                applied.append((version, name))
    return applied
