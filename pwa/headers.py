"""Security headers on every response, static files included (WhiteNoise answers before Flask).

API replies (anything under /api/) are never stored by a browser or a proxy: Cache-Control is
set to no-store here, the one layer every reply passes, errors and 204s included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]
CONTENT_SECURITY_POLICY = "; ".join(POLICY)


def policy_allowing(style: str, script: str) -> str:
    """The policy, also allowing the one inline stylesheet and the one inline script whose
    hashes `style` and `script` name ("'sha256-…'"): the shell's, and nothing else inline."""
    extra = {"style-src": style, "script-src": script}
    return "; ".join(
        f"{rule} {extra[rule.split()[0]]}" if rule.split()[0] in extra else rule for rule in POLICY
    )


SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class SecurityHeaders:
    """WSGI middleware: the outermost layer, so nothing can answer without these headers."""

    def __init__(self, app: Callable, hsts: str = "") -> None:
        self.app = app
        self.headers = dict(SECURITY_HEADERS)
        if hsts:  # THAW_HSTS: only the deployer knows the site is served over HTTPS only
            self.headers["Strict-Transport-Security"] = hsts

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        api = environ.get("PATH_INFO", "").startswith("/api/")

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if api:
                headers[:] = [(n, v) for n, v in headers if n.lower() != "cache-control"]
                headers.append(("Cache-Control", "no-store"))
            present = {name.lower() for name, _ in headers}
            headers.extend(
                (name, value) for name, value in self.headers.items() if name.lower() not in present
            )
            return start_response(status, headers, exc_info)

        return self.app(environ, start)
