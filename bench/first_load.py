"""First visit as Lighthouse sees it (mobile, simulated slow 4G and a 4x slower CPU).

Runs the real server on a fresh data folder and npm's `lighthouse` in Debian's Chromium, then
prints the performance / accessibility / best-practices scores, the total transfer size, FCP,
LCP and TBT, and the requests the first visit made. The issue's budget: ≤ 60 KiB, 100 / 100 /
100, FCP ≤ 1.0 s, LCP ≤ 1.5 s, TBT ≤ 50 ms.

    .venv/bin/python bench/first_load.py [--runs 3] [--json report.json] [--keep DIR]

Each run is printed with the machine's load average as it started: Lighthouse simulates the
network but scales the main-thread time it measured (wall time), so a busy machine inflates FCP
and above all TBT. Compare runs made under a similar load. The server answers one request
before the first run, as a running server would have: the first request after start-up compiles
the templates and hashes the static files, which is not a visitor's wait. `--keep DIR` keeps
every run's report and trace (Lighthouse's `--save-assets`) for a closer look at long tasks;
with LANTERN_DEBUG=1 in the environment it also keeps Lighthouse's simulated timelines.

`--floor` runs, after each run, the same Lighthouse on a blank page (a heading and a line of
text, no script, no style) sent with Thaw's own security headers: what the browser alone costs
on this machine at that moment. Most of TBT here is Chromium's own commit of the navigation
(a fresh renderer's script context, 10–55 ms measured, ×4 in Lighthouse's simulation), which
`Cross-Origin-Opener-Policy: same-origin` makes a new browsing context group's; a blank page
with that header scored TBT 0–84 ms. Thaw keeps the header (on Android it is what gets the
site a process of its own), so the floor is the fair comparison.

Lighthouse is installed under the project on first use (`npm install --no-save lighthouse`,
into node_modules/, which git ignores); it is not part of `make test`.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

from browser import CHROMIUM, ROOT, start_server, stop_server
from machine import cpu_counters, probe_ms, stolen

from pwa.headers import SECURITY_HEADERS

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION = "12"
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BUDGET = {"transfer_kib": 60, "fcp_ms": 1000, "lcp_ms": 1500, "tbt_ms": 50}
BLANK = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8">'
    b'<meta name="viewport" content="width=device-width, initial-scale=1">'
    b'<meta name="description" content="A blank page"><title>Blank</title></head>'
    b"<body><h1>Blank</h1><p>What the browser costs before any page of ours.</p></body></html>"
)


class BlankPage(http.server.BaseHTTPRequestHandler):
    """The floor: a blank page, with the headers every Thaw reply carries."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        page = self.path == "/"
        self.send_response(200 if page else 404)
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(BLANK) if page else 0))
        self.end_headers()
        if page:
            self.wfile.write(BLANK)

    def log_message(self, *args) -> None:
        pass


def blank_server() -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), BlankPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE.exists():
        print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into node_modules/ …", flush=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            cwd=ROOT,
            check=True,
        )
    return LIGHTHOUSE


