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
    (
        2,
        "push and pull in one call",
        # A push and the pull after it as one call, so a sync costs one round trip and holds
        # the vault's row lock only while PostgreSQL works (never while Python does): lock the
        # row, check the token hash (when given) and any deletion notice, pick the winners (no
        # stored envelope with this id, or an older hlc), check the quotas before writing
        # anything, upsert the winners with the next sequence numbers in the order given, move
        # the vault's counters, then read the page after the cursor. Nothing is written unless
        # the status is 'ok'. Each statement in a PL/pgSQL function sees a fresh snapshot, so
        # the winners are read after the lock is held; every writer of a vault's envelopes
        # holds that lock, so they cannot change before COMMIT. One row per envelope of the
        # page (or one row with r_seq NULL), each carrying the status. The ids, hlcs and bodies
        # come as lines of three texts (no JSON text holds a raw newline): far cheaper for
        # Python to send than arrays.
        """
        CREATE FUNCTION thaw_sync(
            p_vault uuid, p_token_sha256 text, p_ids text, p_hlcs text, p_bodies text,
            p_max_envelopes bigint, p_max_bytes bigint, p_cursor bigint, p_limit int
        ) RETURNS TABLE (
            r_status text, r_notice text, r_first_seq bigint, r_accepted int,
            r_count bigint, r_bytes bigint, r_last_seq bigint, r_seq bigint, r_body text
        ) LANGUAGE plpgsql AS $$
        DECLARE
            ids text[] := string_to_array(p_ids, chr(10));
            hlcs text[] := string_to_array(p_hlcs, chr(10));
            bodies text[] := string_to_array(p_bodies, chr(10));
            v record;
            win int[];
            added bigint;
            delta bigint;
        BEGIN
            SELECT x.token_sha256, x.last_seq, x.count, x.bytes, x.notice INTO v
              FROM vaults x WHERE x.id = p_vault FOR UPDATE;
            IF NOT FOUND THEN
                r_status := 'unknown';
                RETURN NEXT;
                RETURN;
            END IF;
            IF p_token_sha256 IS NOT NULL AND v.token_sha256 <> p_token_sha256 THEN
                r_status := 'wrong_token';
                RETURN NEXT;
                RETURN;
            END IF;
            IF v.notice IS NOT NULL THEN
                r_status := 'deleted';
                r_notice := v.notice;
                RETURN NEXT;
                RETURN;
            END IF;
            -- One primary-key probe per pushed id, whatever the vault's size (LIMIT keeps the
            -- planner from turning the LATERAL into a join over all the vault's envelopes).
            SELECT coalesce(array_agg(c.ord::int ORDER BY c.ord), '{}'),
                   count(*) FILTER (WHERE e.hlc IS NULL),
                   coalesce(sum(octet_length(c.body) - coalesce(octet_length(e.body), 0)), 0)
              INTO win, added, delta
              FROM unnest(ids, hlcs, bodies) WITH ORDINALITY AS c (id, hlc, body, ord)
              LEFT JOIN LATERAL (
                  SELECT s.hlc, s.body FROM envelopes s
                   WHERE s.vault_id = p_vault AND s.id = c.id::uuid LIMIT 1
              ) e ON true
             WHERE e.hlc IS NULL OR e.hlc < (c.hlc COLLATE "C");
            r_accepted := cardinality(win);
            r_first_seq := v.last_seq + 1;
            r_count := v.count + added;
            r_bytes := v.bytes + delta;
            IF r_accepted > 0 AND (r_count > p_max_envelopes OR r_bytes > p_max_bytes) THEN
                r_status := 'quota';
                RETURN NEXT;
                RETURN;
            END IF;
            IF r_accepted > 0 THEN
                INSERT INTO envelopes (vault_id, id, seq, hlc, body)
                SELECT p_vault, ids[w.i]::uuid, v.last_seq + w.n, hlcs[w.i], bodies[w.i]
                  FROM unnest(win) WITH ORDINALITY AS w (i, n)
                ON CONFLICT (vault_id, id) DO UPDATE
                   SET seq = EXCLUDED.seq, hlc = EXCLUDED.hlc, body = EXCLUDED.body;
            END IF;
            UPDATE vaults x SET last_seq = x.last_seq + r_accepted, count = r_count,
                   bytes = r_bytes, last_sync = now()
             WHERE x.id = p_vault;
            r_status := 'ok';
            r_last_seq := v.last_seq + r_accepted;
            RETURN QUERY
                SELECT r_status, r_notice, r_first_seq, r_accepted, r_count, r_bytes,
                       r_last_seq, s.seq, s.body
                  FROM envelopes s
                 WHERE s.vault_id = p_vault AND s.seq > p_cursor
                 ORDER BY s.seq LIMIT p_limit;
            IF NOT FOUND THEN
                RETURN NEXT;
            END IF;
        END
        $$;
        """,
    ),
    (
        3,
        "reminders",
        # Web Push reminders (pwa/reminders/store.py). No link to a vault. The scheduler claims
        # due rows with FOR UPDATE SKIP LOCKED over the index on next_at.
        """
        CREATE TABLE IF NOT EXISTS reminders (
            id            uuid        PRIMARY KEY,
            secret_sha256 text        NOT NULL,
            subscription  jsonb       NOT NULL,
            time_zone     text        NOT NULL,
            schedule      jsonb       NOT NULL,
            next_at       timestamptz,
            checked_in    date
        );
        CREATE INDEX IF NOT EXISTS reminders_next_at ON reminders (next_at);
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
