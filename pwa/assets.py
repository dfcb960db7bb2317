"""Static files as browsers get them: a content-keyed build of static/ with Brotli and gzip copies.

WhiteNoise serves `name.br` / `name.gz` when they sit next to `name`. Made next to the sources they
could go stale the moment a source is edited, so they are made at start-up (and on demand when
sources change) into a cache folder named by the hash of every source byte:
`<cache>/<version>/…`. A build can therefore never disagree with the sources it is named after,
and its URLs (`/static/v/<version>/…`) can be cached as immutable.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from whitenoise.compress import Compressor, brotli_installed

# Bump when the build's layout or compression changes, so old builds are not reused.
BUILD_FORMAT = b"thaw-static-build/1\0" + (b"br" if brotli_installed else b"gz")
VERSION_LENGTH = 16
# A build nobody has started a server with for this long is removed.
UNUSED_FOR = 30 * 24 * 3600
BUILDING = ".building-"

OnBuild = Callable[[str, Path], None]


def source_entries(root: Path, prefix: str = "") -> list[tuple[str, os.stat_result]]:
    """Every file under `root` as (relative name, stat), dotfiles and editor leftovers aside.

    os.scandir rather than Path.rglob: this runs on every page load, so it must be cheap.
    """
    entries = []
    with os.scandir(root) as scan:
        for entry in scan:
            if entry.name.startswith(".") or entry.name.endswith("~"):
                continue
            if entry.is_dir():
                entries.extend(source_entries(Path(entry.path), f"{prefix}{entry.name}/"))
            elif entry.is_file():
                entries.append((prefix + entry.name, entry.stat()))
    return sorted(entries, key=lambda item: item[0])


def source_files(root: Path) -> list[Path]:
    """Every file under `root` (dotfiles and editor leftovers aside), in a stable order."""
    return [root / name for name, _ in source_entries(root)]


class StaticBuilds:
    """Hands out the current version of `source` and its compressed build in `cache`."""

    def __init__(self, source: Path, cache: Path, on_build: OnBuild | None = None) -> None:
        self.source = Path(source).resolve()
        self.cache = Path(cache).resolve()
        self.on_build = on_build
        self._lock = threading.Lock()
        self._memo: tuple[tuple, str] | None = None
        self._known: set[str] = set()

    def version(self) -> str:
        """The hash of every source file's name and bytes; re-read only when a stat changes."""
        entries = source_entries(self.source)
        key = tuple((name, st.st_mtime_ns, st.st_size) for name, st in entries)
        memo = self._memo
        if memo is not None and memo[0] == key:
            return memo[1]
        digest = hashlib.sha256(BUILD_FORMAT)
        for name, _ in entries:
            self._update(digest, name, (self.source / name).read_bytes())
        version = digest.hexdigest()[:VERSION_LENGTH]
        self._memo = (key, version)
        return version

    def current(self) -> tuple[str, Path]:
        """The sources' version and its build folder, made now if it does not exist yet."""
        version = self.version()
        with self._lock:
            folder = self.cache / version
            if not folder.is_dir():
                version, folder = self._build()
            if version not in self._known:
                self._known.add(version)
                os.utime(folder)  # marks it used, for prune()
                if self.on_build:
                    self.on_build(version, folder)
        return version, folder

    def _build(self) -> tuple[str, Path]:
        """Copy and compress into a private folder, then rename it into place in one step."""
        self.cache.mkdir(parents=True, exist_ok=True)
        work = self.cache / f"{BUILDING}{os.getpid()}-{secrets.token_hex(4)}"
        work.mkdir()
        try:
            compressor = Compressor(quiet=True)
            digest = hashlib.sha256(BUILD_FORMAT)
            for path in source_files(self.source):
                name = path.relative_to(self.source).as_posix()
                data = path.read_bytes()
                # The version names the bytes copied, even if a source changes meanwhile.
                self._update(digest, name, data)
                target = work / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                os.utime(target, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
                if compressor.should_compress(target.name):
                    compressor.compress(str(target))
            version = digest.hexdigest()[:VERSION_LENGTH]
            folder = self.cache / version
            try:
                work.rename(folder)
            except OSError:
                if not folder.is_dir():  # not another process's identical build: a real error
                    raise
            return version, folder
        finally:
            shutil.rmtree(work, ignore_errors=True)

    @staticmethod
    def _update(digest: hashlib._Hash, name: str, data: bytes) -> None:
        digest.update(name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)

    def prune(self, keep: str) -> None:
        """Remove builds unused for a month and abandoned half-builds; never `keep`."""
        now = time.time()
        for entry in self.cache.iterdir() if self.cache.is_dir() else []:
            if not entry.is_dir() or entry.name == keep:
                continue
            age = now - entry.stat().st_mtime
            if age > (3600 if entry.name.startswith(BUILDING) else UNUSED_FOR):
                shutil.rmtree(entry, ignore_errors=True)
