"""`thaw serve` / `python -m pwa serve`: run Thaw under waitress."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from . import config as settings


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"thaw: error: {message} (try 'thaw --help')\n")


def build_parser() -> Parser:
    parser = Parser(prog="thaw", description="Thaw: a gentle, offline-first emotion check-in.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    serve = commands.add_parser("serve", help="run the app and the sync API")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1, env THAW_HOST)")
    serve.add_argument("--port", help="port to listen on (default 8000, env THAW_PORT)")
    serve.add_argument("--data", help="data folder (default ./thaw-data, env THAW_DATA)")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    add_store_commands(commands)
    return parser


def add_store_commands(commands: argparse._SubParsersAction) -> None:
    """`thaw db upgrade`, `thaw vaults prune`, `thaw store copy` (see pwa/admin.py)."""
    data = {"help": "data folder (default ./thaw-data, env THAW_DATA)"}
    db = commands.add_parser("db", help="the PostgreSQL database (THAW_DATABASE_URL)")
    db_commands = db.add_subparsers(dest="db_command", required=True, parser_class=Parser)
    db_commands.add_parser("upgrade", help="apply the schema migrations the database lacks")
    vaults = commands.add_parser("vaults", help="the stored vaults")
    vault_commands = vaults.add_subparsers(
        dest="vaults_command", required=True, parser_class=Parser
    )
    prune = vault_commands.add_parser("prune", help="remove vaults not synced for N days")
    prune.add_argument("--idle-days", type=float, required=True, metavar="N")
    prune.add_argument("--data", **data)
    store = commands.add_parser("store", help="move the store")
    store_commands = store.add_subparsers(dest="store_command", required=True, parser_class=Parser)
    copy = store_commands.add_parser("copy", help="copy the TinyDB vaults into PostgreSQL")
    copy.add_argument("--to", required=True, metavar="postgresql://…")
    copy.add_argument("--data", **data)


def run_store_command(args: argparse.Namespace) -> int:
    from . import admin

    config = settings.load({"DATA_DIR": getattr(args, "data", None)})
    if args.command == "db":
        return admin.db_upgrade(config)
    if args.command == "vaults":
        return admin.vaults_prune(config, args.idle_days)
    return admin.store_copy(config, args.to)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command != "serve":
        try:
            return run_store_command(args)
        except settings.ConfigError as exc:
            print(f"thaw: error: {exc}", file=sys.stderr)
            return 2
    from waitress import serve

    from . import create_app

    try:
        app = create_app(
            {
                "HOST": args.host,
                "PORT": args.port,
                "DATA_DIR": args.data,
                "REMINDERS_SCHEDULER": True,  # the sender's thread (tests' apps leave it off)
            }
        )
    except settings.ConfigError as exc:
        print(f"thaw: error: {exc}", file=sys.stderr)
        return 2
    host, port = app.config["HOST"], app.config["PORT"]
    print(f"Thaw is running on http://{host}:{port} (data in {app.config['DATA_DIR']})", flush=True)
    try:
        serve(
            app,
            host=host,
            port=port,
            threads=args.threads,
            ident="thaw",
            **settings.waitress_options(app.config),
        )
    except OSError as exc:
        print(
            f"thaw: error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
