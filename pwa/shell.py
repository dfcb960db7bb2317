"""The app shell: the page, its web manifest and the service worker that keeps it offline."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template

bp = Blueprint("shell", __name__)

# Files under static/ that the app needs to start offline; sources and licences stay out.
SHELL_SUFFIXES = {".js", ".css", ".png", ".svg", ".woff2", ".json", ".webp"}
SHELL_EXCLUDE = {"icons/source.svg"}
SHELL_PAGES = ["/", "/manifest.webmanifest"]

THEME_COLOUR = "#3d4a5c"
BACKGROUND_COLOUR = "#f7f3ee"



def shell_files(static_dir: Path) -> list[Path]:
    """Every static file the shell precaches, in a stable order."""
    files = [
        path
        for path in static_dir.rglob("*")
        if path.is_file()
        and path.suffix in SHELL_SUFFIXES
        and path.relative_to(static_dir).as_posix() not in SHELL_EXCLUDE
    ]
    return sorted(files, key=lambda p: p.relative_to(static_dir).as_posix())


def shell_manifest() -> tuple[list[str], str, str]:
    """The URLs to precache, the shell's version (static files and templates) and static base."""
    builds = current_app.extensions["thaw.static"]
    static_version, folder = builds.current()
    base = f"/static/v/{static_version}"
    template_dir = Path(current_app.config["TEMPLATE_DIR"])
    digest = hashlib.sha256(static_version.encode() + b"\0")
    for path in sorted(template_dir.glob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assets = [f"{base}/{p.relative_to(folder).as_posix()}" for p in shell_files(folder)]
    return SHELL_PAGES + assets, digest.hexdigest()[:16], base


@bp.get("/")
def index() -> Response:
    _, version, base = shell_manifest()
    html = render_template("index.html", theme=THEME_COLOUR, version=version, static=base)
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    body = {
        "id": "/",
        "name": "Thaw — notice what you feel",
        "short_name": "Thaw",
        "description": "A gentle check-in for noticing and naming feelings. "
        "Your entries stay on your device.",
        "lang": "en",
        "start_url": "/#checkin",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": BACKGROUND_COLOUR,
        "theme_color": THEME_COLOUR,
        "categories": ["health", "lifestyle"],
        "icons": [
            {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {
                "src": "/static/icons/maskable-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = current_app.json.response(body)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
def service_worker() -> Response:
    urls, version, _ = shell_manifest()
    script = render_template("sw.js", version=version, assets=urls)
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
