"""Static files through the real server under waitress: compressed, decompressing to the source."""

from __future__ import annotations

import gzip
import re
import urllib.request

import brotli
import pytest

from pwa.config import ROOT

STATIC = ROOT / "static"
SOURCES = sorted(
    p.relative_to(STATIC).as_posix() for p in STATIC.rglob("*") if p.suffix in {".js", ".css"}
)


def get(url: str, accept_encoding: str | None) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url)
    if accept_encoding is not None:
        request.add_header("Accept-Encoding", accept_encoding)
    with urllib.request.urlopen(request, timeout=30) as response:  # urllib never decompresses
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


@pytest.fixture(scope="module")
def static_base(base_url: str) -> str:
    _, html = get(base_url + "/", None)
    match = re.search(rb'<meta name="thaw-static" content="(/static/v/[0-9a-f]{16})">', html)
    assert match, "the page names its static files' versioned base"
    return base_url + match.group(1).decode()


def test_there_are_scripts_and_styles_to_check():
    assert "js/app.js" in SOURCES and "css/app.css" in SOURCES and len(SOURCES) > 10


@pytest.mark.parametrize("name", SOURCES)
def test_each_script_and_stylesheet_comes_brotli_gzip_or_plain(static_base, name):
    source = (STATIC / name).read_bytes()
    url = f"{static_base}/{name}"

    headers, body = get(url, "gzip, deflate, br")
    assert headers.get("content-encoding") == "br", name
    assert "accept-encoding" in headers.get("vary", "").lower()
    assert brotli.decompress(body) == source
    assert len(body) < len(source)

    headers, body = get(url, "gzip")
    assert headers.get("content-encoding") == "gzip", name
    assert "accept-encoding" in headers.get("vary", "").lower()
    assert gzip.decompress(body) == source

    for plain in (None, "identity"):
        headers, body = get(url, plain)
        assert "content-encoding" not in headers, name
        assert body == source

    content_type = headers["content-type"]
    assert content_type.startswith("text/css" if name.endswith(".css") else "text/javascript")


def test_versioned_urls_are_immutable_plain_ones_revalidate(base_url, static_base):
    headers, _ = get(f"{static_base}/js/app.js", "br")
    cache = headers["cache-control"]
    assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) >= 31536000
    headers, body = get(f"{base_url}/static/js/app.js", "br")
    assert "max-age=0" in headers["cache-control"] and "immutable" not in headers["cache-control"]
    assert headers.get("content-encoding") == "br"
    assert brotli.decompress(body) == (STATIC / "js" / "app.js").read_bytes()


@pytest.mark.parametrize("path", ["/", "/sw.js", "/manifest.webmanifest"])
def test_the_page_worker_and_manifest_come_compressed(base_url, path):
    plain_headers, plain = get(base_url + path, None)
    assert "content-encoding" not in plain_headers
    headers, body = get(base_url + path, "gzip, deflate, br")
    assert headers.get("content-encoding") == "br"
    assert "accept-encoding" in headers.get("vary", "").lower()
    assert brotli.decompress(body) == plain
    headers, body = get(base_url + path, "gzip")
    assert headers.get("content-encoding") == "gzip"
    assert gzip.decompress(body) == plain


def test_the_api_answers_uncompressed(base_url):
    headers, body = get(base_url + "/api/v1/health", "gzip, deflate, br")
    assert "content-encoding" not in headers
    assert body.startswith(b"{")
