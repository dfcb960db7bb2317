"""The app shell, its manifest and its service worker, as the browser receives them."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path

from pwa import create_app
from pwa.config import ROOT


def test_index_is_the_mobile_shell(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1' in html
    assert '<meta name="theme-color"' in html
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    versioned = r"/static/v/[0-9a-f]{16}"
    assert re.search(rf'rel="apple-touch-icon" href="{versioned}/icons/apple-touch-icon.png"', html)
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in html
    assert "<noscript>" in html
    # One inline script, the start script, which the page's policy allows by its hash alone.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert [attrs for attrs, _ in scripts] == [""]
    start = scripts[0][1]
    assert start == (ROOT / "static" / "js" / "start.js").read_text()
    assert "js/app.js" in start and "modulepreload" in start
    policy = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' {inline_source(start)};" in policy
    assert "unsafe-inline" not in policy


def inline_source(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def test_the_first_screen_css_is_in_the_page_and_the_policy_allows_only_it(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "STATIC_DIR": str(static)})
    client = app.test_client()
    for _ in range(2):  # and again once the file changed: never a stale copy or hash
        response = client.get("/")
        html = response.get_data(as_text=True)
        styles = re.findall(r"<style>(.*?)</style>", html, re.S)
        assert styles == [(static / "css" / "app.css").read_text()]
        assert 'rel="stylesheet"' not in html
        policy = response.headers["Content-Security-Policy"]
        rules = dict(rule.strip().split(" ", 1) for rule in policy.split(";"))
        assert rules["style-src"] == f"'self' {inline_source(styles[0])}"
        assert rules["script-src"].startswith("'self' 'sha256-")
        css = static / "css" / "app.css"
        css.write_text(css.read_text() + "\n.edited { color: inherit; }\n")
    # Every other reply keeps the policy without the hash.
    assert "sha256" not in client.get("/sw.js").headers["Content-Security-Policy"]


def test_the_shell_compressed_is_the_same_reply_and_never_a_stale_one(tmp_path):
    """Each build's page, manifest and worker are compressed once and kept (Brotli 11)."""
    import gzip

    import brotli

    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    client = create_app(
        {"DATA_DIR": str(tmp_path / "data"), "STATIC_DIR": str(static)}
    ).test_client()
    seen = set()
    for _ in range(2):
        for path in ["/", "/sw.js", "/manifest.webmanifest"]:
            plain = client.get(path).get_data()
            for _ in range(2):  # made, then kept
                br = client.get(path, headers={"Accept-Encoding": "br"})
                assert br.headers["Content-Encoding"] == "br"
                assert brotli.decompress(br.get_data()) == plain, path
            zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
            assert gzip.decompress(zipped.get_data()) == plain, path
            seen.add((path, plain))
        css = static / "css" / "app.css"
        css.write_text(css.read_text() + "\n.edited { color: inherit; }\n")
    assert len(seen) == 5, "the edit made a new page and worker (the manifest is the same)"


def test_a_deploy_during_a_request_never_files_the_old_page_under_the_new_version(
    tmp_path, monkeypatch
):
    """Files change after a page was made and before it is compressed: its compressed copy is
    kept under the version it was made from, so the next request gets the new page."""
    import brotli

    from pwa import shell

    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    client = create_app(
        {"DATA_DIR": str(tmp_path / "data"), "STATIC_DIR": str(static)}
    ).test_client()
    css = static / "css" / "app.css"
    made = shell.render_template

    def made_then_deployed(*args, **kwargs):
        page = made(*args, **kwargs)
        if ".deployed" not in css.read_text():
            css.write_text(css.read_text() + "\n.deployed { color: inherit; }\n")
        return page

    monkeypatch.setattr(shell, "render_template", made_then_deployed)
    old = client.get("/", headers={"Accept-Encoding": "br"})
    assert ".deployed" not in brotli.decompress(old.get_data()).decode()
    for _ in range(2):
        new = client.get("/", headers={"Accept-Encoding": "br"})
        page = brotli.decompress(new.get_data()).decode()
        assert ".deployed" in page
        style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
        assert inline_source(style) in new.headers["Content-Security-Policy"]


