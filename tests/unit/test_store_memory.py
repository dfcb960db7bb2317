"""The TinyDB default's memory stays flat however many vaults are touched."""

from __future__ import annotations

import base64
import http.client
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

from pwa.store.base import dumps, envelope_body, token_hash
from tests.e2e.conftest import start_server, stop_server
from tests.envelopes import auth, hlc, new_vault

VAULTS = 1_000
ENVELOPES = 100


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def write_vaults(folder) -> list[tuple[str, str]]:
    """VAULTS vaults of ENVELOPES envelopes (300 bytes each), written as TinyDBStore writes them."""
    folder.mkdir(parents=True)
    data = base64.b64encode(os.urandom(300)).decode()
    iv = base64.b64encode(os.urandom(12)).decode()
    vaults = []
    for v in range(VAULTS):
        vault_id, token = new_vault()
        bodies = [
            envelope_body(
                {
                    "id": f"00000000-0000-4000-8000-{v:06d}{i:06d}",
                    "hlc": hlc(1_732_000_000_000 + i),
                    "deleted": False,
                    "iv": iv,
                    "data": data,
                }
            )
            for i in range(ENVELOPES)
        ]
        meta = {"token_sha256": token_hash(token), "created": "2026-11-25T00:00:00+00:00"}
        envelopes = b",".join(b'"%d":%s' % (i + 1, body) for i, body in enumerate(bodies))
        (folder / f"{vault_id}.json").write_bytes(
            b'{"envelopes":{%s},"meta":{"1":%s}}' % (envelopes, dumps({**meta, "last_seq": 100}))
        )
        (folder / f"{vault_id}.meta.json").write_bytes(dumps(meta))
        vaults.append((vault_id, token))
    return vaults


def test_touching_a_thousand_vaults_keeps_memory_flat(tmp_path):
    vaults = write_vaults(tmp_path / "data" / "vaults")
    server = start_server(tmp_path / "data")
    try:
        parts = urlsplit(server.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        body = json.dumps({"cursor": 0, "changes": []}).encode()
        rss = {}
        for n, (vault_id, token) in enumerate(vaults, 1):
            headers = {**auth(token), "Content-Type": "application/json"}
            conn.request("POST", f"/api/v1/vaults/{vault_id}/sync", body, headers)
            response = conn.getresponse()
            reply = json.loads(response.read())
            assert response.status == 200 and len(reply["changes"]) == ENVELOPES
            if n in (100, VAULTS):
                rss[n] = rss_mib(server.process.pid)
    finally:
        stop_server(server)
    # 1,000 vaults hold about 56 MB of envelopes on disk; kept in memory they would add far more.
    assert rss[VAULTS] - rss[100] < 25, rss
    assert rss[VAULTS] < 150, rss
