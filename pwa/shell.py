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

_version_cache: dict[tuple, str] = {}


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


def content_version(files: dict[str, Path]) -> str:
    """A version that changes whenever any shell file's name or bytes change; stat-keyed cache."""
    key = tuple((name, p.stat().st_mtime_ns, p.stat().st_size) for name, p in files.items())
    if key not in _version_cache:
        digest = hashlib.sha256()
        for name, path in files.items():
            digest.update(name.encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
        _version_cache.clear()
        _version_cache[key] = digest.hexdigest()[:16]
    return _version_cache[key]


def shell_manifest() -> tuple[list[str], str]:
    """The URLs to precache and their content version (templates count too)."""
    static_dir = Path(current_app.config["STATIC_DIR"])
    template_dir = Path(current_app.config["TEMPLATE_DIR"])
    assets = {f"/static/{p.relative_to(static_dir).as_posix()}": p for p in shell_files(static_dir)}
    templates = {f"templates/{p.name}": p for p in sorted(template_dir.glob("*")) if p.is_file()}
    version = content_version(templates | assets)
    return SHELL_PAGES + list(assets), version


@bp.get("/")
def index() -> Response:
    _, version = shell_manifest()
    html = render_template("index.html", theme=THEME_COLOUR, version=version)
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
    urls, version = shell_manifest()
    script = render_template("sw.js", version=version, assets=urls)
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
