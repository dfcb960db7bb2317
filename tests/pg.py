"""A real PostgreSQL server from Debian's binaries, in a temporary folder, for tests and benches.

PostgreSQL refuses to run as root, so as root its folder belongs to `postgres` and its commands
run through `runuser -u postgres --`. It listens on 127.0.0.1 and a free port only.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

from pwa.store import migrations

# Fast for tests (the tests kill Thaw's processes, never PostgreSQL's, so fsync does not matter).
TEST_OPTIONS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def pg_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        raise RuntimeError(
            "PostgreSQL's server binaries are missing: run `make test` (it installs Debian's "
            "postgresql package) or `apt-get install postgresql`"
        )
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """initdb, start, stop and restart one PostgreSQL cluster; databases made on demand."""

    def __init__(self, options: dict[str, str] | None = None) -> None:
        self.bin = pg_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="thaw-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = free_port()
        self.options = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.folder),
            "max_connections": "200",
            **(options or {}),
        }
        self.as_root = os.geteuid() == 0
        if self.as_root:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        self._databases = 0

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}\n{log}")

    def start(self) -> None:
        opts = " ".join(f"-c {k}={v}" for k, v in self.options.items())
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "120",
            "-o",
            opts,
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "120", "-m", mode, "stop")

    def remove(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "thaw", migrate: bool = True) -> str:
        """A new empty database (migrated to the latest schema unless asked not to); its URL."""
        self._databases += 1
        name = f"{prefix}_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        if migrate:
            with psycopg.connect(self.url(name), autocommit=True) as conn:
                migrations.upgrade(conn)
        return self.url(name)
