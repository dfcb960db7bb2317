"""Thaw's server: the app shell for the phone, and an optional end-to-end encrypted sync API."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask
from flask_compress import Compress
from whitenoise import WhiteNoise

from . import config as settings
from .assets import StaticBuilds
from .headers import SecurityHeaders
from .shell import CompressedReplies, reply_key

__version__ = "0.1.0"

# /static/<file> has no version in its URL, so browsers revalidate it (ETag, 304).
# /static/v/<content version>/<file> can never change: browsers may keep it for good.
STATIC_MAX_AGE = 0
VERSIONED_PREFIX = "static/v/"


def is_versioned(path: str, url: str) -> bool:
    """WhiteNoise's immutable_file_test: the URL names the content version."""
    return url.startswith("/" + VERSIONED_PREFIX)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The app factory: settings from defaults, THAW_* variables, then `config`."""
    conf = settings.load(config)
    app = Flask(
        __name__,
        static_folder=None,
        template_folder=conf["TEMPLATE_DIR"],
    )
    app.config.update(conf)
    app.config["DATA_DIR"] = str(settings.prepare_data_dir(conf["DATA_DIR"]))
    app.jinja_env.auto_reload = conf["AUTOREFRESH"]

    from . import api, reminders, shell

    app.register_blueprint(shell.bp)
    api.init_app(app)
    reminders.init_app(app)
    compress_shell(app, shell.bp)

    # The client's address behind a proxy (THAW_TRUSTED_PROXIES) is waitress's job: see
    # config.waitress_options. It strips X-Forwarded-* from anyone else before Flask runs.
    static = WhiteNoise(
        app.wsgi_app,
        max_age=STATIC_MAX_AGE,
        allow_all_origins=False,
        autorefresh=conf["AUTOREFRESH"],
        immutable_file_test=is_versioned,
    )
    mount_static(app, static, conf)
    app.wsgi_app = SecurityHeaders(static, hsts=conf["HSTS"])  # type: ignore[method-assign]
    return app


def compress_shell(app: Flask, shell: Blueprint) -> None:
    """The page, manifest and worker, compressed per request (static files come precompressed).

    The API's JSON is left alone: it is small, and compressing secrets next to what a client
    sent is how BREACH-style attacks read them.
    """
    app.config.setdefault(
        "COMPRESS_MIMETYPES", ["text/html", "text/javascript", "application/manifest+json"]
    )
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # A build's replies never change, so each is compressed once, as small as it gets (Brotli
    # 11 takes ~60 ms; 10% smaller than 5 on the page), and kept (shell.CompressedReplies).
    app.config.setdefault("COMPRESS_BR_LEVEL", 11)
    app.config.setdefault("COMPRESS_LEVEL", 9)
    app.config.setdefault("COMPRESS_MIN_SIZE", 256)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", CompressedReplies)
    app.config.setdefault("COMPRESS_CACHE_KEY", reply_key)
    # Only the shell's replies: registered app-wide, its after_request would run (and add
    # `Vary`) on every API reply too, for nothing (see the docstring).
    app.config["COMPRESS_REGISTER"] = False
    compress = Compress(app)
    app.after_request_funcs.setdefault(shell.name, []).append(compress.after_request)


def mount_static(app: Flask, static: WhiteNoise, conf: Mapping[str, Any]) -> None:
    """Serve the compressed build of STATIC_DIR: versioned URLs, and plain ones as before."""
    if conf["AUTOREFRESH"]:
        # Editing: every build under /static/v/ as it appears, plain URLs from the live sources.
        builds = StaticBuilds(conf["STATIC_DIR"], conf["CACHE_DIR"])
        static.add_files(conf["STATIC_DIR"], prefix="static/")
        static.add_files(str(builds.cache), prefix=VERSIONED_PREFIX)
    else:
        # WhiteNoise reads its file list once; a build made later (sources edited) joins it.
        def on_build(version: str, folder: Path) -> None:
            static.add_files(str(folder), prefix=f"{VERSIONED_PREFIX}{version}/")

        builds = StaticBuilds(conf["STATIC_DIR"], conf["CACHE_DIR"], on_build)
    try:
        version, folder = builds.current()
    except OSError as exc:
        raise settings.ConfigError(
            f"cannot build the static files into {builds.cache}: {exc.strerror or exc} "
            "(set THAW_CACHE to a writable folder)"
        ) from None
    if not conf["AUTOREFRESH"]:
        static.add_files(str(folder), prefix="static/")
    builds.prune(keep=version)
    app.extensions["thaw.static"] = builds