def run_lighthouse(url: str, out: Path, assets: bool = False) -> dict:
    """One cold first visit: Lighthouse starts Chromium with an empty profile each run."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(
        [
            str(ensure_lighthouse()),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--form-factor=mobile",
            "--throttling-method=simulate",
            "--only-categories=performance,accessibility,best-practices",
            f"--chrome-flags={' '.join(CHROME_FLAGS)}",
            *(["--save-assets"] if assets else []),
        ],
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def figures(report: dict) -> dict:
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "best_practices": round(report["categories"]["best-practices"]["score"] * 100),
        "transfer_kib": audits["total-byte-weight"]["numericValue"] / 1024,
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "requests": [(r["url"], r.get("transferSize", 0)) for r in requests],
        "failed": [
            f"{key}: {audit['title']}"
            for key, audit in audits.items()
            if audit.get("score") is not None
            and audit["score"] < 1
            and audit.get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold first visits (median shown)")
    parser.add_argument("--json", type=Path, help="keep the last Lighthouse report here")
    parser.add_argument(
        "--keep", type=Path, help="keep every run's report and trace in this folder"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="after each run, a blank page with Thaw's headers (the browser's own cost)",
    )
    args = parser.parse_args()
    ensure_lighthouse()
    runs, floors = [], []
    blank = blank_server() if args.floor else None
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp) / "data", {"THAW_RATE_LIMIT": "off"})
        try:
            with urllib.request.urlopen(server.url + "/", timeout=30) as warm:
                warm.read()
            for i in range(args.runs):
                load, probe, machine = os.getloadavg()[0], probe_ms(), cpu_counters()
                out = (args.keep or Path(tmp)) / f"report-{i}.json"
                try:
                    report = run_lighthouse(server.url + "/", out, assets=bool(args.keep))
                except subprocess.CalledProcessError:  # e.g. NO_NAVSTART: its trace failed
                    print(f"run {i + 1}: Lighthouse failed; once more", flush=True)
                    report = run_lighthouse(server.url + "/", out, assets=bool(args.keep))
                runs.append(figures(report))
                run = runs[-1]
                print(
                    f"run {i + 1}: load {load:4.2f}, stolen {stolen(machine):3.0%}, probe {probe:4.1f} ms  FCP {run['fcp_ms']:6.0f} ms  "
                    f"LCP {run['lcp_ms']:6.0f} ms  TBT {run['tbt_ms']:5.0f} ms  "
                    f"{run['transfer_kib']:5.1f} KiB  performance {run['performance']}",
                    flush=True,
                )
                if args.json:
                    shutil.copy(out, args.json)
                if blank:
                    machine = cpu_counters()
                    out = (args.keep or Path(tmp)) / f"blank-{i}.json"
                    url = f"http://127.0.0.1:{blank.server_address[1]}/"
                    try:
                        floor = figures(run_lighthouse(url, out, assets=bool(args.keep)))
                    except subprocess.CalledProcessError:
                        floor = figures(run_lighthouse(url, out, assets=bool(args.keep)))
                    floors.append(floor)
                    print(
                        f"  blank page:        stolen {stolen(machine):3.0%}  FCP {floor['fcp_ms']:6.0f} ms  "
                        f"LCP {floor['lcp_ms']:6.0f} ms  TBT {floor['tbt_ms']:5.0f} ms",
                        flush=True,
                    )
        finally:
            stop_server(server)
            if blank:
                blank.shutdown()

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    last = runs[-1]
    print(
        f"\nLighthouse {report['lighthouseVersion']}, mobile, simulated throttling, "
        f"first visit, {len(runs)} run(s), median:"
    )
    print(f"  performance     {median('performance'):.0f}")
    print(f"  accessibility   {median('accessibility'):.0f}")
    print(f"  best practices  {median('best_practices'):.0f}")
    rows = [
        ("total transfer", median("transfer_kib"), "KiB", BUDGET["transfer_kib"]),
        ("FCP", median("fcp_ms"), "ms", BUDGET["fcp_ms"]),
        ("LCP", median("lcp_ms"), "ms", BUDGET["lcp_ms"]),
        ("TBT", median("tbt_ms"), "ms", BUDGET["tbt_ms"]),
    ]
    for name, value, unit, budget in rows:
        verdict = "ok" if value <= budget else "over"
        print(f"  {name:<15} {value:7.1f} {unit:<3} (budget {budget} {unit}: {verdict})")
    if floors:
        tbt = sorted(run["tbt_ms"] for run in runs)
        blank_tbt = sorted(run["tbt_ms"] for run in floors)
        print(
            f"  TBT over 50 ms in {sum(t > 50 for t in tbt)} of {len(tbt)} runs: {', '.join(f'{t:.0f}' for t in tbt)}"
        )
        print(f"\nThe blank page with Thaw's headers (the browser's own cost), {len(floors)} runs:")
        print(
            f"  TBT median {statistics.median(blank_tbt):.1f} ms, over 50 ms in "
            f"{sum(t > 50 for t in blank_tbt)}: {', '.join(f'{t:.0f}' for t in blank_tbt)}"
        )
        print(f"  FCP median {statistics.median(run['fcp_ms'] for run in floors):.0f} ms")
    print(f"\nRequests of the last run ({len(last['requests'])}), bytes transferred:")
    for url, size in last["requests"]:
        print(f"  {size:7d}  {url.replace(server.url, '')}")
    if last["failed"]:
        print("\nAudits not passed in the last run:")
        for line in last["failed"]:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
