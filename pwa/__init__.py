"""Thaw's server: the app shell for the phone, and an optional end-to-end encrypted sync API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

from . import config as settings
from .headers import SecurityHeaders

__version__ = "0.1.0"

# Static files have no content hash in their URL, so browsers revalidate them (ETag, 304);
# the service worker's versioned cache is what keeps them offline.
STATIC_MAX_AGE = 0


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

    from . import api, shell

    app.register_blueprint(shell.bp)
    api.init_app(app)

    if conf["TRUSTED_PROXIES"]:
        # Behind a TLS proxy: take the client's address (for the rate limit) and scheme from it.
        n = conf["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]
    app.wsgi_app = SecurityHeaders(  # type: ignore[method-assign]
        WhiteNoise(
            app.wsgi_app,
            root=conf["STATIC_DIR"],
            prefix="static/",
            max_age=STATIC_MAX_AGE,
            allow_all_origins=False,
            autorefresh=conf["AUTOREFRESH"],
        )
    )
    return app
