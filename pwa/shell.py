"""The app shell: the page, its web manifest and the service worker that keeps it offline."""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
import threading
from functools import lru_cache
from pathlib import Path

from cachetools import LRUCache
from flask import Blueprint, Request, Response, current_app, g, render_template
from markupsafe import Markup

from .headers import policy_allowing

bp = Blueprint("shell", __name__)

# Files under static/ that the app needs to start offline; sources and licences stay out, and
# the first screen's CSS and start script, which the page itself holds.
SHELL_SUFFIXES = {".js", ".css", ".png", ".svg", ".woff2", ".json", ".webp"}
FIRST_SCREEN_CSS = "css/app.css"
START_SCRIPT = "js/start.js"
SHELL_EXCLUDE = {"icons/source.svg", FIRST_SCREEN_CSS, START_SCRIPT}
SHELL_PAGES = ["/", "/manifest.webmanifest"]

THEME_COLOUR = "#3d4a5c"
BACKGROUND_COLOUR = "#f7f3ee"


@lru_cache(maxsize=8)
def build_files(folder: Path) -> tuple[Path, ...]:
    """shell_files of a build: a build never changes, so its listing is kept."""
    return tuple(shell_files(folder))


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


# `import … from './x.js'`, `import './x.js'`, `export … from './x.js'`; never `import(…)`.
STATIC_IMPORT = re.compile(
    r"""^\s*(?:import|export)\s+(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}/[^'"]+)['"]""", re.M
)
ENTRY_MODULE = "js/app.js"


@lru_cache(maxsize=8)
def first_screen_modules(folder: Path, entry: str = ENTRY_MODULE) -> tuple[str, ...]:
    """Every module `entry` imports statically, directly or not (its dynamic imports aside).

    The page names them (meta thaw-modules) and its start script asks for them all at once as
    <link rel="modulepreload">, instead of the browser discovering them one level of the chain
    at a time. `folder` is a build, whose content never changes, so the answer is cached by it.
    """
    seen: dict[str, None] = {}
    pending = [entry]
    while pending:
        name = pending.pop(0)
        path = folder / name
        if not path.is_file():
            continue
        for spec in STATIC_IMPORT.findall(path.read_text(encoding="utf-8")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), spec))
            if target != entry and target not in seen and not target.startswith(".."):
                seen[target] = None
                pending.append(target)
    return tuple(seen)


@lru_cache(maxsize=16)
def inline(folder: Path, name: str) -> tuple[Markup, str]:
    """A file of the build to be written inside the page, and the CSP source that allows
    exactly its text. The page holds the first screen's CSS and the start script, so its first
    paint waits for no request at all. Neither may close its element early, and the CSS holds
    no url(), which would resolve against the page instead of the file."""
    text = (folder / name).read_text(encoding="utf-8")
    if "</" in text or "<!--" in text or (name.endswith(".css") and "url(" in text):
        raise ValueError(f"{name} cannot go inside the page as it is")
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return Markup(text), f"'sha256-{digest}'"


def shell_manifest() -> tuple[list[str], str, str, Path]:
    """The URLs to precache, the shell's version (static files and templates), the static base
    URL and the build folder behind it."""
    builds = current_app.extensions["thaw.static"]
    static_version, folder = builds.current()
    base = f"/static/v/{static_version}"
    template_dir = Path(current_app.config["TEMPLATE_DIR"])
    digest = hashlib.sha256(static_version.encode() + b"\0")
    for path in sorted(template_dir.glob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assets = [f"{base}/{p.relative_to(folder).as_posix()}" for p in build_files(folder)]
    return SHELL_PAGES + assets, digest.hexdigest()[:16], base, folder


def reply_key(request: Request) -> str:
    """Flask-Compress's cache key for a shell reply: its path and the version of the shell (a
    hash of the static build and the templates) that the reply was made from, which are all
    its content depends on. Noted by the view itself: worked out again here, after a deploy
    changed files meanwhile, it would file an old page under the new version."""
    return f"{request.path}|{g.get('shell_version', '')}"


class CompressedReplies:
    """Flask-Compress's cache backend: the shell's compressed replies, a few builds' worth."""

    def __init__(self, size: int = 24) -> None:
        self._replies: LRUCache[str, bytes] = LRUCache(size)
        self._lock = threading.Lock()  # cachetools' caches are not thread-safe

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._replies.get(key)

    def set(self, key: str, value: bytes) -> None:
        with self._lock:
            self._replies[key] = value


@bp.get("/")
def index() -> Response:
    _, version, base, folder = shell_manifest()
    g.shell_version = version
    (css, style), (start, script) = inline(folder, FIRST_SCREEN_CSS), inline(folder, START_SCRIPT)
    html = render_template(
        "index.html",
        theme=THEME_COLOUR,
        version=version,
        static=base,
        modules=" ".join(first_screen_modules(folder)),
        css=css,
        start=start,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = policy_allowing(style, script)
    # A proxy that rewrote the page (minified it, say) would break the hashes above.
    response.headers["Cache-Control"] = "no-cache, no-transform"
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
    urls, version, static, _ = shell_manifest()
    g.shell_version = version
    script = render_template("sw.js", version=version, assets=urls, static=static)
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
