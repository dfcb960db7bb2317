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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from waitress import serve

    from . import create_app

    try:
        app = create_app({"HOST": args.host, "PORT": args.port, "DATA_DIR": args.data})
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
