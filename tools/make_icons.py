"""Render static/icons/source.svg into the PNG icons the manifest and iOS need.

Run after changing the SVG: `.venv/bin/python tools/make_icons.py`. Uses Debian's Chromium
through Playwright, so no image library is needed, then Debian's `pngquant` and `zopflipng` (when
installed) to shrink each PNG to a palette: the 192 px icon is fetched on a first visit, and
12 KiB → 3.8 KiB keeps that visit inside its 60 KiB budget. The PNGs are committed.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
# name -> (size in px, corner radius as a fraction; maskable icons stay full-bleed)
OUTPUTS = {
    "icon-192.png": (192, 0.18),
    "icon-512.png": (512, 0.18),
    "maskable-512.png": (512, 0.0),
    "apple-touch-icon.png": (180, 0.0),
    "favicon-32.png": (32, 0.18),
}


def shrink(png: Path) -> None:
    """Quantise in place with pngquant, then recompress losslessly with zopflipng (Debian's
    `zopfli`: ~10% less); without them the PNG stays as Chromium wrote it."""
    if shutil.which("pngquant"):
        subprocess.run(
            [
                "pngquant",
                "--quality",
                "80-98",
                "--speed",
                "1",
                "--strip",
                "-f",
                "--ext",
                ".png",
                str(png),
            ],
            check=True,
        )
    if shutil.which("zopflipng"):
        # --lossy_transparent: only the colour of fully transparent pixels (never seen) changes.
        subprocess.run(
            [
                "zopflipng",
                "-y",
                "--iterations=50",
                "--filters=01234mepb",
                "--lossy_transparent",
                str(png),
                str(png),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def main() -> None:
    svg = (ICONS / "source.svg").read_bytes()
    src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        for name, (size, radius) in OUTPUTS.items():
            page.set_viewport_size({"width": size, "height": size})
            page.set_content(
                "<style>html,body{margin:0;background:transparent}"
                f"img{{display:block;width:{size}px;height:{size}px;"
                f"border-radius:{radius * size}px}}</style><img src='{src}'>"
            )
            page.locator("img").screenshot(path=str(ICONS / name), omit_background=True)
            shrink(ICONS / name)
            print(f"wrote {name} ({size}x{size}, {(ICONS / name).stat().st_size} bytes)")
        browser.close()


if __name__ == "__main__":
    main()
