"""Settings: built-in defaults, then THAW_* environment variables, then explicit overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "HOST": "127.0.0.1",
    "PORT": 8000,
    "DATA_DIR": "thaw-data",
    "STATIC_DIR": str(ROOT / "static"),
    "TEMPLATE_DIR": str(ROOT / "templates"),
    # Compressed, content-keyed builds of STATIC_DIR (pwa/assets.py); safe to delete.
    "CACHE_DIR": str(ROOT / ".cache" / "static"),
    "RATE_LIMIT": "600 per minute",
    "AUTOREFRESH": False,
    "TRUSTED_PROXIES": 0,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
}

# Environment variable name -> setting, for the settings a deployer may change.
ENVIRONMENT = {
    "THAW_HOST": "HOST",
    "THAW_PORT": "PORT",
    "THAW_DATA": "DATA_DIR",
    "THAW_RATE_LIMIT": "RATE_LIMIT",
    "THAW_STATIC": "STATIC_DIR",
    "THAW_CACHE": "CACHE_DIR",
    "THAW_AUTOREFRESH": "AUTOREFRESH",
    "THAW_TRUSTED_PROXIES": "TRUSTED_PROXIES",
}


class ConfigError(ValueError):
    """A setting that cannot work; the CLI turns it into a one-line error."""


def load(overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> dict:
    """Merge defaults, environment and overrides, and check the values that can be wrong."""
    env = os.environ if env is None else env
    config = dict(DEFAULTS)
    for name, key in ENVIRONMENT.items():
        if env.get(name):
            config[key] = env[name]
    config.update({k: v for k, v in (overrides or {}).items() if v is not None})
    config["PORT"] = parse_port(config["PORT"])
    config["AUTOREFRESH"] = str(config["AUTOREFRESH"]).lower() in {"1", "true", "yes", "on"}
    config["TRUSTED_PROXIES"] = parse_count(config["TRUSTED_PROXIES"], "trusted proxies")
    return config


def parse_count(value: Any, what: str) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} must be a whole number, not {value!r}") from None
    if not 0 <= count <= 10:
        raise ConfigError(f"{what} must be from 0 to 10, not {count}")
    return count


def parse_port(value: Any) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"port must be a number from 1 to 65535, not {value!r}") from None
    if not 0 < port < 65536:
        raise ConfigError(f"port must be a number from 1 to 65535, not {port}")
    return port


def prepare_data_dir(path: str | os.PathLike) -> Path:
    """Create the data folder on first use and prove it is writable, before anyone relies on it."""
    folder = Path(path).expanduser().resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(f"the data folder {folder} cannot be written: {reason}") from None
    return folder