def test_manifest_fields_and_content_type(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    for field in ("name", "short_name", "description", "id", "start_url", "scope"):
        assert manifest[field], field
    assert manifest["short_name"] == "Thaw"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_every_manifest_icon_is_a_png_of_its_declared_size(client):
    for icon in client.get("/manifest.webmanifest").get_json(force=True)["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.mimetype == "image/png"
        body = b"".join(response.response)
        assert body[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(body[16:20], "big"), int.from_bytes(body[20:24], "big")
        assert f"{width}x{height}" == icon["sizes"]


def sw_assets(script: str) -> list[str]:
    match = re.search(r"const ASSETS = (\[.*?\]);", script, re.S)
    assert match, "sw.js names no asset list"
    return re.findall(r'"([^"]+)"', match.group(1))


def sw_version(script: str) -> str:
    match = re.search(r'const VERSION = "([0-9a-f]+)";', script)
    assert match, "sw.js has no version"
    return match.group(1)


def test_sw_is_served_at_root_and_lists_every_shell_asset(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype in {"text/javascript", "application/javascript"}
    assert "no-cache" in response.headers["Cache-Control"]
    assets = sw_assets(response.get_data(as_text=True))
    assert "/" in assets and "/manifest.webmanifest" in assets
    static = ROOT / "static"
    base = static_base(client.get("/").get_data(as_text=True))
    expected = [
        f"{base}/{p.relative_to(static).as_posix()}"
        for p in static.rglob("*")
        if p.is_file() and p.suffix in {".js", ".css", ".png"}
    ]
    in_the_page = {f"{base}/css/app.css", f"{base}/js/start.js"}
    assert expected and set(expected) - in_the_page <= set(assets)
    assert not in_the_page & set(assets), "the page holds them: no second copy"
    for url in assets:
        assert client.get(url).status_code == 200, url


def static_base(html: str) -> str:
    match = re.search(r'<meta name="thaw-static" content="(/static/v/[0-9a-f]{16})">', html)
    assert match, "the page names its static base"
    return match.group(1)


def test_sw_version_changes_when_an_asset_changes(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "STATIC_DIR": str(static)})
    client = app.test_client()
    before = sw_version(client.get("/sw.js").get_data(as_text=True))
    assert before == sw_version(client.get("/sw.js").get_data(as_text=True))
    css = static / "css" / "app.css"
    css.write_bytes(css.read_bytes() + b"\n/* changed */\n")
    after = sw_version(client.get("/sw.js").get_data(as_text=True))
    assert after != before


def test_an_edited_source_gets_a_new_compressed_build_never_a_stale_one(tmp_path):
    import brotli

    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    folders = {"DATA_DIR": tmp_path / "data", "STATIC_DIR": static, "CACHE_DIR": tmp_path / "cache"}
    app = create_app({name: str(path) for name, path in folders.items()})
    client = app.test_client()
    old_base = static_base(client.get("/").get_data(as_text=True))
    css = static / "css" / "app.css"
    old_css = css.read_bytes()
    css.write_bytes(old_css + b"\n.edited { color: inherit; }\n")
    new_base = static_base(client.get("/").get_data(as_text=True))
    assert new_base != old_base
    assert f"{new_base}/js/app.js" in sw_assets(client.get("/sw.js").get_data(as_text=True))
    for base, expected in [(new_base, css.read_bytes()), (old_base, old_css)]:
        response = client.get(f"{base}/css/app.css", headers={"Accept-Encoding": "br"})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "br"
        assert brotli.decompress(b"".join(response.response)) == expected
    # Nothing compressed was written next to the sources.
    assert not [p for p in static.rglob("*") if p.suffix in {".br", ".gz"}]


def test_security_headers_on_every_kind_of_response(client):
    for url in ["/", "/manifest.webmanifest", "/sw.js", "/static/css/app.css", "/nope"]:
        response = client.get(url)
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp, url
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        assert response.headers.get("Referrer-Policy") == "no-referrer", url


def test_static_files_have_cache_validators_and_no_cors(client):
    response = client.get("/static/js/app.js")
    assert response.status_code == 200
    assert "max-age=0" in response.headers["Cache-Control"]
    assert response.headers.get("ETag") or response.headers.get("Last-Modified")
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.mimetype == "text/javascript"


def test_every_icon_is_made_from_the_one_svg_source(client):
    """Each PNG the manifest or the page names is one that tools/make_icons.py renders."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "tools" / "make_icons.py")
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    assert (Path(ROOT) / "static" / "icons" / "source.svg").is_file()
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    html = client.get("/").get_data(as_text=True)
    named = {icon["src"].rsplit("/", 1)[1] for icon in manifest["icons"]}
    named |= set(re.findall(r"/static/(?:v/[0-9a-f]+/)?icons/([\w-]+\.png)", html))
    assert named and named <= set(make_icons.OUTPUTS)


def test_the_page_names_exactly_the_modules_app_js_imports_statically(client, tmp_path):
    from pwa.shell import first_screen_modules

    (tmp_path / "js" / "ui").mkdir(parents=True)
    (tmp_path / "js" / "app.js").write_text(
        "import { a } from './a.js';\nimport {\n  b,\n} from './ui/b.js';\n"
        "const later = () => import('./lazy.js');\n"
    )
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    b_js = "export { a as b } from '../a.js';\nimport '../c.js';\n"
    (tmp_path / "js" / "ui" / "b.js").write_text(b_js)
    (tmp_path / "js" / "c.js").write_text("")
    (tmp_path / "js" / "lazy.js").write_text("import './a.js';\n")
    assert first_screen_modules(tmp_path) == ("js/a.js", "js/ui/b.js", "js/c.js")

    html = client.get("/").get_data(as_text=True)
    base = static_base(html)
    names = re.search(r'<meta name="thaw-modules" content="([^"]+)">', html).group(1).split(" ")
    assert tuple(names) == first_screen_modules(ROOT / "static")
    preloads = [f"{base}/{name}" for name in names]
    assets = set(sw_assets(client.get("/sw.js").get_data(as_text=True)))
    for url in preloads:
        assert url in assets, url
        assert client.get(url).status_code == 200, url
